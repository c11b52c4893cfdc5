package dev.panode.simd;

import static dev.panode.simd.Simd.FLOAT_LANES;
import static dev.panode.simd.Simd.FLOAT_SPECIES;

import dev.panode.blas.Transpose;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;

/**
 * The float backward pass of one dense layer {@code U = X·Wᵀ + 1·bᵀ} given the cotangent Ū of its pre-activation
 * (the activation derivative already applied): {@code W̄ += Ūᵀ·X}, {@code b̄ += Σ_rows Ū} and {@code X̄ = Ū·W}
 * (docs/ALGORITHMS.md §6), W row-major {@code out × in}: the float counterpart of {@link DenseVjpKernel}, the twin of
 * {@link DenseKernelF32} for the VJP.
 *
 * <p>A block of several rows is two products through {@link GemmF32#sgemm} and the column sums
 * ({@link ColumnSums}), but for a two-input layer whose products the dispatcher keeps on the Java kernel (2 → 50 over a
 * batch): there W̄'s product runs its column form with two of a vector's lanes per output and X̄'s packs Wᵀ on every
 * call, so W̄ is vectorised across the outputs and X̄ is the GEMM's dot products on a kept Wᵀ, in the GEMM's order
 * ({@code twoInputBlock}). A single
 * row (batch 1) is a rank-1 update and a vector–matrix product, which the blocked GEMM handles badly; here one pass
 * over the rows of W does all three ({@code b̄_p += ū_p}, {@code W̄[p, ·] += ū_p·x}, {@code x̄ += ū_p·W[p, ·]}, row p
 * of W and W̄ read once while in L1). Its form is chosen once, from the layer's shape:
 *
 * <ul>
 *   <li>an input of at least one vector, or an output narrower than one: the columns in chunks of two or one vectors
 *       (the last partial vector masked), each chunk's x̄ in registers across the pass;</li>
 *   <li>a narrower input with a wide output ({@code in < lanes ≤ out}, the first layer of a low-dimensional ODE): x̄
 *       by the GEMM's own dot products on a packed Wᵀ kept in the workspace while W's bits stay the same, then the
 *       rank-1 update over W̄ as one flat run of vectors (ū spread over the lanes by fixed shuffles) when {@code in}
 *       divides the lanes, else row by row.</li>
 * </ul>
 *
 * <p><b>Results.</b> Bit for bit those of the block path for that row: W̄'s elements are {@code W̄ + ū_p·x_i} (the
 * GEMM's product of depth 1 stored by {@code fma(Σ, 1, c)}), x̄'s are {@link GemmKernelF32}'s FMA chain along p from
 * +0, restarted at each k block of {@link GemmKernelF32#KC} and summed block by block, or, for a narrow input, its dot
 * products' lane sums. A block of fewer rows than the dispatcher's row rule ({@link GemmThresholds#minBlasVjpRows()})
 * stays on the Java kernels whatever the rules say of its products (one row this fused pass, a few rows the Java
 * GEMM), so a single row keeps its bits in such blocks; from that many rows, a row takes this pass only when the
 * dispatcher ({@link GemmF32#backendFor(Transpose, Transpose, int, int, int)}) keeps both products on the Java kernel.
 *
 * <p>Cost for one row: {@code 2·in·out} multiply–adds and one pass over W and W̄ (for a narrow input also a comparison
 * of W with the copy the packed Wᵀ came from); nothing allocated (the scratch lives in the caller's
 * {@link Workspace}). Unchecked: the caller (a layer) has checked the sizes once. Not for the forward pass
 * ({@link DenseKernelF32}) nor for blocks of many rows (the GEMM is the right tool there).
 */
public final class DenseVjpKernelF32 {
    private final int in;
    private final int out;
    /** The one-row product {@code x̄ = ū·W} is the GEMM's dot-product form (lane sums) rather than its FMA chains. */
    private final boolean dotForm;
    /** For a narrow input that divides the lanes: shuffle q puts ū's row {@code (q·lanes + l) / in} into lane l. */
    private final VectorShuffle<Float>[] spread;
    /**
     * For two inputs: lanes 2j and 2j + 1 from lane j of the first and of the second vector (zipLow), or from lanes
     * {@code lanes/2 + j} (zipHigh); a negative source index takes the second vector.
     */
    private final VectorShuffle<Float> zipLow;
    private final VectorShuffle<Float> zipHigh;

    private DenseVjpKernelF32(int in, int out) {
        this.in = in;
        this.out = out;
        this.dotForm = in < FLOAT_LANES && out >= FLOAT_LANES; // GemmKernelF32's choice for m = 1, n = in, k = out
        @SuppressWarnings("unchecked")
        VectorShuffle<Float>[] sh = new VectorShuffle[dotForm && FLOAT_LANES % in == 0 ? in : 0];
        for (int q = 0; q < sh.length; q++) {
            int[] idx = new int[FLOAT_LANES];
            for (int l = 0; l < FLOAT_LANES; l++) idx[l] = (q * FLOAT_LANES + l) / in;
            sh[q] = VectorShuffle.fromArray(FLOAT_SPECIES, idx, 0);
        }
        this.spread = sh;
        int[] low = new int[FLOAT_LANES], high = new int[FLOAT_LANES];
        for (int j = 0; j < FLOAT_LANES / 2; j++) {
            low[2 * j] = j;
            low[2 * j + 1] = j - FLOAT_LANES;
            high[2 * j] = FLOAT_LANES / 2 + j;
            high[2 * j + 1] = FLOAT_LANES / 2 + j - FLOAT_LANES;
        }
        this.zipLow = VectorShuffle.fromArray(FLOAT_SPECIES, low, 0);
        this.zipHigh = VectorShuffle.fromArray(FLOAT_SPECIES, high, 0);
    }

    /**
     * The backward kernel of a float layer {@code in → out}.
     *
     * @throws IllegalArgumentException when a width is below 1
     */
    public static DenseVjpKernelF32 of(int in, int out) {
        if (in < 1) throw new IllegalArgumentException("in must be >= 1, got " + in);
        if (out < 1) throw new IllegalArgumentException("out must be >= 1, got " + out);
        return new DenseVjpKernelF32(in, out);
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
    public void backward(int rows, float[] uBar, float[] x, int xOff, float[] theta, int wOff, float[] thetaBar,
                         int bOff, float[] xBar, Workspace ws) {
        backward(rows, uBar, x, xOff, theta, wOff, thetaBar, bOff, true, xBar, ws);
    }

    /**
     * {@link #backward(int, float[], float[], int, float[], int, float[], int, float[], Workspace)}, leaving b̄ alone
     * when {@code sumBias} is false: for a caller that has added {@code Σ_rows Ū} to b̄ already, in the pass that
     * formed Ū ({@link ActivationKernelF32#derivativeTimesColumnSums}). The same bits.
     */
    public void backward(int rows, float[] uBar, float[] x, int xOff, float[] theta, int wOff, float[] thetaBar,
                         int bOff, boolean sumBias, float[] xBar, Workspace ws) {
        if (rows == 0) return;
        int biasAt = sumBias ? bOff : -1;
        boolean small = GemmF32.thresholds().javaVjp(rows);
        boolean java = small || GemmF32.backendFor(Transpose.YES, Transpose.NO, out, in, rows) == Gemm.Backend.JAVA
                && GemmF32.backendFor(Transpose.NO, Transpose.NO, rows, in, out) == Gemm.Backend.JAVA;
        if (rows == 1 && java) {
            if (dotForm) narrowRow(uBar, x, xOff, theta, wOff, thetaBar, biasAt, xBar, ws);
            else wideRow(uBar, x, xOff, theta, wOff, thetaBar, biasAt, xBar);
            return;
        }
        if (dotForm && in == 2 && java) {
            twoInputBlock(rows, uBar, x, xOff, theta, wOff, thetaBar, biasAt, xBar, ws);
            return;
        }
        if (thetaBar != null) {
            sgemm(small, Transpose.YES, out, in, rows, uBar, 0, out, x, xOff, 1.0f, thetaBar, wOff);
            if (sumBias) ColumnSums.accumulate(uBar, 0, rows, out, thetaBar, bOff);
        }
        sgemm(small, Transpose.NO, rows, in, out, uBar, 0, out, theta, wOff, 0.0f, xBar, 0);
    }

    /**
     * {@code C = op(A)·B + β·C} (B not transposed, {@code ldb = ldc = n}, α = 1) on the Java kernel when
     * {@code java}, else through the dispatcher.
     */
    private static void sgemm(boolean java, Transpose ta, int m, int n, int k, float[] a, int aOff, int lda,
                              float[] b, int bOff, float beta, float[] c, int cOff) {
        if (java) GemmKernelF32.sgemm(ta, Transpose.NO, m, n, k, 1.0f, a, aOff, lda, b, bOff, n, beta, c, cOff, n);
        else GemmF32.sgemm(ta, Transpose.NO, m, n, k, 1.0f, a, aOff, lda, b, bOff, n, beta, c, cOff, n);
    }

    /**
     * One row, {@code in ≥ lanes} or {@code out < lanes}: per chunk of columns, one pass over the rows of W (and W̄).
     * x̄'s chain per k block is {@code fma(ū_p, W[p][i], …)} from +0 in p order, block sums added in block order: the
     * broadcast micro-kernels' arithmetic ({@code fma(Σ, 1, C)} is {@code Σ + C}).
     */
    private void wideRow(float[] ub, float[] x, int xOff, float[] w, int wOff, float[] tb, int bOff, float[] xb) {
        if (tb != null && bOff >= 0) ColumnSums.accumulate(ub, 0, 1, out, tb, bOff);
        int i = 0;
        for (; i + 2 * FLOAT_LANES <= in; i += 2 * FLOAT_LANES) chunk2(i, ub, x, xOff, w, wOff, tb, xb);
        for (; i < in; i += FLOAT_LANES) chunk1(i, Math.min(FLOAT_LANES, in - i), ub, x, xOff, w, wOff, tb, xb);
    }

    private void chunk2(int i, float[] ub, float[] x, int xOff, float[] w, int wOff, float[] tb, float[] xb) {
        int xi = xOff + i;
        FloatVector x0 = FloatVector.fromArray(FLOAT_SPECIES, x, xi);
        FloatVector x1 = FloatVector.fromArray(FLOAT_SPECIES, x, xi + FLOAT_LANES);
        FloatVector zero = FloatVector.zero(FLOAT_SPECIES);
        FloatVector s0 = zero, s1 = zero;
        for (int p0 = 0; p0 < out; p0 += GemmKernelF32.KC) {
            FloatVector c0 = zero, c1 = zero;
            for (int p = p0, end = Math.min(out, p0 + GemmKernelF32.KC); p < end; p++) {
                int r = wOff + p * in + i;
                FloatVector u = FloatVector.broadcast(FLOAT_SPECIES, ub[p]);
                c0 = u.fma(FloatVector.fromArray(FLOAT_SPECIES, w, r), c0);
                c1 = u.fma(FloatVector.fromArray(FLOAT_SPECIES, w, r + FLOAT_LANES), c1);
                if (tb != null) {
                    u.mul(x0).add(FloatVector.fromArray(FLOAT_SPECIES, tb, r)).intoArray(tb, r);
                    u.mul(x1).add(FloatVector.fromArray(FLOAT_SPECIES, tb, r + FLOAT_LANES)).intoArray(tb, r + FLOAT_LANES);
                }
            }
            s0 = p0 == 0 ? c0 : c0.add(s0);
            s1 = p0 == 0 ? c1 : c1.add(s1);
        }
        s0.intoArray(xb, i);
        s1.intoArray(xb, i + FLOAT_LANES);
    }

    /** One vector of columns, the last one masked to {@code width} (the GEMM's masked kernel: the same chain). */
    private void chunk1(int i, int width, float[] ub, float[] x, int xOff, float[] w, int wOff, float[] tb,
                        float[] xb) {
        VectorMask<Float> m = FLOAT_SPECIES.indexInRange(0, width); // made here: a mask passed in is boxed
        FloatVector x0 = FloatVector.fromArray(FLOAT_SPECIES, x, xOff + i, m);
        FloatVector s0 = FloatVector.zero(FLOAT_SPECIES);
        for (int p0 = 0; p0 < out; p0 += GemmKernelF32.KC) {
            FloatVector c0 = FloatVector.zero(FLOAT_SPECIES);
            for (int p = p0, end = Math.min(out, p0 + GemmKernelF32.KC); p < end; p++) {
                int r = wOff + p * in + i;
                FloatVector u = FloatVector.broadcast(FLOAT_SPECIES, ub[p]);
                c0 = u.fma(FloatVector.fromArray(FLOAT_SPECIES, w, r, m), c0);
                if (tb != null) u.mul(x0).add(FloatVector.fromArray(FLOAT_SPECIES, tb, r, m)).intoArray(tb, r, m);
            }
            s0 = p0 == 0 ? c0 : c0.add(s0);
        }
        s0.intoArray(xb, i, m);
    }

    /**
     * One row of a narrow input ({@code in < lanes ≤ out}): x̄_i is the GEMM's dot-product form itself
     * ({@link DotKernelF32#dot}) on column i of W, from a packed Wᵀ that the workspace keeps while
     * W's bits stay the same (the GEMM packs it on every call); then the rank-1 update and the bias.
     */
    private void narrowRow(float[] ub, float[] x, int xOff, float[] w, int wOff, float[] tb, int bOff, float[] xb,
                           Workspace ws) {
        keepTransposed(w, wOff, ws);
        // ū into a padded row, so that the masked last vector of each dot product stays inside its arrays
        System.arraycopy(ub, 0, ws.uPadded, 0, out);
        for (int i = 0; i < in; i++) {
            xb[i] = DotKernelF32.dot(out, ws.uPadded, 0, ws.transposed, i * out, ws.uPadded, 0, ws.transposed, i * out,
                    ws.lanes);
        }
        if (tb == null) return;
        rankOneFlat(ub, x, xOff, tb, wOff, ws);
        if (bOff >= 0) ColumnSums.accumulate(ub, 0, 1, out, tb, bOff);
    }

    /** The packed Wᵀ of a narrow input ({@code transposed[i·out + p] = W[p][i]}), packed again only when W's bits
     * have changed since. */
    private void keepTransposed(float[] w, int wOff, Workspace ws) {
        int n = in * out;
        if (!ws.packed || !DenseKernelF32.sameBits(w, wOff, ws.packedFrom, n)) {
            GemmKernelF32.packTransposed(w, wOff, in, in, out, ws.transposed, out);
            System.arraycopy(w, wOff, ws.packedFrom, 0, n);
            ws.packed = true;
        }
    }

    /**
     * A block of two or more rows of a two-input layer ({@code in = 2 < lanes ≤ out}: the first layer of a 2-D ODE
     * over a batch) whose two products the dispatcher keeps on the Java kernel, in that kernel's order element by
     * element: {@code W̄ += Ūᵀ·X} vectorised across the outputs ({@link #twoInputWeights}, where the GEMM's column
     * form runs one or two vectors of outputs per input and stores each sum through a scratch row), b̄ by the column
     * sums (unless {@code bOff} is negative), {@code X̄ = Ū·W} by the GEMM's own dot products
     * ({@link DotKernelF32#products}) on the Wᵀ kept in the workspace (the GEMM packs it on every call), added to
     * zeros as the GEMM adds them to a C it has zeroed.
     */
    private void twoInputBlock(int rows, float[] ub, float[] x, int xOff, float[] w, int wOff, float[] tb, int bOff,
                               float[] xb, Workspace ws) {
        if (tb != null) {
            twoInputWeights(rows, ub, x, xOff, tb, wOff);
            if (bOff >= 0) ColumnSums.accumulate(ub, 0, rows, out, tb, bOff);
        }
        keepTransposed(w, wOff, ws); // a vector longer than Wᵀ: its rows' tails stay inside it
        java.util.Arrays.fill(xb, 0, rows * in, 0.0f);
        DotKernelF32.products(rows, in, out, 1.0f, ub, 0, out, ws.transposed, 0, out, xb, 0, in, null, 0, ws.scratch);
    }

    /**
     * {@code W̄[p][i] += Σ_r ū[r][p]·x[r][i]} for two inputs: per three vectors of outputs, then per vector, the six
     * (two) chains along the rows run across the lanes (ū's row r times the broadcast {@code x[r][i]}), and the two
     * sums are interleaved into W̄'s rows by two fixed two-vector shuffles; the outputs after the last whole vector in
     * scalar code. Each element is the GEMM's column form: one chain of FMAs along all the rows from +0, then
     * {@code + W̄}.
     */
    private void twoInputWeights(int rows, float[] ub, float[] x, int xOff, float[] tb, int wOff) {
        int l = FLOAT_LANES, p = 0;
        for (; p + 3 * l <= out; p += 3 * l) {
            FloatVector zero = FloatVector.zero(FLOAT_SPECIES);
            FloatVector a0 = zero, a1 = zero, b0 = zero, b1 = zero, c0 = zero, c1 = zero;
            for (int r = 0; r < rows; r++) {
                int ur = r * out + p, xr = xOff + 2 * r;
                FloatVector ua = FloatVector.fromArray(FLOAT_SPECIES, ub, ur);
                FloatVector ubv = FloatVector.fromArray(FLOAT_SPECIES, ub, ur + l);
                FloatVector uc = FloatVector.fromArray(FLOAT_SPECIES, ub, ur + 2 * l);
                FloatVector x0 = FloatVector.broadcast(FLOAT_SPECIES, x[xr]);
                FloatVector x1 = FloatVector.broadcast(FLOAT_SPECIES, x[xr + 1]);
                a0 = ua.fma(x0, a0);
                a1 = ua.fma(x1, a1);
                b0 = ubv.fma(x0, b0);
                b1 = ubv.fma(x1, b1);
                c0 = uc.fma(x0, c0);
                c1 = uc.fma(x1, c1);
            }
            int f = wOff + 2 * p;
            a0.rearrange(zipLow, a1).add(FloatVector.fromArray(FLOAT_SPECIES, tb, f)).intoArray(tb, f);
            a0.rearrange(zipHigh, a1).add(FloatVector.fromArray(FLOAT_SPECIES, tb, f + l)).intoArray(tb, f + l);
            b0.rearrange(zipLow, b1).add(FloatVector.fromArray(FLOAT_SPECIES, tb, f + 2 * l)).intoArray(tb, f + 2 * l);
            b0.rearrange(zipHigh, b1).add(FloatVector.fromArray(FLOAT_SPECIES, tb, f + 3 * l)).intoArray(tb, f + 3 * l);
            c0.rearrange(zipLow, c1).add(FloatVector.fromArray(FLOAT_SPECIES, tb, f + 4 * l)).intoArray(tb, f + 4 * l);
            c0.rearrange(zipHigh, c1).add(FloatVector.fromArray(FLOAT_SPECIES, tb, f + 5 * l)).intoArray(tb, f + 5 * l);
        }
        for (; p + l <= out; p += l) {
            FloatVector a0 = FloatVector.zero(FLOAT_SPECIES), a1 = a0;
            for (int r = 0; r < rows; r++) {
                FloatVector u = FloatVector.fromArray(FLOAT_SPECIES, ub, r * out + p);
                a0 = u.fma(FloatVector.broadcast(FLOAT_SPECIES, x[xOff + 2 * r]), a0);
                a1 = u.fma(FloatVector.broadcast(FLOAT_SPECIES, x[xOff + 2 * r + 1]), a1);
            }
            int f = wOff + 2 * p;
            a0.rearrange(zipLow, a1).add(FloatVector.fromArray(FLOAT_SPECIES, tb, f)).intoArray(tb, f);
            a0.rearrange(zipHigh, a1).add(FloatVector.fromArray(FLOAT_SPECIES, tb, f + l)).intoArray(tb, f + l);
        }
        for (; p < out; p++) {
            float c0 = 0.0f, c1 = 0.0f;
            for (int r = 0; r < rows; r++) {
                float u = ub[r * out + p];
                c0 = Math.fma(u, x[xOff + 2 * r], c0);
                c1 = Math.fma(u, x[xOff + 2 * r + 1], c1);
            }
            int f = wOff + 2 * p;
            tb[f] = c0 + tb[f];
            tb[f + 1] = c1 + tb[f + 1];
        }
    }

    /**
     * {@code W̄[f] += ū[f / in]·x[f mod in]} over W̄'s {@code out·in} elements. When {@code in} divides the lanes, as
     * one flat run of vectors: x tiled once into a vector, each vector of ū spread over {@code in} vectors of W̄ by
     * fixed shuffles; the rows past the last whole vector of ū, and every other narrow input, in scalar code.
     */
    private void rankOneFlat(float[] ub, float[] x, int xOff, float[] tb, int wOff, Workspace ws) {
        int p = 0;
        if (spread.length > 0) {
            for (int l = 0; l < FLOAT_LANES; l++) ws.xTile[l] = x[xOff + l % in];
            FloatVector xv = FloatVector.fromArray(FLOAT_SPECIES, ws.xTile, 0);
            for (int f = wOff; p + FLOAT_LANES <= out; p += FLOAT_LANES) {
                FloatVector u = FloatVector.fromArray(FLOAT_SPECIES, ub, p);
                for (int q = 0; q < in; q++, f += FLOAT_LANES) {
                    u.rearrange(spread[q]).mul(xv).add(FloatVector.fromArray(FLOAT_SPECIES, tb, f)).intoArray(tb, f);
                }
            }
        }
        for (int r = wOff + p * in; p < out; p++, r += in) {
            float u = ub[p];
            for (int i = 0; i < in; i++) tb[r + i] += u * x[xOff + i];
        }
    }

    /**
     * The per-thread scratch of a {@link DenseVjpKernelF32}: for a narrow input the packed Wᵀ, the W it was packed
     * from and a row for lane sums.
     */
    public static final class Workspace {
        final float[] lanes = new float[FLOAT_LANES];
        /** Wᵀ, a vector longer than needed (see {@link #uPadded}). */
        final float[] transposed;
        final float[] packedFrom;
        /** A copy of ū with a vector of room after it. */
        final float[] uPadded;
        /** x repeated across one vector, for the flat rank-1 update. */
        final float[] xTile = new float[FLOAT_LANES];
        /** The dot products' sums and tails ({@link DotKernelF32#products}), for a narrow input. */
        final float[] scratch;
        boolean packed;

        private Workspace(int weights, int out) {
            this.transposed = new float[weights == 0 ? 0 : weights + FLOAT_LANES];
            this.packedFrom = new float[weights];
            this.uPadded = new float[out == 0 ? 0 : out + FLOAT_LANES];
            this.scratch = new float[weights == 0 ? 0 : DotKernelF32.SCRATCH];
        }
    }
}
