package dev.panode.simd;

import static dev.panode.simd.Simd.FLOAT_LANES;
import static dev.panode.simd.Simd.FLOAT_SPECIES;

import dev.panode.blas.Transpose;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The single-precision fused dense layer, {@code U = X·Wᵀ + 1·bᵀ}, {@code A = σ(U)} on {@code float[]}: the float
 * counterpart of {@link DenseKernel} (W row-major {@code out × in}, as {@code torch.nn.Linear}), with the product, the
 * bias and the activation done block by block while the block is in L1 (docs/ALGORITHMS.md §6). Its form is chosen
 * once, from the layer's shape:
 *
 * <ul>
 *   <li>{@link Form#DOT}: an output narrower than a float vector with an input of at least one
 *       ({@code out < lanes ≤ in}, the output layer of a low-dimensional ODE): dot products of the rows of X with the
 *       rows of W ({@link DotKernelF32}: four rows of X against two of W per pass, their lanes summed by shuffles),
 *       each stored plus its bias, then σ;</li>
 *   <li>{@link Form#BROADCAST}: everything else the Java kernel computes in one k block. Wᵀ is packed into the
 *       workspace and kept there while W's bits stay the same (every stage of every step between two optimiser
 *       updates: a contiguous comparison of W replaces the strided packing); the rows are cut into blocks of about
 *       16 KiB of output, each started from the bias rows, computed by {@link GemmKernelF32}'s broadcast
 *       micro-kernels (which add their sums to it) and then, still in L1, given its activation;</li>
 *   <li>a single row (batch 1) of a BROADCAST layer: the matrix–vector product on the packed panel, up to eight
 *       vectors of outputs per pass over the input (eight independent FMA chains), then the bias and σ in one pass;
 *       of a DOT layer: the same dot products, four rows of W against the row per pass;</li>
 *   <li>{@link Form#GEMM}: an input deeper than the float kernel's k block, and, whatever the form, any call the
 *       dispatcher ({@link GemmF32#backendFor}) gives to OpenBLAS: {@link GemmF32#sgemm}, then one bias-and-activation
 *       pass.</li>
 * </ul>
 *
 * <p><b>Results.</b> Every form gives the bits of {@link GemmF32#sgemm} followed by
 * {@link ActivationKernelF32#biasActivate}: the same micro-kernels sum in the same order. Each output row's chain of
 * FMAs does not depend on the other rows, so a row gives the same bits alone as in a batch while the products stay in
 * the Java kernels (the per-sample solver relies on it, as in double).
 *
 * <p><b>The packed Wᵀ.</b> Kept in the workspace while W's bits stay the same: every call compares W with the copy
 * taken when it was packed (a vector comparison), except while the workspace is {@linkplain Workspace#holdWeights
 * held} — a solve promises that the weights do not change until it ends — when only the first call of the hold
 * compares.
 *
 * <p>Cost: {@code rows·in·out} float FMAs plus, for BROADCAST, one contiguous pass over W (a strided one when W
 * changed). Nothing is allocated: the panel and the copy of W live in the caller's {@link Workspace}. Unchecked: the
 * caller (a layer) has checked the sizes once. Not for large products alone ({@link GemmF32#sgemm} is the general
 * entry point).
 */
public final class DenseKernelF32 {
    /** How a layer's product is computed (a single row of a short input has its own gather kernel). */
    public enum Form {
        /** Dot products along the input; for an output narrower than a vector. */
        DOT,
        /** The broadcast micro-kernels on row blocks, bias and activation per block. */
        BROADCAST,
        /** The GEMM dispatcher, then one bias-and-activation pass; for inputs deeper than the kernel's k block. */
        GEMM
    }

    /** Output elements per row block of the broadcast form: 4096 floats, 16 KiB, half an L1 data cache. */
    private static final int BLOCK_ELEMENTS = 4096;
    /** Vectors of outputs per pass of the single-row panel kernel ({@link #row8}): independent FMA chains in flight. */
    private static final int ROW_VECTORS = 8;
    private static final VectorSpecies<Integer> INT_SPECIES = FLOAT_SPECIES.withLanes(int.class);
    /** Elements {@link #sameBits} compares per call of its vector loop (a multiple of every vector's lanes). */
    static final int COMPARED_CHUNK = 512;

    private final int in;
    private final int out;
    private final ActivationKernel act;
    private final Form form;
    /** Row stride of the packed Wᵀ: out rounded up to whole vectors. */
    private final int ldp;
    private final int blockRows;

    private DenseKernelF32(int in, int out, ActivationKernel act) {
        this.in = in;
        this.out = out;
        this.act = act;
        this.ldp = (out + FLOAT_LANES - 1) / FLOAT_LANES * FLOAT_LANES;
        // GemmKernelF32 cuts a transposed B's k into blocks of this depth: a layer within one block keeps its bits
        int kBlock = Math.max(1, Math.min(GemmKernelF32.KC, GemmKernelF32.PACK_CAPACITY / out));
        boolean dot = out < FLOAT_LANES && in >= FLOAT_LANES;
        this.form = dot ? Form.DOT : in > kBlock ? Form.GEMM : Form.BROADCAST;
        int rows = BLOCK_ELEMENTS / out / GemmKernelF32.MR * GemmKernelF32.MR;
        this.blockRows = Math.max(GemmKernelF32.MR, rows);
    }

    /**
     * The kernel of a float layer {@code in → out} with activation {@code act} (one that {@link ActivationKernelF32}
     * supports).
     *
     * @throws IllegalArgumentException when a width is below 1, {@code act} is null or has no float kernel
     */
    public static DenseKernelF32 of(int in, int out, ActivationKernel act) {
        if (in < 1) throw new IllegalArgumentException("in must be >= 1, got " + in);
        if (out < 1) throw new IllegalArgumentException("out must be >= 1, got " + out);
        if (act == null) throw new IllegalArgumentException("act must be non-null");
        return new DenseKernelF32(in, out, ActivationKernelF32.require(act));
    }

    /** The form chosen for this layer's shape (for blocks of more than one row). */
    public Form form() {
        return form;
    }

    /**
     * Elements a caller may leave after the last row of the X it passes (a buffer it owns) so that the dot form reads
     * the last rows' partial vectors in place: without them those tails are copied at every call (see
     * {@link DotKernelF32#tailsPastEnd}). One float vector.
     */
    public static final int INPUT_PADDING = FLOAT_LANES;

    /** The floats {@link #newWorkspace} allocates (the panel, the copy of W, the row sums, the lane sums, W's tails). */
    public long workspaceFloats() {
        return (packs() ? panelLength() + (long) in * out + rowSumsLength() : 0) + DotKernelF32.SCRATCH
                + (form == Form.DOT ? (long) (out + 1) * FLOAT_LANES : 0);
    }

    /**
     * Scratch for one thread: the panel for the packed Wᵀ, a copy of W and a row for lane sums (BROADCAST), or the
     * copy of W's rows' tails (DOT). Made once.
     */
    public Workspace newWorkspace() {
        return packs() ? new Workspace(panelLength(), in * out, rowSumsLength(), 0)
                : new Workspace(0, 0, 0, form == Form.DOT ? (out + 1) * FLOAT_LANES : 0);
    }

    /** Whether this layer keeps a packed Wᵀ (the BROADCAST form). */
    private boolean packs() {
        return form == Form.BROADCAST;
    }

    /** {@code out} rounded up to whole passes of {@link #row8}. */
    private int rowSumsLength() {
        int pass = ROW_VECTORS * FLOAT_LANES;
        return (out + pass - 1) / pass * pass;
    }

    /** Wᵀ's rows a whole number of vectors apart, and a pass of {@link #row8} of padding. */
    private int panelLength() {
        return in * ldp + ROW_VECTORS * FLOAT_LANES;
    }

    /**
     * {@code u = x·Wᵀ + 1·bᵀ}, {@code a = σ(u)} for {@code rows} rows; x is {@code rows × in}, u and a are
     * {@code rows × out}, all row-major from offset 0; W at {@code theta[wOff ..]}, b at {@code theta[bOff ..]}.
     *
     * @param u the pre-activation, or the same array as {@code a} when it is not needed later (the activation is then
     *          applied in place); must not alias x
     */
    public void forward(int rows, float[] x, float[] theta, int wOff, int bOff, float[] u, float[] a, Workspace ws) {
        forward(rows, x, 0, theta, wOff, bOff, u, 0, a, 0, ws);
    }

    /**
     * {@link #forward(int, float[], float[], int, int, float[], float[], Workspace)} on blocks that start at offsets:
     * x at {@code xOff}, u at {@code uOff}, a at {@code aOff} (a backprop pass writes each layer's output straight into
     * its saved stage this way, without a copy). The same bits as from offset 0.
     *
     * @param u the pre-activation, or the same array and offset as {@code a} when it is not needed later; must not
     *          overlap x, and must not overlap a unless it is the same block
     */
    public void forward(int rows, float[] x, int xOff, float[] theta, int wOff, int bOff, float[] u, int uOff,
                        float[] a, int aOff, Workspace ws) {
        forward(rows, x, xOff, theta, wOff, bOff, u, uOff, a, aOff, true, ws);
    }

    /**
     * {@link #forward(int, float[], int, float[], int, int, float[], int, float[], int, Workspace)} with the
     * pre-activation not kept: the product is formed in {@code scratch[0, rows·out)} (left undefined) and only
     * {@code a = σ(U)} is stored, at {@code aOff}. For an output block that is not in cache (a backprop pass's saved
     * evaluation): it is then written once, by the activation pass, while the product works in the scratch, which
     * every call reuses. The same bits.
     *
     * @param scratch at least {@code rows·out} floats; must not overlap x or a
     */
    public void forwardThrough(int rows, float[] x, int xOff, float[] theta, int wOff, int bOff, float[] scratch,
                               float[] a, int aOff, Workspace ws) {
        forward(rows, x, xOff, theta, wOff, bOff, scratch, 0, a, aOff, false, ws);
    }

    private void forward(int rows, float[] x, int xOff, float[] theta, int wOff, int bOff, float[] u, int uOff,
                         float[] a, int aOff, boolean keepU, Workspace ws) {
        if (rows == 0) return;
        float[] pre = keepU ? u : a; // where the bias pass stores the pre-activation: u, or a when it is not kept
        int preOff = keepU ? uOff : aOff;
        if (form == Form.GEMM || GemmF32.backendFor(rows, out, in) == Gemm.Backend.OPENBLAS) {
            GemmF32.sgemm(Transpose.NO, Transpose.YES, rows, out, in, 1.0f, x, xOff, in, theta, wOff, in, 0.0f, u,
                    uOff, out);
            ActivationKernelF32.biasActivate(act, u, uOff, theta, bOff, rows, out, pre, preOff, a, aOff);
        } else if (form == Form.DOT) {
            // each dot product plus its bias as it is stored (Σ + b, rounded once, as the bias pass would), then σ
            boolean kept = keptTails(theta, wOff, ws);
            DotKernelF32.products(rows, out, in, 1.0f, x, xOff, in, theta, wOff, in, kept ? ws.rowEnds : theta,
                    kept ? FLOAT_LANES - in : wOff, kept ? FLOAT_LANES : in, pre, preOff, out, theta, bOff, ws.lanes);
            ActivationKernelF32.apply(act, pre, preOff, a, aOff, rows * out);
        } else if (rows == 1) {
            ensurePacked(theta, wOff, ws);
            int j = 0;
            for (; j + 4 * FLOAT_LANES < out; j += ROW_VECTORS * FLOAT_LANES) row8(x, xOff, ws.panel, j, j, ws.rowSums);
            if (j < out) row4(x, xOff, ws.panel, j, j, ws.rowSums); // a narrow last pass: 1.25× faster at 50 outputs
            ActivationKernelF32.biasActivate(act, ws.rowSums, 0, theta, bOff, 1, out, pre, preOff, a, aOff);
        } else {
            broadcast(rows, x, xOff, theta, wOff, bOff, u, uOff, keepU, a, aOff, ws);
        }
    }

    /**
     * Whether W's last row would reach past θ's end in the dot products' last partial vectors (W followed by b alone
     * does): their tails ({@code [in − in mod lanes, in)} of each row) are then read from the workspace's copy of the
     * rows' last vectors ({@link Workspace#rowEnds}), which is kept while their bits stay the same, as the broadcast
     * form keeps its packed panel: compared at every call (one whole vector per row of W: a row is at least a vector
     * long in this form), or while the workspace is {@linkplain Workspace#holdWeights held} at the first call of the
     * hold only, and copied when they differ. Read long after it was written, the copy costs no store-to-load stall,
     * where tails copied at each call did.
     */
    private boolean keptTails(float[] theta, int wOff, Workspace ws) {
        if (!DotKernelF32.tailsPastEnd(theta, wOff, in, out, in)) return false;
        if (!ws.verified) {
            if (!ws.tailsKept || !sameRowEnds(theta, wOff, ws.rowEnds)) {
                for (int j = 0; j < out; j++) {
                    System.arraycopy(theta, wOff + (j + 1) * in - FLOAT_LANES, ws.rowEnds, j * FLOAT_LANES,
                            FLOAT_LANES);
                }
                ws.tailsKept = true;
            }
            ws.verified = ws.held;
        }
        return true;
    }

    /**
     * Whether the last vector of each row of W holds the bits of its copy (−0 against +0 and NaN payloads are
     * changes): whole vectors, each inside θ.
     */
    private boolean sameRowEnds(float[] theta, int wOff, float[] copy) {
        IntVector diff = IntVector.zero(INT_SPECIES);
        for (int j = 0, w = wOff + in - FLOAT_LANES; j < out; j++, w += in) {
            IntVector a = FloatVector.fromArray(FLOAT_SPECIES, theta, w).viewAsIntegralLanes();
            IntVector b = FloatVector.fromArray(FLOAT_SPECIES, copy, j * FLOAT_LANES).viewAsIntegralLanes();
            diff = diff.or(a.lanewise(VectorOperators.XOR, b));
        }
        return !diff.compare(VectorOperators.NE, 0).anyTrue();
    }

    /**
     * Wᵀ packed into the workspace — or the panel kept from the last call when W's bits have not changed — then per
     * block of rows: the block filled with b's rows, the micro-kernels (their store {@code fma(Σ, 1, b)} rounds
     * {@code Σ + b} once, the bits of the product stored with β = 0 and then added to b), and σ.
     */
    private void broadcast(int rows, float[] x, int xOff, float[] theta, int wOff, int bOff, float[] u, int uOff,
                           boolean keepU, float[] a, int aOff, Workspace ws) {
        ensurePacked(theta, wOff, ws);
        for (int r0 = 0; r0 < rows; r0 += blockRows) {
            int m = Math.min(blockRows, rows - r0);
            int at = r0 * out;
            int ub = keepU ? uOff + at : uOff; // a scratch: every block in its first block, which stays in L1
            if (in == 2) {
                twoInputRows(m, x, xOff + r0 * in, ws.panel, theta, bOff, u, ub);
            } else {
                for (int r = 0; r < m; r++) System.arraycopy(theta, bOff, u, ub + r * out, out);
                GemmKernelF32.block(m, out, in, 1.0f, x, xOff + r0 * in, in, 1, ws.panel, 0, ldp, u, ub, out);
            }
            ActivationKernelF32.apply(act, u, ub, a, aOff + at, m * out);
        }
    }

    /**
     * {@code u = x·Wᵀ + 1·bᵀ} for {@code m} rows of a two-input layer (the first layer of a 2-D ODE) from the packed
     * panel, in the micro-kernels' order element by element: {@code fma(x_1, w_1, fma(x_0, w_0, +0))}, then
     * {@code + b} rounded once (their store {@code fma(Σ, 1, b)} on a C filled with b's rows). Per vector of outputs,
     * the panel's two rows and b stay in registers across the rows; the outputs after the last whole vector in scalar
     * code. Where the micro-kernels for a depth of two spend as much on filling C with b and on their tiles' loads and
     * stores as on the products, this writes each element once.
     */
    private void twoInputRows(int m, float[] x, int xOff, float[] panel, float[] theta, int bOff, float[] u, int ub) {
        FloatVector zero = FloatVector.zero(FLOAT_SPECIES);
        int j = 0;
        for (; j + FLOAT_LANES <= out; j += FLOAT_LANES) {
            FloatVector w0 = FloatVector.fromArray(FLOAT_SPECIES, panel, j);
            FloatVector w1 = FloatVector.fromArray(FLOAT_SPECIES, panel, ldp + j);
            FloatVector b = FloatVector.fromArray(FLOAT_SPECIES, theta, bOff + j);
            for (int r = 0; r < m; r++) {
                FloatVector x0 = FloatVector.broadcast(FLOAT_SPECIES, x[xOff + 2 * r]);
                FloatVector x1 = FloatVector.broadcast(FLOAT_SPECIES, x[xOff + 2 * r + 1]);
                x1.fma(w1, x0.fma(w0, zero)).add(b).intoArray(u, ub + r * out + j);
            }
        }
        for (; j < out; j++) {
            float w0 = panel[j], w1 = panel[ldp + j], b = theta[bOff + j];
            for (int r = 0; r < m; r++) {
                u[ub + r * out + j] = Math.fma(x[xOff + 2 * r + 1], w1, Math.fma(x[xOff + 2 * r], w0, 0.0f)) + b;
            }
        }
    }

    /**
     * Wᵀ into the workspace's panel, unless the panel already holds the transpose of these bits of W: checked by a
     * vector comparison with the copy of W taken when it was packed ({@link #sameBits}), or, while the workspace is
     * {@linkplain Workspace#holdWeights held}, only at the first call of the hold.
     */
    private void ensurePacked(float[] theta, int wOff, Workspace ws) {
        if (ws.verified) return;
        int n = in * out;
        if (!ws.packed || !sameBits(theta, wOff, ws.packedFrom, n)) {
            GemmKernelF32.packTransposed(theta, wOff, in, in, out, ws.panel, ldp);
            System.arraycopy(theta, wOff, ws.packedFrom, 0, n);
            ws.packed = true;
        }
        ws.verified = ws.held;
    }

    /**
     * Whether {@code w[wOff, wOff + n)} and {@code copy[0, n)} hold the same bits: the exclusive or of every pair of
     * lanes, or-ed together, then tested once per {@value #COMPARED_CHUNK} elements (no branch per vector). Bits, not
     * values: −0 against +0 and NaN payloads count as changes. The vector loop runs a chunk per call so that the JIT
     * compiles it from its calls, as {@link DenseKernel#sameBits}'s does.
     */
    static boolean sameBits(float[] w, int wOff, float[] copy, int n) {
        int bound = FLOAT_SPECIES.loopBound(n);
        int tail = 0;
        for (int i = bound; i < n; i++) tail |= Float.floatToRawIntBits(w[wOff + i]) ^ Float.floatToRawIntBits(copy[i]);
        if (tail != 0) return false;
        for (int from = 0; from < bound; from += COMPARED_CHUNK) {
            if (!sameVectors(w, wOff, copy, from, Math.min(bound, from + COMPARED_CHUNK))) return false;
        }
        return true;
    }

    /** Whether elements {@code [from, to)} (multiples of the lanes) hold the same bits. */
    private static boolean sameVectors(float[] w, int wOff, float[] copy, int from, int to) {
        IntVector diff = IntVector.zero(INT_SPECIES);
        for (int i = from; i < to; i += FLOAT_LANES) {
            IntVector a = FloatVector.fromArray(FLOAT_SPECIES, w, wOff + i).viewAsIntegralLanes();
            IntVector b = FloatVector.fromArray(FLOAT_SPECIES, copy, i).viewAsIntegralLanes();
            diff = diff.or(a.lanewise(VectorOperators.XOR, b));
        }
        return !diff.compare(VectorOperators.NE, 0).anyTrue();
    }

    /** {@link #row8} for the last four vectors of outputs or fewer. */
    private void row4(float[] x, int xOff, float[] p, int at, int j, float[] sums) {
        FloatVector c0 = FloatVector.zero(FLOAT_SPECIES), c1 = c0, c2 = c0, c3 = c0;
        for (int q = 0; q < in; q++, at += ldp) {
            FloatVector xq = FloatVector.broadcast(FLOAT_SPECIES, x[xOff + q]);
            c0 = xq.fma(FloatVector.fromArray(FLOAT_SPECIES, p, at), c0);
            c1 = xq.fma(FloatVector.fromArray(FLOAT_SPECIES, p, at + FLOAT_LANES), c1);
            c2 = xq.fma(FloatVector.fromArray(FLOAT_SPECIES, p, at + 2 * FLOAT_LANES), c2);
            c3 = xq.fma(FloatVector.fromArray(FLOAT_SPECIES, p, at + 3 * FLOAT_LANES), c3);
        }
        c0.intoArray(sums, j);
        c1.intoArray(sums, j + FLOAT_LANES);
        c2.intoArray(sums, j + 2 * FLOAT_LANES);
        c3.intoArray(sums, j + 3 * FLOAT_LANES);
    }

    /**
     * The sums of eight vectors of outputs from {@code j} on for a single row, from the packed panel, into
     * {@code sums} (those past {@code out} come from the panel's padding and are never read): per output the
     * broadcast kernel's chain {@code fma(x_{in−1}, w, … fma(x_0, w, +0))}, eight independent chains at once so that
     * the FMA latency is hidden. With the bias added after it ({@code Σ + b}, one rounding, as the kernel's store
     * {@code fma(Σ, 1, b)}) these are the bits of the block path.
     */
    private void row8(float[] x, int xOff, float[] p, int at, int j, float[] sums) {
        FloatVector c0 = FloatVector.zero(FLOAT_SPECIES), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
        for (int q = 0; q < in; q++, at += ldp) {
            FloatVector xq = FloatVector.broadcast(FLOAT_SPECIES, x[xOff + q]);
            c0 = xq.fma(FloatVector.fromArray(FLOAT_SPECIES, p, at), c0);
            c1 = xq.fma(FloatVector.fromArray(FLOAT_SPECIES, p, at + FLOAT_LANES), c1);
            c2 = xq.fma(FloatVector.fromArray(FLOAT_SPECIES, p, at + 2 * FLOAT_LANES), c2);
            c3 = xq.fma(FloatVector.fromArray(FLOAT_SPECIES, p, at + 3 * FLOAT_LANES), c3);
            c4 = xq.fma(FloatVector.fromArray(FLOAT_SPECIES, p, at + 4 * FLOAT_LANES), c4);
            c5 = xq.fma(FloatVector.fromArray(FLOAT_SPECIES, p, at + 5 * FLOAT_LANES), c5);
            c6 = xq.fma(FloatVector.fromArray(FLOAT_SPECIES, p, at + 6 * FLOAT_LANES), c6);
            c7 = xq.fma(FloatVector.fromArray(FLOAT_SPECIES, p, at + 7 * FLOAT_LANES), c7);
        }
        c0.intoArray(sums, j);
        c1.intoArray(sums, j + FLOAT_LANES);
        c2.intoArray(sums, j + 2 * FLOAT_LANES);
        c3.intoArray(sums, j + 3 * FLOAT_LANES);
        c4.intoArray(sums, j + 4 * FLOAT_LANES);
        c5.intoArray(sums, j + 5 * FLOAT_LANES);
        c6.intoArray(sums, j + 6 * FLOAT_LANES);
        c7.intoArray(sums, j + 7 * FLOAT_LANES);
    }

    /**
     * The per-thread scratch of a {@link DenseKernelF32}: the packed Wᵀ, the W it was packed from, lane sums
     * (BROADCAST); the copy of W's rows' tails (DOT).
     */
    public static final class Workspace {
        final float[] panel;
        final float[] packedFrom;
        final float[] lanes = new float[DotKernelF32.SCRATCH]; // the dot products' sums and tails
        /** A single row's sums before its bias and σ, whole passes of {@link #row8} long. */
        final float[] rowSums;
        boolean packed;
        /** Whether W is promised unchanged until {@link #releaseWeights} ({@link #holdWeights}). */
        boolean held;
        /** Whether the panel was checked against W during the current hold (no comparison until it ends). */
        boolean verified;
        /**
         * The dot form's copy of the last vector of each row of W (row j's at {@code j·lanes}), and a vector of room
         * after them, so that the dot products' masked tail loads stay inside it ({@link DenseKernelF32#keptTails}).
         */
        final float[] rowEnds;
        /** Whether {@link #rowEnds} holds a copy. */
        boolean tailsKept;

        private Workspace(int panelLength, int weights, int rowSums, int tails) {
            panel = new float[panelLength];
            packedFrom = new float[weights];
            this.rowSums = new float[rowSums];
            rowEnds = new float[tails];
        }

        /**
         * Promises that the weights this workspace's kernel reads do not change until {@link #releaseWeights}: the
         * kernel then compares W with the copy behind its packed panel at the first call only, instead of at every
         * call (a solve holds its field's weights for its duration). Breaking the promise gives results from the old
         * weights.
         */
        public void holdWeights() {
            held = true;
            verified = false;
        }

        /** Ends a {@link #holdWeights hold}: every call compares W again. */
        public void releaseWeights() {
            held = false;
            verified = false;
        }
    }
}
