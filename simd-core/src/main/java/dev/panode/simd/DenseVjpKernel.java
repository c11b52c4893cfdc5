package dev.panode.simd;

import static dev.panode.simd.Simd.LANES;
import static dev.panode.simd.Simd.SPECIES;

import dev.panode.blas.Transpose;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorShuffle;

/**
 * The backward pass of one dense layer {@code U = X·Wᵀ + 1·bᵀ} given the cotangent Ū of its pre-activation (the
 * activation derivative already applied): {@code W̄ += Ūᵀ·X}, {@code b̄ += Σ_rows Ū} and {@code X̄ = Ū·W}
 * (docs/ALGORITHMS.md §6), W row-major {@code out × in}. The twin of {@link DenseKernel} for the VJP.
 *
 * <p>A block of several rows runs as before — two products through {@link Gemm#dgemm} and the column sums
 * ({@link ColumnSums}) — but for a narrow input (2 → 50 over a batch of 16): there the GEMM's weight gradient runs
 * masked one-vector kernels with {@code in} of every eight lanes busy and its input gradient packs Wᵀ on every call,
 * so up to {@value #BLOCK_ROWS} rows take a weight gradient vectorised across the outputs and the dot products on
 * the kept Wᵀ (in the GEMM's order, below), and a taller block on the Java kernels (2 → 64 over a batch of 1,024) the
 * same pass per k block of the GEMM's weight gradient ({@link GemmKernel#KC} rows); and a layer with two outputs over
 * a tanh layer (50 → 2) can run its backward and the tanh derivative below it in one pass
 * ({@link #backwardThroughTanh}; over a taller block, 64 → 2 over 1,024 rows, X̄'s product, the derivative and the
 * bias sums below it in one pass after W̄'s GEMM, {@link #backwardThroughTanhTall}). A single row — batch 1, the per-sample solver, a continuous adjoint's
 * augmented dynamics — is a rank-1 update and a vector–matrix product, which the blocked GEMM handles badly
 * (micro-kernels four rows tall for one row, masked stores on an output two columns wide, the columns of W packed on
 * every call for a narrow input). Here one pass over the rows of W does all three: for each output p, {@code b̄_p += ū_p},
 * {@code W̄[p, ·] += ū_p·x} and {@code x̄ += ū_p·W[p, ·]}, row p of W and of W̄ read once while they are in L1
 * (the fused VJP). Its form is chosen once, from the layer's shape:
 *
 * <ul>
 *   <li>an input of at least one vector ({@code in ≥ lanes}): the columns in chunks of four, two or one vectors (the
 *       last {@code in mod lanes} columns in scalar code), each chunk's x̄ in registers across the pass;</li>
 *   <li>a narrower input (the first layer of a low-dimensional ODE): x̄ by the GEMM's own dot products on a packed
 *       Wᵀ kept in the workspace while W's bits stay the same, then the rank-1 update over W̄ as one flat run of
 *       vectors (ū spread over the lanes by fixed shuffles) when {@code in} divides the lanes, else row by row.</li>
 * </ul>
 *
 * <p><b>Results.</b> Bit for bit those of the block path for that row: every product is formed and added in the order
 * the Java GEMM kernel ({@link GemmKernel}) uses for the same shape — W̄'s elements are {@code W̄ + ū_p·x_i} (a
 * product of depth 1), x̄'s are the kernel's FMA chain along p, restarted at each k block of {@link GemmKernel#KC}
 * (or of its packing panel, for products the GEMM aligns) and summed block by block, or, for a narrow input, the dot
 * products' lane sums; for a block of a narrow input, W̄'s elements are the GEMM's chains along the rows (even and
 * odd rows in two chains for the outputs in its blocks of four) added to W̄, and X̄'s its dot products. So a sample's
 * gradient is the same alone as in a batch computed row by row, and tests that compare per-sample with batched
 * gradients keep their bits.
 *
 * <p><b>Which path.</b> A block of fewer rows than the dispatcher's row rule
 * ({@link GemmThresholds#minBlasVjpRows()}) stays on these Java kernels whatever the rules say of its products: one row
 * the fused pass, a narrow input's rows the block pass above, a few rows of any other layer its rows one by one
 * through the fused pass (the same bits as each row alone, W̄ and b̄ included). From that many rows the products go
 * where the dispatcher ({@link Gemm#backendFor(Transpose, Transpose, int, int, int)}) sends them, and a row or block
 * takes the paths above only when it keeps both on the Java kernel; so a single row's x̄ equals its x̄ in a block
 * whenever the block is below the row rule or on the Java kernel.
 *
 * <p>Cost for one row: {@code 2·in·out} multiply–adds and one pass over W and W̄ (for a narrow input also a comparison
 * of W with the copy the packed Wᵀ came from), nothing allocated (the scratch lives in the caller's
 * {@link Workspace}). Unchecked: the caller (a layer) has checked the sizes once. Not for the
 * forward pass ({@link DenseKernel}) nor for blocks of many rows (the GEMM is the right tool there).
 */
public final class DenseVjpKernel {
    /**
     * Blocks of up to this many rows of a narrow input take {@link #narrowBlock} (a small batch: the weight
     * gradient's chains along the rows stay within one of the GEMM's k blocks) whatever the dispatcher says; taller
     * ones it per k block of {@link GemmKernel#KC} rows when the dispatcher keeps both products on the Java kernel,
     * else the GEMMs.
     */
    static final int BLOCK_ROWS = 64;
    /** Rows of the GEMM kernels' blocks (its dot products take four rows of A at a time). */
    private static final int FOUR = 4;
    private final int in;
    private final int out;
    /** Depth of the GEMM's k blocks for the one-row product {@code x̄ = ū·W} (m = 1, n = in, k = out). */
    private final int kBlock;
    /** The one-row product {@code x̄ = ū·W} is the GEMM's dot-product form (lane sums) rather than its FMA chains. */
    private final boolean dotForm;
    /**
     * The most rows {@link #backwardThroughTanh} takes in one pass: two outputs over an input of two vectors or more
     * (the output layer of a 2-D ODE), and no more rows than one k block of the GEMM's weight gradient; 0 when this
     * layer has no such pass.
     */
    private final int twoOutputRows;
    /**
     * {@link #backwardThroughTanhTall} applies: two outputs over an input of whole vectors, at least two (no partial
     * vector, where the GEMM's masked kernel would sum X̄'s elements in two chains).
     */
    private final boolean tallThroughTanh;
    /** For a narrow input that divides the lanes: shuffle q puts ū's row {@code (q·lanes + l) / in} into lane l. */
    private final VectorShuffle<Double>[] spread;
    /**
     * For two inputs: lanes 2j and 2j + 1 from lane j of the first and of the second vector (zipLow), or from lanes
     * {@code lanes/2 + j} (zipHigh); a negative source index takes the second vector.
     */
    private final VectorShuffle<Double> zipLow;
    private final VectorShuffle<Double> zipHigh;

    private DenseVjpKernel(int in, int out) {
        this.in = in;
        this.out = out;
        // x̄ = ū·W (1 × in ← out) in the k blocks the GEMM's broadcast form cuts it into
        this.kBlock = GemmKernel.broadcastDepth(Transpose.NO, 1, in, out);
        this.dotForm = in < LANES && out >= LANES; // GemmKernel.dgemm's choice for m = 1, n = in, k = out, A not transposed
        // W̄ = Ūᵀ·X is one k block of the GEMM up to min(KC, PACK_CAPACITY / ldp) rows (the panel's k blocks when it
        // aligns B; smaller products run in blocks of KC); two or more whole vectors keep every column panel of
        // X̄ = Ū·W at least two vectors wide, where the 4-row kernels sum in one chain
        int panelRows = GemmKernel.panelDepth((in + LANES - 1) / LANES * LANES);
        this.twoOutputRows = out == 2 && in >= 2 * LANES ? Math.min(BLOCK_ROWS, panelRows) : 0;
        this.tallThroughTanh = out == 2 && in >= 2 * LANES && in % LANES == 0;
        @SuppressWarnings("unchecked")
        VectorShuffle<Double>[] sh = new VectorShuffle[dotForm && LANES % in == 0 ? in : 0];
        for (int q = 0; q < sh.length; q++) {
            int[] idx = new int[LANES];
            for (int l = 0; l < LANES; l++) idx[l] = (q * LANES + l) / in;
            sh[q] = VectorShuffle.fromArray(SPECIES, idx, 0);
        }
        this.spread = sh;
        int[] low = new int[LANES], high = new int[LANES];
        for (int j = 0; j < LANES / 2; j++) {
            low[2 * j] = j;
            low[2 * j + 1] = j - LANES;
            high[2 * j] = LANES / 2 + j;
            high[2 * j + 1] = LANES / 2 + j - LANES;
        }
        this.zipLow = VectorShuffle.fromArray(SPECIES, low, 0);
        this.zipHigh = VectorShuffle.fromArray(SPECIES, high, 0);
    }

    /**
     * The backward kernel of a layer {@code in → out}.
     *
     * @throws IllegalArgumentException when a width is below 1
     */
    public static DenseVjpKernel of(int in, int out) {
        if (in < 1) throw new IllegalArgumentException("in must be >= 1, got " + in);
        if (out < 1) throw new IllegalArgumentException("out must be >= 1, got " + out);
        return new DenseVjpKernel(in, out);
    }

    /** The doubles {@link #newWorkspace} allocates (for a narrow input: Wᵀ, a copy of W and a row for lane sums). */
    public long workspaceDoubles() {
        return (dotForm ? 2L * in * out + out + 2L * LANES : 0) + GemmKernel.DOT_SCRATCH + (long) LANES
                + (dotForm ? (long) in * LANES : 0);
    }

    /** Scratch for one thread (for a narrow input: the packed Wᵀ and the W it came from). Made once. */
    public Workspace newWorkspace() {
        return dotForm ? new Workspace(in * out, out) : new Workspace(0, 0);
    }

    /**
     * {@code W̄ += Ūᵀ·X}, {@code b̄ += Σ_rows Ū} (when {@code thetaBar} is non-null) and {@code X̄ = Ū·W} for
     * {@code rows} rows; Ū is {@code rows × out}, X and X̄ are {@code rows × in}, all row-major, Ū and X̄ from offset 0,
     * X from {@code xOff} (a layer's saved output); W at {@code wOff} of theta, W̄ and b̄ at {@code wOff} and
     * {@code bOff} of thetaBar.
     *
     * @param xBar must not alias Ū or X
     */
    public void backward(int rows, double[] uBar, double[] x, int xOff, double[] theta, int wOff, double[] thetaBar,
                         int bOff, double[] xBar, Workspace ws) {
        backward(rows, uBar, x, xOff, theta, wOff, thetaBar, bOff, true, xBar, ws);
    }

    /**
     * {@link #backward(int, double[], double[], int, double[], int, double[], int, double[], Workspace)}, leaving
     * b̄ alone when {@code sumBias} is false: for a caller that has added {@code Σ_rows Ū} to b̄ already, in the pass
     * that formed Ū ({@link ActivationKernel#derivativeTimesColumnSums}). The same bits.
     */
    public void backward(int rows, double[] uBar, double[] x, int xOff, double[] theta, int wOff, double[] thetaBar,
                         int bOff, boolean sumBias, double[] xBar, Workspace ws) {
        if (rows == 0) return;
        int biasAt = sumBias ? bOff : -1;
        boolean small = Gemm.thresholds().javaVjp(rows);
        boolean java = small || Gemm.backendFor(Transpose.YES, Transpose.NO, out, in, rows) == Gemm.Backend.JAVA
                && Gemm.backendFor(Transpose.NO, Transpose.NO, rows, in, out) == Gemm.Backend.JAVA;
        if (java && rows == 1) {
            if (dotForm) narrowRow(uBar, x, xOff, theta, wOff, thetaBar, biasAt, xBar, ws);
            else wideRow(uBar, 0, x, xOff, theta, wOff, thetaBar, biasAt, xBar, 0);
            return;
        }
        if (dotForm && (small || java && rows <= BLOCK_ROWS)) {
            narrowBlock(rows, uBar, 0, x, xOff, theta, wOff, thetaBar, biasAt, xBar, 0, ws);
            return;
        }
        if (dotForm && java) {
            // a taller block: the GEMM's k blocks of W̄'s product one after the other, each a narrow block
            for (int r0 = 0; r0 < rows; r0 += GemmKernel.KC) {
                narrowBlock(Math.min(GemmKernel.KC, rows - r0), uBar, r0 * out, x, xOff + r0 * in, theta, wOff,
                        thetaBar, biasAt, xBar, r0 * in, ws);
            }
            return;
        }
        if (small) {
            wideBlock(rows, uBar, x, xOff, theta, wOff, thetaBar, biasAt, xBar);
            return;
        }
        if (thetaBar != null) {
            Gemm.dgemm(Transpose.YES, Transpose.NO, out, in, rows, 1.0, uBar, 0, out, x, xOff, in,
                    1.0, thetaBar, wOff, in);
            if (sumBias) ColumnSums.accumulate(uBar, 0, rows, out, thetaBar, bOff);
        }
        Gemm.dgemm(Transpose.NO, Transpose.NO, rows, in, out, 1.0, uBar, 0, out, theta, wOff, in, 0.0, xBar, 0, in);
    }

    /**
     * A block below the row rule ({@link GemmThresholds#javaVjp}) of a layer whose single row is {@link #wideRow}:
     * its rows one by one, bit for bit (x̄ row by row, W̄'s elements {@code W̄ + ū_p·x_i} added row after row, b̄ by
     * the column sums, which add the rows in order). Blocks this small are rare (a per-sample solver's last rows, a
     * small batch); a pass over W for several rows at once was measured no faster than OpenBLAS (docs/BENCHMARKS.md §48).
     */
    private void wideBlock(int rows, double[] ub, double[] x, int xOff, double[] w, int wOff, double[] tb, int bOff,
                           double[] xb) {
        if (tb != null && bOff >= 0) ColumnSums.accumulate(ub, 0, rows, out, tb, bOff);
        for (int r = 0; r < rows; r++) wideRow(ub, r * out, x, xOff + r * in, w, wOff, tb, -1, xb, r * in);
    }

    /**
     * {@link #backward(int, double[], double[], int, double[], int, double[], int, boolean, double[], Workspace)} for
     * a layer whose input X is the output of a tanh layer below it, followed by that layer's part of the backward
     * pass, in one pass over the rows: {@code W̄ += Ūᵀ·X}, {@code b̄ += Σ_rows Ū} (when {@code sumBias}),
     * {@code X̄ = (Ū·W) ⊙ (1 − X ⊙ X)} (the cotangent of the pre-activation below: tanh' = 1 − tanh², read from its
     * output X) and {@code b̄_below += Σ_rows X̄} at {@code belowBiasOff} of thetaBar. For a layer with two outputs
     * over an input of at least two vectors (the output layer of a 2-D ODE, 50 → 2) and a block of at most
     * {@value #BLOCK_ROWS} rows, where the two GEMMs (Java or OpenBLAS) and the derivative pass cost three calls for
     * a few thousand multiply–adds; it is taken whatever backend the dispatcher would give the two products.
     *
     * <p>The bits are those of the Java GEMMs, the column sums and
     * {@link ActivationKernel#derivativeTimesColumnSums} one after the other: W̄'s elements are each a chain along the
     * rows from +0 then {@code + W̄}; X̄'s are {@code fma(ū_1, W_1i, fma(ū_0, W_0i, +0))}, but in the last partial vector
     * of columns, for the rows in the GEMM's blocks of four, {@code fma(ū_0, W_0i, +0) + fma(ū_1, W_1i, +0)} (its
     * masked kernel's even and odd chains); then times {@code (1 − x·x)} and summed row by row onto b̄_below.
     *
     * @param xBar must not alias Ū or X
     * @return false (nothing written) when this layer or block has no such pass, or {@code thetaBar} is null: the
     *         caller then runs {@code backward} and the derivative pass
     */
    public boolean backwardThroughTanh(int rows, double[] uBar, double[] x, int xOff, double[] theta, int wOff,
                                       double[] thetaBar, int bOff, boolean sumBias, int belowBiasOff,
                                       double[] xBar) {
        if (rows < 1 || rows > twoOutputRows || thetaBar == null) return false;
        twoOutputsThroughTanh(rows, uBar, 0, x, xOff, theta, wOff, thetaBar, belowBiasOff, xBar, 0);
        if (sumBias) ColumnSums.accumulate(uBar, 0, rows, out, thetaBar, bOff);
        return true;
    }

    /**
     * {@link #backwardThroughTanh}'s results for a block it does not take (more rows than one k block of the GEMM's
     * weight gradient, a batch of 1,024): its pass once per k block of W̄'s product as the GEMM cuts it
     * ({@link GemmKernel#KC} rows, or its aligned panel's), each block's chains added to W̄ in turn as the GEMM adds
     * them, X̄, the tanh derivative and b̄_below row by row; then {@code b̄ += Σ_rows Ū} (when {@code sumBias}). Where
     * the VJP and the derivative pass take four passes over the 1,024 × 64 arrays (W̄'s product reads X, X̄'s writes
     * X̄, the derivative reads both and writes X̄ again), this takes one read of X and one write of X̄. For a layer
     * with two outputs over an input of whole vectors, at least two (the output layer of a 2-D ODE, 64 → 2), when the
     * dispatcher leaves the block to its rules and keeps both products on the Java kernel, whose bits the pass
     * reproduces (no partial vector of columns, whose masked kernel would group the rows in fours). Nothing allocated.
     *
     * @param xBar must not alias Ū or X
     * @return false (nothing written) when this layer or block has no such pass, or {@code thetaBar} is null: the
     *         caller then runs {@code backward} and the derivative pass
     */
    public boolean backwardThroughTanhTall(int rows, double[] uBar, double[] x, int xOff, double[] theta, int wOff,
                                           double[] thetaBar, int bOff, boolean sumBias, int belowBiasOff,
                                           double[] xBar) {
        if (!tallThroughTanh || rows < 1 || thetaBar == null || Gemm.thresholds().javaVjp(rows)
                || Gemm.backendFor(Transpose.YES, Transpose.NO, out, in, rows) != Gemm.Backend.JAVA
                || Gemm.backendFor(Transpose.NO, Transpose.NO, rows, in, out) != Gemm.Backend.JAVA) {
            return false;
        }
        int block = GemmKernel.broadcastDepth(Transpose.NO, out, in, rows); // W̄'s k blocks as the GEMM cuts them
        for (int r0 = 0; r0 < rows; r0 += block) {
            twoOutputsThroughTanh(Math.min(block, rows - r0), uBar, r0 * out, x, xOff + r0 * in, theta, wOff,
                    thetaBar, belowBiasOff, xBar, r0 * in);
        }
        if (sumBias) ColumnSums.accumulate(uBar, 0, rows, out, thetaBar, bOff);
        return true;
    }

    /**
     * {@link #backwardThroughTanh}'s pass: per three vectors of columns (nine independent chains along the rows, so
     * that the FMA latency is hidden), then per vector, every row; W̄'s chains in registers; the last partial vector
     * in scalar code.
     */
    private void twoOutputsThroughTanh(int rows, double[] ub, int uOff, double[] x, int xOff, double[] w, int wOff,
                                       double[] tb, int sOff, double[] xb, int xbOff) {
        int j = 0, bound = SPECIES.loopBound(in);
        for (; j + 3 * LANES <= bound; j += 3 * LANES) {
            threeVectorsThroughTanh(j, rows, ub, uOff, x, xOff, w, wOff, tb, sOff, xb, xbOff);
        }
        DoubleVector zero = DoubleVector.zero(SPECIES), one = DoubleVector.broadcast(SPECIES, 1.0);
        for (; j < bound; j += LANES) {
            DoubleVector w0 = DoubleVector.fromArray(SPECIES, w, wOff + j);
            DoubleVector w1 = DoubleVector.fromArray(SPECIES, w, wOff + in + j);
            DoubleVector g0 = zero, g1 = zero;
            DoubleVector sums = DoubleVector.fromArray(SPECIES, tb, sOff + j);
            for (int r = 0; r < rows; r++) {
                DoubleVector xv = DoubleVector.fromArray(SPECIES, x, xOff + r * in + j);
                DoubleVector u0 = DoubleVector.broadcast(SPECIES, ub[uOff + 2 * r]);
                DoubleVector u1 = DoubleVector.broadcast(SPECIES, ub[uOff + 2 * r + 1]);
                g0 = u0.fma(xv, g0);
                g1 = u1.fma(xv, g1);
                DoubleVector g = u1.fma(w1, u0.fma(w0, zero)).mul(one.sub(xv.mul(xv)));
                sums = sums.add(g);
                g.intoArray(xb, xbOff + r * in + j);
            }
            g0.add(DoubleVector.fromArray(SPECIES, tb, wOff + j)).intoArray(tb, wOff + j);
            g1.add(DoubleVector.fromArray(SPECIES, tb, wOff + in + j)).intoArray(tb, wOff + in + j);
            sums.intoArray(tb, sOff + j);
        }
        scalarTailThroughTanh(j, rows, ub, uOff, x, xOff, w, wOff, tb, sOff, xb, xbOff);
    }

    /** Columns {@code [j, j + 3·lanes)} of {@link #twoOutputsThroughTanh}: each element as in the one-vector loop. */
    private void threeVectorsThroughTanh(int j, int rows, double[] ub, int uOff, double[] x, int xOff, double[] w,
                                         int wOff, double[] tb, int sOff, double[] xb, int xbOff) {
        DoubleVector zero = DoubleVector.zero(SPECIES), one = DoubleVector.broadcast(SPECIES, 1.0);
        int a = wOff + j, b = wOff + in + j;
        DoubleVector w0a = DoubleVector.fromArray(SPECIES, w, a), w0b = DoubleVector.fromArray(SPECIES, w, a + LANES);
        DoubleVector w0c = DoubleVector.fromArray(SPECIES, w, a + 2 * LANES);
        DoubleVector w1a = DoubleVector.fromArray(SPECIES, w, b), w1b = DoubleVector.fromArray(SPECIES, w, b + LANES);
        DoubleVector w1c = DoubleVector.fromArray(SPECIES, w, b + 2 * LANES);
        DoubleVector g0a = zero, g0b = zero, g0c = zero, g1a = zero, g1b = zero, g1c = zero;
        int s = sOff + j;
        DoubleVector sa = DoubleVector.fromArray(SPECIES, tb, s), sb = DoubleVector.fromArray(SPECIES, tb, s + LANES);
        DoubleVector sc = DoubleVector.fromArray(SPECIES, tb, s + 2 * LANES);
        for (int r = 0; r < rows; r++) {
            int xr = xOff + r * in + j, o = xbOff + r * in + j;
            DoubleVector xa = DoubleVector.fromArray(SPECIES, x, xr);
            DoubleVector xbv = DoubleVector.fromArray(SPECIES, x, xr + LANES);
            DoubleVector xc = DoubleVector.fromArray(SPECIES, x, xr + 2 * LANES);
            DoubleVector u0 = DoubleVector.broadcast(SPECIES, ub[uOff + 2 * r]);
            DoubleVector u1 = DoubleVector.broadcast(SPECIES, ub[uOff + 2 * r + 1]);
            g0a = u0.fma(xa, g0a);
            g0b = u0.fma(xbv, g0b);
            g0c = u0.fma(xc, g0c);
            g1a = u1.fma(xa, g1a);
            g1b = u1.fma(xbv, g1b);
            g1c = u1.fma(xc, g1c);
            DoubleVector ga = u1.fma(w1a, u0.fma(w0a, zero)).mul(one.sub(xa.mul(xa)));
            DoubleVector gb = u1.fma(w1b, u0.fma(w0b, zero)).mul(one.sub(xbv.mul(xbv)));
            DoubleVector gc = u1.fma(w1c, u0.fma(w0c, zero)).mul(one.sub(xc.mul(xc)));
            sa = sa.add(ga);
            sb = sb.add(gb);
            sc = sc.add(gc);
            ga.intoArray(xb, o);
            gb.intoArray(xb, o + LANES);
            gc.intoArray(xb, o + 2 * LANES);
        }
        g0a.add(DoubleVector.fromArray(SPECIES, tb, a)).intoArray(tb, a);
        g0b.add(DoubleVector.fromArray(SPECIES, tb, a + LANES)).intoArray(tb, a + LANES);
        g0c.add(DoubleVector.fromArray(SPECIES, tb, a + 2 * LANES)).intoArray(tb, a + 2 * LANES);
        g1a.add(DoubleVector.fromArray(SPECIES, tb, b)).intoArray(tb, b);
        g1b.add(DoubleVector.fromArray(SPECIES, tb, b + LANES)).intoArray(tb, b + LANES);
        g1c.add(DoubleVector.fromArray(SPECIES, tb, b + 2 * LANES)).intoArray(tb, b + 2 * LANES);
        sa.intoArray(tb, s);
        sb.intoArray(tb, s + LANES);
        sc.intoArray(tb, s + 2 * LANES);
    }

    /**
     * The last partial vector of columns from {@code j}: X̄'s elements in the rows of the GEMM's blocks of four as its
     * masked kernel sums them, in two chains.
     */
    private void scalarTailThroughTanh(int j, int rows, double[] ub, int uOff, double[] x, int xOff, double[] w,
                                       int wOff, double[] tb, int sOff, double[] xb, int xbOff) {
        int grouped = rows - rows % FOUR;
        for (; j < in; j++) {
            double w0 = w[wOff + j], w1 = w[wOff + in + j];
            double g0 = 0.0, g1 = 0.0, sum = tb[sOff + j];
            for (int r = 0; r < rows; r++) {
                double xv = x[xOff + r * in + j], u0 = ub[uOff + 2 * r], u1 = ub[uOff + 2 * r + 1];
                g0 = Math.fma(u0, xv, g0);
                g1 = Math.fma(u1, xv, g1);
                double g = r < grouped ? Math.fma(u0, w0, 0.0) + Math.fma(u1, w1, 0.0)
                        : Math.fma(u1, w1, Math.fma(u0, w0, 0.0));
                g *= 1.0 - xv * xv;
                sum += g;
                xb[xbOff + r * in + j] = g;
            }
            tb[wOff + j] = g0 + tb[wOff + j];
            tb[wOff + in + j] = g1 + tb[wOff + in + j];
            tb[sOff + j] = sum;
        }
    }

    /**
     * A block of a few rows of a narrow input (the first layer of a low-dimensional ODE over a small batch), in the
     * GEMMs' order element by element: {@code W̄ += Ūᵀ·X} vectorised across the outputs ({@link #rankFlatBlock}),
     * b̄ by the column sums (unless {@code bOff} is negative), {@code X̄ = Ū·W} by the GEMM's own dot products on the
     * kept Wᵀ (the GEMM packs it on every call).
     */
    private void narrowBlock(int rows, double[] ub, int uOff, double[] x, int xOff, double[] w, int wOff, double[] tb,
                             int bOff, double[] xb, int xbOff, Workspace ws) {
        if (tb != null) {
            rankFlatBlock(rows, ub, uOff, x, xOff, tb, wOff, ws);
            if (bOff >= 0) ColumnSums.accumulate(ub, uOff, rows, out, tb, bOff);
        }
        keepTransposed(w, wOff, ws); // a vector longer than Wᵀ: its rows' tails stay inside it
        double[] lanes = ws.lanes;
        int r = 0;
        for (; r + FOUR <= rows; r += FOUR) {
            // Ū's last rows: their tails copied
            boolean copy = GemmKernel.tailsPastEnd(ub, uOff + r * out, out, FOUR, out);
            double[] tu = copy ? lanes : ub;
            int tuOff = copy ? GemmKernel.copyTails(ub, uOff + r * out, out, FOUR, out, lanes, GemmKernel.DOT_A_TAILS)
                    : uOff + r * out;
            int tld = copy ? LANES : out;
            if (in == 2) {
                // both columns of Wᵀ at once: row q's two sums are x̄'s row r + q
                DenseKernel.dot4x2(out, ub, uOff + r * out, out, ws.transposed, 0, out, tu, tuOff, tld,
                        ws.transposed, 0, out, lanes, ws.sums);
                System.arraycopy(ws.sums, 0, xb, xbOff + 2 * r, 2 * FOUR);
                continue;
            }
            for (int i = 0; i < in; i++) {
                GemmKernel.dot4x1(out, ub, uOff + r * out, out, ws.transposed, i * out, tu, tuOff, tld,
                        ws.transposed, i * out, lanes);
                for (int q = 0; q < FOUR; q++) xb[xbOff + (r + q) * in + i] = GemmKernel.laneSum(lanes, q * LANES);
            }
        }
        for (; r < rows; r++) {
            boolean copy = GemmKernel.tailsPastEnd(ub, uOff + r * out, 0, 1, out);
            double[] tu = copy ? lanes : ub;
            int tuOff = copy ? GemmKernel.copyTails(ub, uOff + r * out, 0, 1, out, lanes, GemmKernel.DOT_A_TAILS)
                    : uOff + r * out;
            for (int i = 0; i < in; i++) {
                GemmKernel.dot1x1(out, ub, uOff + r * out, ws.transposed, i * out, tu, tuOff, ws.transposed, i * out,
                        lanes);
                xb[xbOff + r * in + i] = GemmKernel.laneSum(lanes, 0);
            }
        }
    }

    /**
     * {@code W̄[p][i] += Σ_r ū[r][p]·x[r][i]} for a narrow input (the GEMM would run it through masked one-vector
     * kernels, {@code in} of every eight lanes busy): for each vector of outputs p and each input i, the chains along
     * the rows run across the lanes (ū's row r times the broadcast {@code x[r][i]}), and the {@code in} sums are
     * interleaved into W̄'s rows through the workspace. The order is the GEMM's: the outputs in its blocks of four
     * sum the even and the odd rows in two chains ({@code c_even + c_odd + W̄}), the outputs after them in one.
     */
    private void rankFlatBlock(int rows, double[] ub, int uOff, double[] x, int xOff, double[] tb, int wOff,
                               Workspace ws) {
        double[] sums = ws.sums;
        int p = in == 2 ? pairs(rows, ub, uOff, x, xOff, tb, wOff) : 0;
        for (; p + LANES <= out; p += LANES) {
            for (int i = 0; i < in; i++) {
                DoubleVector c = DoubleVector.zero(SPECIES), d = c;
                int r = 0;
                for (; r + 1 < rows; r += 2) {
                    c = DoubleVector.broadcast(SPECIES, x[xOff + r * in + i])
                            .fma(DoubleVector.fromArray(SPECIES, ub, uOff + r * out + p), c);
                    d = DoubleVector.broadcast(SPECIES, x[xOff + (r + 1) * in + i])
                            .fma(DoubleVector.fromArray(SPECIES, ub, uOff + (r + 1) * out + p), d);
                }
                if (r < rows) {
                    c = DoubleVector.broadcast(SPECIES, x[xOff + r * in + i])
                            .fma(DoubleVector.fromArray(SPECIES, ub, uOff + r * out + p), c);
                }
                c.add(d).intoArray(sums, i * LANES);
            }
            for (int l = 0, f = wOff + p * in; l < LANES; l++) {
                for (int i = 0; i < in; i++, f++) tb[f] = sums[i * LANES + l] + tb[f];
            }
        }
        int blocked = out - out % FOUR;
        for (; p < out; p++) {
            for (int i = 0; i < in; i++) {
                double c = 0.0, d = 0.0;
                if (p < blocked) {
                    int r = 0;
                    for (; r + 1 < rows; r += 2) {
                        c = Math.fma(ub[uOff + r * out + p], x[xOff + r * in + i], c);
                        d = Math.fma(ub[uOff + (r + 1) * out + p], x[xOff + (r + 1) * in + i], d);
                    }
                    if (r < rows) c = Math.fma(ub[uOff + r * out + p], x[xOff + r * in + i], c);
                    c += d;
                } else {
                    for (int r = 0; r < rows; r++) c = Math.fma(ub[uOff + r * out + p], x[xOff + r * in + i], c);
                }
                int e = wOff + p * in + i;
                tb[e] = c + tb[e];
            }
        }
    }

    /**
     * {@link #rankFlatBlock}'s vectors of outputs for two inputs (a 2-D state): the four chains of a vector of outputs
     * in one pass, the two sums interleaved into W̄'s rows by two fixed two-vector shuffles.
     *
     * @return the first output left to the caller
     */
    private int pairs(int rows, double[] ub, int uOff, double[] x, int xOff, double[] tb, int wOff) {
        int p = 0;
        for (; p + 2 * LANES <= out; p += 2 * LANES) twoVectorPairs(p, rows, ub, uOff, x, xOff, tb, wOff);
        for (; p + LANES <= out; p += LANES) {
            DoubleVector c0 = DoubleVector.zero(SPECIES), c1 = c0, d0 = c0, d1 = c0;
            int r = 0;
            for (; r + 1 < rows; r += 2) {
                DoubleVector u = DoubleVector.fromArray(SPECIES, ub, uOff + r * out + p);
                DoubleVector v = DoubleVector.fromArray(SPECIES, ub, uOff + (r + 1) * out + p);
                int xr = xOff + 2 * r;
                c0 = DoubleVector.broadcast(SPECIES, x[xr]).fma(u, c0);
                c1 = DoubleVector.broadcast(SPECIES, x[xr + 1]).fma(u, c1);
                d0 = DoubleVector.broadcast(SPECIES, x[xr + 2]).fma(v, d0);
                d1 = DoubleVector.broadcast(SPECIES, x[xr + 3]).fma(v, d1);
            }
            if (r < rows) {
                DoubleVector u = DoubleVector.fromArray(SPECIES, ub, uOff + r * out + p);
                c0 = DoubleVector.broadcast(SPECIES, x[xOff + 2 * r]).fma(u, c0);
                c1 = DoubleVector.broadcast(SPECIES, x[xOff + 2 * r + 1]).fma(u, c1);
            }
            DoubleVector s0 = c0.add(d0), s1 = c1.add(d1);
            int f = wOff + 2 * p;
            s0.rearrange(zipLow, s1).add(DoubleVector.fromArray(SPECIES, tb, f)).intoArray(tb, f);
            s0.rearrange(zipHigh, s1).add(DoubleVector.fromArray(SPECIES, tb, f + LANES)).intoArray(tb, f + LANES);
        }
        return p;
    }

    /**
     * Two vectors of outputs from {@code p} of {@link #pairs}: the same chains, eight of them in flight instead of four
     * (the FMA's latency, not its throughput, bounds one vector's pass).
     */
    private void twoVectorPairs(int p, int rows, double[] ub, int uOff, double[] x, int xOff, double[] tb, int wOff) {
        DoubleVector c0 = DoubleVector.zero(SPECIES), c1 = c0, d0 = c0, d1 = c0, e0 = c0, e1 = c0, h0 = c0, h1 = c0;
        int r = 0;
        for (; r + 1 < rows; r += 2) {
            int ur = uOff + r * out + p;
            DoubleVector u = DoubleVector.fromArray(SPECIES, ub, ur);
            DoubleVector v = DoubleVector.fromArray(SPECIES, ub, ur + out);
            DoubleVector uh = DoubleVector.fromArray(SPECIES, ub, ur + LANES);
            DoubleVector vh = DoubleVector.fromArray(SPECIES, ub, ur + out + LANES);
            int xr = xOff + 2 * r;
            DoubleVector x0 = DoubleVector.broadcast(SPECIES, x[xr]), x1 = DoubleVector.broadcast(SPECIES, x[xr + 1]);
            DoubleVector y0 = DoubleVector.broadcast(SPECIES, x[xr + 2]);
            DoubleVector y1 = DoubleVector.broadcast(SPECIES, x[xr + 3]);
            c0 = x0.fma(u, c0);
            c1 = x1.fma(u, c1);
            d0 = y0.fma(v, d0);
            d1 = y1.fma(v, d1);
            e0 = x0.fma(uh, e0);
            e1 = x1.fma(uh, e1);
            h0 = y0.fma(vh, h0);
            h1 = y1.fma(vh, h1);
        }
        if (r < rows) {
            int ur = uOff + r * out + p;
            DoubleVector u = DoubleVector.fromArray(SPECIES, ub, ur);
            DoubleVector uh = DoubleVector.fromArray(SPECIES, ub, ur + LANES);
            DoubleVector x0 = DoubleVector.broadcast(SPECIES, x[xOff + 2 * r]);
            DoubleVector x1 = DoubleVector.broadcast(SPECIES, x[xOff + 2 * r + 1]);
            c0 = x0.fma(u, c0);
            c1 = x1.fma(u, c1);
            e0 = x0.fma(uh, e0);
            e1 = x1.fma(uh, e1);
        }
        DoubleVector s0 = c0.add(d0), s1 = c1.add(d1), t0 = e0.add(h0), t1 = e1.add(h1);
        int f = wOff + 2 * p;
        s0.rearrange(zipLow, s1).add(DoubleVector.fromArray(SPECIES, tb, f)).intoArray(tb, f);
        s0.rearrange(zipHigh, s1).add(DoubleVector.fromArray(SPECIES, tb, f + LANES)).intoArray(tb, f + LANES);
        t0.rearrange(zipLow, t1).add(DoubleVector.fromArray(SPECIES, tb, f + 2 * LANES)).intoArray(tb, f + 2 * LANES);
        t0.rearrange(zipHigh, t1).add(DoubleVector.fromArray(SPECIES, tb, f + 3 * LANES)).intoArray(tb, f + 3 * LANES);
    }

    /** The packed Wᵀ of a narrow input, packed again only when W's bits have changed since. */
    private void keepTransposed(double[] w, int wOff, Workspace ws) {
        int n = in * out;
        if (!ws.packed || java.util.Arrays.mismatch(w, wOff, wOff + n, ws.packedFrom, 0, n) >= 0) {
            GemmKernel.packTransposed(w, wOff, in, in, out, ws.transposed, 0, out); // transposed[i·out + p] = W[p][i]
            System.arraycopy(w, wOff, ws.packedFrom, 0, n);
            ws.packed = true;
        }
    }

    /**
     * One row, {@code in ≥ lanes} or {@code out < lanes}: per chunk of columns, one pass over the rows of W (and W̄);
     * b̄ at {@code bOff} unless that is negative.
     * x̄'s chain per k block is {@code fma(ū_p, W[p][i], …)} from +0 in p order, block sums added in block order: the
     * broadcast micro-kernels' arithmetic ({@code c·α + C·β} with α = β = 1 is {@code c + C} exactly).
     *
     * <p>Each chunk's k blocks are separate calls that take and return no vector: a block's sums go to x̄ (the first
     * block's stored, a later one's added to them there), and x's vectors are loaded in the block that uses them at
     * every step (W̄'s update), none in the pass without W̄. Vectors kept across the k-block loop, or loaded before it
     * and used under a branch inside it, were boxed in some C2 compilations (seen under C2's stress flags: a
     * {@code double[]} of x's vector allocated per chunk and call).
     */
    private void wideRow(double[] ub, int uOff, double[] x, int xOff, double[] w, int wOff, double[] tb, int bOff,
                         double[] xb, int xbOff) {
        if (tb != null && bOff >= 0) ColumnSums.accumulate(ub, uOff, 1, out, tb, bOff);
        int i = 0;
        for (; i + 4 * LANES <= in; i += 4 * LANES) {
            for (int p0 = 0; p0 < out; p0 += kBlock) {
                int end = Math.min(out, p0 + kBlock);
                if (tb == null) block4(i, p0, end, ub, uOff, w, wOff, xb, xbOff);
                else block4Grad(i, p0, end, ub, uOff, x, xOff, w, wOff, tb, xb, xbOff);
            }
        }
        for (; i + 2 * LANES <= in; i += 2 * LANES) {
            for (int p0 = 0; p0 < out; p0 += kBlock) {
                int end = Math.min(out, p0 + kBlock);
                if (tb == null) block2(i, p0, end, ub, uOff, w, wOff, xb, xbOff);
                else block2Grad(i, p0, end, ub, uOff, x, xOff, w, wOff, tb, xb, xbOff);
            }
        }
        for (; i + LANES <= in; i += LANES) {
            for (int p0 = 0; p0 < out; p0 += kBlock) {
                int end = Math.min(out, p0 + kBlock);
                if (tb == null) block1(i, p0, end, ub, uOff, w, wOff, xb, xbOff);
                else block1Grad(i, p0, end, ub, uOff, x, xOff, w, wOff, tb, xb, xbOff);
            }
        }
        for (; i < in; i++) column(i, ub, uOff, x[xOff + i], w, wOff, tb, xb, xbOff);
    }

    /** Four vectors of x̄'s columns from i, rows {@code [p0, end)} of W (a k block), without W̄. */
    private void block4(int i, int p0, int end, double[] ub, int uOff, double[] w, int wOff, double[] xb, int xbOff) {
        DoubleVector c0 = DoubleVector.zero(SPECIES), c1 = c0, c2 = c0, c3 = c0;
        for (int p = p0, r = wOff + p0 * in + i; p < end; p++, r += in) {
            DoubleVector u = DoubleVector.broadcast(SPECIES, ub[uOff + p]);
            c0 = u.fma(DoubleVector.fromArray(SPECIES, w, r), c0);
            c1 = u.fma(DoubleVector.fromArray(SPECIES, w, r + LANES), c1);
            c2 = u.fma(DoubleVector.fromArray(SPECIES, w, r + 2 * LANES), c2);
            c3 = u.fma(DoubleVector.fromArray(SPECIES, w, r + 3 * LANES), c3);
        }
        int at = xbOff + i;
        if (p0 == 0) {
            c0.intoArray(xb, at);
            c1.intoArray(xb, at + LANES);
            c2.intoArray(xb, at + 2 * LANES);
            c3.intoArray(xb, at + 3 * LANES);
        } else {
            c0.add(DoubleVector.fromArray(SPECIES, xb, at)).intoArray(xb, at);
            c1.add(DoubleVector.fromArray(SPECIES, xb, at + LANES)).intoArray(xb, at + LANES);
            c2.add(DoubleVector.fromArray(SPECIES, xb, at + 2 * LANES)).intoArray(xb, at + 2 * LANES);
            c3.add(DoubleVector.fromArray(SPECIES, xb, at + 3 * LANES)).intoArray(xb, at + 3 * LANES);
        }
    }

    /** {@link #block4} and W̄'s rows {@code [p0, end)} in those columns: {@code W̄ += ū_p·x}. */
    private void block4Grad(int i, int p0, int end, double[] ub, int uOff, double[] x, int xOff, double[] w, int wOff,
                            double[] tb, double[] xb, int xbOff) {
        int xi = xOff + i;
        DoubleVector x0 = DoubleVector.fromArray(SPECIES, x, xi), x1 = DoubleVector.fromArray(SPECIES, x, xi + LANES);
        DoubleVector x2 = DoubleVector.fromArray(SPECIES, x, xi + 2 * LANES);
        DoubleVector x3 = DoubleVector.fromArray(SPECIES, x, xi + 3 * LANES);
        DoubleVector c0 = DoubleVector.zero(SPECIES), c1 = c0, c2 = c0, c3 = c0;
        for (int p = p0, r = wOff + p0 * in + i; p < end; p++, r += in) {
            DoubleVector u = DoubleVector.broadcast(SPECIES, ub[uOff + p]);
            c0 = u.fma(DoubleVector.fromArray(SPECIES, w, r), c0);
            c1 = u.fma(DoubleVector.fromArray(SPECIES, w, r + LANES), c1);
            c2 = u.fma(DoubleVector.fromArray(SPECIES, w, r + 2 * LANES), c2);
            c3 = u.fma(DoubleVector.fromArray(SPECIES, w, r + 3 * LANES), c3);
            u.mul(x0).add(DoubleVector.fromArray(SPECIES, tb, r)).intoArray(tb, r);
            u.mul(x1).add(DoubleVector.fromArray(SPECIES, tb, r + LANES)).intoArray(tb, r + LANES);
            u.mul(x2).add(DoubleVector.fromArray(SPECIES, tb, r + 2 * LANES)).intoArray(tb, r + 2 * LANES);
            u.mul(x3).add(DoubleVector.fromArray(SPECIES, tb, r + 3 * LANES)).intoArray(tb, r + 3 * LANES);
        }
        int at = xbOff + i;
        if (p0 == 0) {
            c0.intoArray(xb, at);
            c1.intoArray(xb, at + LANES);
            c2.intoArray(xb, at + 2 * LANES);
            c3.intoArray(xb, at + 3 * LANES);
        } else {
            c0.add(DoubleVector.fromArray(SPECIES, xb, at)).intoArray(xb, at);
            c1.add(DoubleVector.fromArray(SPECIES, xb, at + LANES)).intoArray(xb, at + LANES);
            c2.add(DoubleVector.fromArray(SPECIES, xb, at + 2 * LANES)).intoArray(xb, at + 2 * LANES);
            c3.add(DoubleVector.fromArray(SPECIES, xb, at + 3 * LANES)).intoArray(xb, at + 3 * LANES);
        }
    }

    /** {@link #block4} for two vectors of columns. */
    private void block2(int i, int p0, int end, double[] ub, int uOff, double[] w, int wOff, double[] xb, int xbOff) {
        DoubleVector c0 = DoubleVector.zero(SPECIES), c1 = c0;
        for (int p = p0, r = wOff + p0 * in + i; p < end; p++, r += in) {
            DoubleVector u = DoubleVector.broadcast(SPECIES, ub[uOff + p]);
            c0 = u.fma(DoubleVector.fromArray(SPECIES, w, r), c0);
            c1 = u.fma(DoubleVector.fromArray(SPECIES, w, r + LANES), c1);
        }
        int at = xbOff + i;
        if (p0 == 0) {
            c0.intoArray(xb, at);
            c1.intoArray(xb, at + LANES);
        } else {
            c0.add(DoubleVector.fromArray(SPECIES, xb, at)).intoArray(xb, at);
            c1.add(DoubleVector.fromArray(SPECIES, xb, at + LANES)).intoArray(xb, at + LANES);
        }
    }

    /** {@link #block4Grad} for two vectors of columns. */
    private void block2Grad(int i, int p0, int end, double[] ub, int uOff, double[] x, int xOff, double[] w, int wOff,
                            double[] tb, double[] xb, int xbOff) {
        int xi = xOff + i;
        DoubleVector x0 = DoubleVector.fromArray(SPECIES, x, xi), x1 = DoubleVector.fromArray(SPECIES, x, xi + LANES);
        DoubleVector c0 = DoubleVector.zero(SPECIES), c1 = c0;
        for (int p = p0, r = wOff + p0 * in + i; p < end; p++, r += in) {
            DoubleVector u = DoubleVector.broadcast(SPECIES, ub[uOff + p]);
            c0 = u.fma(DoubleVector.fromArray(SPECIES, w, r), c0);
            c1 = u.fma(DoubleVector.fromArray(SPECIES, w, r + LANES), c1);
            u.mul(x0).add(DoubleVector.fromArray(SPECIES, tb, r)).intoArray(tb, r);
            u.mul(x1).add(DoubleVector.fromArray(SPECIES, tb, r + LANES)).intoArray(tb, r + LANES);
        }
        int at = xbOff + i;
        if (p0 == 0) {
            c0.intoArray(xb, at);
            c1.intoArray(xb, at + LANES);
        } else {
            c0.add(DoubleVector.fromArray(SPECIES, xb, at)).intoArray(xb, at);
            c1.add(DoubleVector.fromArray(SPECIES, xb, at + LANES)).intoArray(xb, at + LANES);
        }
    }

    /** {@link #block4} for one vector of columns. */
    private void block1(int i, int p0, int end, double[] ub, int uOff, double[] w, int wOff, double[] xb, int xbOff) {
        DoubleVector c0 = DoubleVector.zero(SPECIES);
        for (int p = p0, r = wOff + p0 * in + i; p < end; p++, r += in) {
            c0 = DoubleVector.broadcast(SPECIES, ub[uOff + p]).fma(DoubleVector.fromArray(SPECIES, w, r), c0);
        }
        int at = xbOff + i;
        if (p0 == 0) c0.intoArray(xb, at);
        else c0.add(DoubleVector.fromArray(SPECIES, xb, at)).intoArray(xb, at);
    }

    /** {@link #block4Grad} for one vector of columns. */
    private void block1Grad(int i, int p0, int end, double[] ub, int uOff, double[] x, int xOff, double[] w, int wOff,
                            double[] tb, double[] xb, int xbOff) {
        DoubleVector x0 = DoubleVector.fromArray(SPECIES, x, xOff + i);
        DoubleVector c0 = DoubleVector.zero(SPECIES);
        for (int p = p0, r = wOff + p0 * in + i; p < end; p++, r += in) {
            DoubleVector u = DoubleVector.broadcast(SPECIES, ub[uOff + p]);
            c0 = u.fma(DoubleVector.fromArray(SPECIES, w, r), c0);
            u.mul(x0).add(DoubleVector.fromArray(SPECIES, tb, r)).intoArray(tb, r);
        }
        int at = xbOff + i;
        if (p0 == 0) c0.intoArray(xb, at);
        else c0.add(DoubleVector.fromArray(SPECIES, xb, at)).intoArray(xb, at);
    }

    /** One column of the last partial vector (the GEMM's masked kernels: the same chain per element). */
    private void column(int i, double[] ub, int uOff, double xi, double[] w, int wOff, double[] tb, double[] xb,
                        int xbOff) {
        double s = 0.0;
        for (int p0 = 0; p0 < out; p0 += kBlock) {
            double c = 0.0;
            for (int p = p0, end = Math.min(out, p0 + kBlock); p < end; p++) {
                int r = wOff + p * in + i;
                c = Math.fma(ub[uOff + p], w[r], c);
                if (tb != null) tb[r] += ub[uOff + p] * xi;
            }
            s = p0 == 0 ? c : c + s;
        }
        xb[xbOff + i] = s;
    }

    /**
     * One row of a narrow input ({@code in < lanes ≤ out}): x̄_i is the GEMM's dot-product form itself
     * ({@link GemmKernel#dot1x1} and its lane sum) on column i of W, from a packed Wᵀ that the workspace keeps while
     * W's bits stay the same (as {@link DenseKernel} keeps its panel; the GEMM packs it on every call); then the
     * rank-1 update and the bias (unless {@code bOff} is negative), row by row of W̄.
     */
    private void narrowRow(double[] ub, double[] x, int xOff, double[] w, int wOff, double[] tb, int bOff,
                           double[] xb, Workspace ws) {
        keepTransposed(w, wOff, ws);
        // ū into a padded row, so that the masked last vector of each dot product stays inside its arrays (a masked
        // load across an array's end leaves the intrinsic for a lane-by-lane check)
        System.arraycopy(ub, 0, ws.uPadded, 0, out);
        for (int i = 0; i < in; i++) {
            GemmKernel.dot1x1(out, ws.uPadded, 0, ws.transposed, i * out, ws.uPadded, 0, ws.transposed, i * out,
                    ws.lanes);
            xb[i] = GemmKernel.laneSum(ws.lanes, 0);
        }
        if (tb == null) return;
        rankOneFlat(ub, x, xOff, tb, wOff, ws);
        if (bOff >= 0) ColumnSums.accumulate(ub, 0, 1, out, tb, bOff);
    }

    /**
     * {@code W̄[f] += ū[f / in]·x[f mod in]} over W̄'s {@code out·in} elements. When {@code in} divides the lanes, as
     * one flat run of vectors: x tiled once into a vector, each vector of ū spread over {@code in} vectors of W̄ by
     * fixed shuffles (no gathers: a gather here would share its JIT profile with the forward kernels' gathers); the
     * rows past the last whole vector of ū, and every other narrow input, in scalar code.
     */
    private void rankOneFlat(double[] ub, double[] x, int xOff, double[] tb, int wOff, Workspace ws) {
        int p = 0;
        if (spread.length > 0) {
            for (int l = 0; l < LANES; l++) ws.xTile[l] = x[xOff + l % in];
            DoubleVector xv = DoubleVector.fromArray(SPECIES, ws.xTile, 0);
            for (int f = wOff; p + LANES <= out; p += LANES) {
                DoubleVector u = DoubleVector.fromArray(SPECIES, ub, p);
                for (int q = 0; q < in; q++, f += LANES) {
                    u.rearrange(spread[q]).mul(xv).add(DoubleVector.fromArray(SPECIES, tb, f)).intoArray(tb, f);
                }
            }
        }
        for (int r = wOff + p * in; p < out; p++, r += in) {
            double u = ub[p];
            for (int i = 0; i < in; i++) tb[r + i] += u * x[xOff + i];
        }
    }

    /**
     * The per-thread scratch of a {@link DenseVjpKernel}: for a narrow input the packed Wᵀ, the W it was packed from
     * and a row for lane sums.
     */
    public static final class Workspace {
        /** Lane sums of up to four dot products. */
        final double[] lanes = new double[GemmKernel.DOT_SCRATCH]; // the dot products' sums and tails
        /** Wᵀ, a vector longer than needed (see {@link #uPadded}). */
        final double[] transposed;
        final double[] packedFrom;
        /** A copy of ū with a vector of room after it. */
        final double[] uPadded;
        /** x repeated across one vector, for the flat rank-1 update. */
        final double[] xTile = new double[LANES];
        /** One vector of weight-gradient sums per input, for a block of a narrow input. */
        final double[] sums;
        boolean packed;

        private Workspace(int weights, int out) {
            this.sums = new double[out == 0 ? 0 : weights / out * LANES];
            this.transposed = new double[weights == 0 ? 0 : weights + LANES];
            this.packedFrom = new double[weights];
            this.uPadded = new double[out == 0 ? 0 : out + LANES];
        }
    }
}
