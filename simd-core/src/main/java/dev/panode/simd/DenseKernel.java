package dev.panode.simd;

import static dev.panode.simd.Simd.LANES;
import static dev.panode.simd.Simd.SPECIES;

import dev.panode.blas.HeapAlignment;
import dev.panode.blas.Transpose;
import java.util.Arrays;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * One dense layer and its activation over a block of rows, {@code U = X·Wᵀ + 1·bᵀ}, {@code A = σ(U)}
 * ({@code torch.nn.Linear} then σ; W row-major {@code out × in}, b after it or anywhere), with the product, the bias
 * and the activation done block by block while the block is in L1 — the fused layer kernel of an MLP
 * (docs/ALGORITHMS.md §6). Its form is chosen once, when the layer is made ({@link #of}), from the layer's shape:
 *
 * <ul>
 *   <li>{@link Form#DOT}: an output narrower than a vector ({@code out < lanes ≤ in}, the output layer of a
 *       low-dimensional ODE): dot products of the rows of X with the rows of W, four rows of X against two rows of
 *       W per pass (eight FMA chains), then {@code + b} and σ (with 512-bit vectors and two outputs, the eight
 *       chains' lanes summed at once after a transpose in registers, the sums' bits unchanged);</li>
 *   <li>{@link Form#BROADCAST}: everything else the Java kernel computes. Wᵀ is packed into a panel of the workspace
 *       and kept there while W's bits stay the same (the six stages of a Runge–Kutta step, every step between two
 *       optimiser updates: a contiguous comparison of W replaces the strided packing), then the rows are cut into
 *       blocks of about 16 KiB of output; each block is computed by {@link GemmKernel}'s broadcast micro-kernels
 *       (4 rows × up to 3 vectors of accumulators, broadcast FMAs) and then, still in L1, gets its bias and its
 *       activation in one pass;</li>
 *   <li>a single row (batch 1) of a BROADCAST layer: the matrix–vector product on the packed panel, up to eight
 *       vectors of outputs per pass over the input (eight independent FMA chains), then the bias and σ in one pass;
 *       of a DOT layer: all outputs' dot products, four per pass over the row, each plus its bias as it is stored,
 *       then σ;</li>
 *   <li>{@link Form#GEMM}: an input wider than the Java kernel's k block ({@code min(128, 65536 / out)}), and, whatever the form,
 *       any call whose product the dispatcher ({@link Gemm#backendFor}) gives to OpenBLAS: {@link Gemm#dgemm} on the
 *       whole block, then one bias-and-activation pass ({@link ActivationKernel#biasActivate}). When the Java kernel
 *       computes a GEMM-form layer's product (an output of one vector or more), its k blocks run on the workspace's
 *       packed Wᵀ, kept like the broadcast form's, instead of {@link Gemm#dgemm} packing Wᵀ again at every call.</li>
 * </ul>
 *
 * <p><b>Results.</b> The DOT, BROADCAST and GEMM forms give the same bits as {@link Gemm#dgemm} followed by
 * {@link ActivationKernel#biasActivate} (the same micro-kernels sum in the same order), and so do the single-row
 * kernels (each output the chain {@code fma(x_{in−1}, w, … fma(x_0, w, 0))} of the GEMM's single-row tail, or the
 * lane sums of its dot form): results are bit for bit those of the unfused layers, so a row gives the same bits alone
 * as after a block's last group of four (the per-sample solver and the ensembles rely on it). A single-row
 * matrix–vector product with dot products along the input was tried and dropped: another summation order, which broke
 * that equality.
 *
 * <p><b>The packed Wᵀ.</b> Kept in the workspace while W's bits stay the same: every call compares W with the copy
 * taken when it was packed (a vector comparison, about as long as the 50 × 50 product itself), except while the
 * workspace is {@linkplain Workspace#holdWeights held} — a solve promises that the weights do not change until it
 * ends — when only the first call of the hold compares. The panel starts on a cache-line boundary whatever the
 * product's size ({@link HeapAlignment}, probed at each comparison and every 64 calls of a hold, since the collector
 * may have moved the array; repacked when it did): with AVX-512 every load of a misaligned panel straddles two lines, which made the
 * single-row 50 × 50 product about 1.6× slower and the held batch-1 evaluation of a 2 → 50 → 50 → 2 MLP about 1.2×.
 *
 * <p>Cost: {@code rows·in·out} FMAs plus, for BROADCAST and a GEMM-form layer on the Java kernel, one contiguous pass
 * over W (a strided one when W changed; none for a held workspace); the workspace holds a copy of W and its packed
 * transpose. Nothing is allocated (the panel lives in
 * the caller's {@link Workspace}). Unchecked: the caller (a layer) has checked the sizes once. Not for large
 * products alone ({@link Gemm#dgemm} is the general entry point).
 */
public final class DenseKernel {
    /** How a layer's product is computed (a single row has its own kernel within the form, see the class comment). */
    public enum Form {
        /** Dot products along the input; for an output narrower than a vector. */
        DOT,
        /** The broadcast micro-kernels on row blocks, bias and activation per block. */
        BROADCAST,
        /** The GEMM dispatcher, then one bias-and-activation pass; for inputs wider than the kernel's k block. */
        GEMM
    }

    /** Output elements per row block of the broadcast form: 2048 doubles, 16 KiB, half an L1 data cache. */
    private static final int BLOCK_ELEMENTS = 2048;
    private static final int SLACK = HeapAlignment.CACHE_LINE / Double.BYTES;
    /** Vectors of outputs per pass of the single-row panel kernel ({@link #rowPass}): independent FMA chains in flight. */
    static final int ROW_VECTORS = 8;
    private static final VectorSpecies<Long> LONG_SPECIES = SPECIES.withLanes(long.class);
    /** Elements {@link #sameBits} compares per call of its vector loop (a multiple of every vector's lanes). */
    static final int COMPARED_CHUNK = 256;
    /**
     * {@link #dot4x2}'s 8 × 8 transpose (512-bit vectors), stage d = 4, 2, 1: lane l of {@code SWAPd} is lane
     * {@code l ^ d}; {@code BITd} is set at the lanes with bit d set. For products p and p + d, p's lanes with bit d
     * set are exchanged with (p + d)'s lanes with it clear: {@code p.blend(q.rearrange(SWAPd), BITd)} and
     * {@code p.rearrange(SWAPd).blend(q, BITd)}.
     */
    private static final VectorShuffle<Double> SWAP4 = VectorShuffle.fromArray(SPECIES, swapIndex(4), 0);
    private static final VectorShuffle<Double> SWAP2 = VectorShuffle.fromArray(SPECIES, swapIndex(2), 0);
    private static final VectorShuffle<Double> SWAP1 = VectorShuffle.fromArray(SPECIES, swapIndex(1), 0);
    private static final VectorMask<Double> BIT4 = VectorMask.fromArray(SPECIES, bitSet(4), 0);
    private static final VectorMask<Double> BIT2 = VectorMask.fromArray(SPECIES, bitSet(2), 0);
    private static final VectorMask<Double> BIT1 = VectorMask.fromArray(SPECIES, bitSet(1), 0);

    private final int in;
    private final int out;
    private final ActivationKernel act;
    private final Form form;
    /** Row stride of the packed Wᵀ: out rounded up to whole vectors. */
    private final int ldp;
    private final int blockRows;
    /**
     * Whether the packed Wᵀ is in {@link GemmKernel#packMicroPanelsWhole}'s micro-panels (a GEMM-form layer with the
     * eight-row tiles: the panel is read by nothing but {@link GemmKernel#onMicroPanels}) rather than row-major.
     */
    private final boolean microPanels;
    /**
     * Whether a block's bias is added in its tanh pass from the workspace's bias tile (b repeated over
     * {@link #blockRows} rows, rebuilt when b's bits change) rather than in a pass of its own: BROADCAST tanh layers.
     */
    private final boolean tiled;
    /**
     * Whether a block's product is {@link #twoInputRows} (two inputs, the first layer of a 2-D ODE, over at least two
     * vectors of outputs) rather than the GEMM's micro-kernels, which run two steps of k per call there.
     */
    private final boolean twoInputs;
    private DenseKernel(int in, int out, ActivationKernel act) {
        this.in = in;
        this.out = out;
        this.act = act;
        this.ldp = GemmKernel.panelStride(out);
        // the GEMM kernel cuts k into blocks of min(KC, PACK_CAPACITY / ldp); a layer within one block keeps its bits
        this.form = in > GemmKernel.panelDepth(ldp) ? Form.GEMM : out < LANES && in >= LANES ? Form.DOT : Form.BROADCAST;
        int rows = BLOCK_ELEMENTS / Math.max(out, 1) / GemmKernel.MR * GemmKernel.MR;
        this.blockRows = Math.max(GemmKernel.MR, rows);
        this.microPanels = form == Form.GEMM && GemmKernel.WIDE_TILES;
        this.tiled = form == Form.BROADCAST && act == ActivationKernel.TANH;
        this.twoInputs = form == Form.BROADCAST && in == 2 && out >= 2 * LANES;
    }

    /**
     * The kernel of a layer {@code in → out} with activation {@code act}.
     *
     * @throws IllegalArgumentException when a width is below 1 or {@code act} is null
     */
    public static DenseKernel of(int in, int out, ActivationKernel act) {
        if (in < 1) throw new IllegalArgumentException("in must be >= 1, got " + in);
        if (out < 1) throw new IllegalArgumentException("out must be >= 1, got " + out);
        if (act == null) throw new IllegalArgumentException("act must be non-null");
        return new DenseKernel(in, out, act);
    }

    /** {@link #SWAP4} … {@link #SWAP1}'s indices, {@code l ^ d} (the identity with fewer than eight lanes). */
    private static int[] swapIndex(int d) {
        int[] index = new int[LANES];
        for (int l = 0; l < LANES; l++) index[l] = LANES < 2 * GemmKernel.MR ? l : l ^ d;
        return index;
    }

    /** {@link #BIT4} … {@link #BIT1}'s lanes. */
    private static boolean[] bitSet(int d) {
        boolean[] set = new boolean[LANES];
        for (int l = 0; l < LANES; l++) set[l] = (l & d) != 0;
        return set;
    }

    /** The form chosen for this layer's shape (for blocks of more than one row). */
    public Form form() {
        return form;
    }

    /** The layer's input width. */
    int inputs() {
        return in;
    }

    /** The layer's output width. */
    int outputs() {
        return out;
    }

    /** The layer's activation. */
    ActivationKernel activation() {
        return act;
    }

    /**
     * Elements a caller may leave after the last row of the X it passes (a buffer it owns) so that the dot form reads
     * the last rows' partial vectors in place: without them those tails are copied at every call (see
     * {@link GemmKernel#tailsPastEnd}). One vector.
     */
    public static final int INPUT_PADDING = LANES;

    /** The doubles {@link #newWorkspace} allocates (the panel, the copy of W, the lane sums, W's tails). */
    public long workspaceDoubles() {
        return (packs() ? panelLength() + (long) in * out + (form == Form.BROADCAST ? rowSumsLength() : 0) : 0)
                + GemmKernel.DOT_SCRATCH
                + (tiled ? (long) blockRows * out + out : 0) + (form == Form.DOT ? (long) (out + 1) * LANES : 0);
    }

    /**
     * Scratch for one thread: the panel for the packed Wᵀ, a copy of W and a row for lane sums (BROADCAST), or the
     * copy of W's rows' tails (DOT). Made once.
     */
    public Workspace newWorkspace() {
        return packs() ? new Workspace(panelLength(), in * out, form == Form.BROADCAST ? rowSumsLength() : 0,
                tiled ? blockRows * out : 0, out, 0)
                : new Workspace(0, 0, 0, 0, 0, form == Form.DOT ? (out + 1) * LANES : 0);
    }

    /**
     * Whether this layer keeps a packed Wᵀ: the BROADCAST form, and the GEMM form whenever the Java kernel runs its
     * product in the broadcast form (an output of at least one vector; narrower ones are its dot products).
     */
    private boolean packs() {
        return form == Form.BROADCAST || form == Form.GEMM && out >= LANES;
    }

    /** {@code out} rounded up to whole passes of {@link #rowPass}. */
    private int rowSumsLength() {
        int pass = ROW_VECTORS * LANES;
        return (out + pass - 1) / pass * pass;
    }

    /** Wᵀ's rows a whole number of vectors apart and a cache line of slack. */
    private int panelLength() {
        return in * ldp + SLACK;
    }

    /**
     * {@code u = x·Wᵀ + 1·bᵀ}, {@code a = σ(u)} for {@code rows} rows; x is {@code rows × in}, u and a are
     * {@code rows × out}, all row-major from offset 0.
     *
     * @param u the pre-activation, or the same array as {@code a} when it is not needed later (the activation is then
     *          applied in place); must not alias x
     */
    public void forward(int rows, double[] x, double[] theta, int wOff, int bOff, double[] u, double[] a,
                        Workspace ws) {
        if (rows == 0) return;
        if (form == Form.GEMM || Gemm.backendFor(rows, out, in) == Gemm.Backend.OPENBLAS) {
            gemm(rows, x, 0, theta, wOff, u, 0, ws);
            act.biasActivate(u, 0, theta, bOff, rows, out, u, 0, a, 0);
        } else if (form == Form.DOT && rows == 1) {
            // the matrix–vector product W·x: up to four outputs per pass over x, each the dot product a block computes
            dotRow(x, theta, wOff, bOff, u, a, ws);
        } else if (rows == 1) {
            ensurePacked(theta, wOff, bOff, ws);
            panelRow(x, theta, bOff, u, a, ws);
        } else if (form == Form.DOT) {
            dots(rows, x, 0, theta, wOff, bOff, u, 0, ws);
            act.apply(u, 0, a, 0, rows * out);
        } else {
            broadcast(rows, x, 0, theta, wOff, bOff, u, 0, a, 0, ws);
        }
    }

    /**
     * {@link #forward(int, double[], double[], int, int, double[], double[], Workspace)} on blocks that start at
     * offsets: x at {@code xOff}, u at {@code uOff}, a at {@code aOff} (a backprop pass writes U and A straight into
     * its saved stage this way, without a copy). The same bits as the other form; a single row takes the broadcast
     * micro-kernels here, whose bits the single-row kernel reproduces.
     *
     * @param u the pre-activation, or the same array and offset as {@code a} when it is not needed later; must not
     *          overlap x, and must not overlap a unless it is the same block
     */
    public void forward(int rows, double[] x, int xOff, double[] theta, int wOff, int bOff, double[] u, int uOff,
                        double[] a, int aOff, Workspace ws) {
        if (rows == 0) return;
        if (form == Form.GEMM || Gemm.backendFor(rows, out, in) == Gemm.Backend.OPENBLAS) {
            gemm(rows, x, xOff, theta, wOff, u, uOff, ws);
            act.biasActivate(u, uOff, theta, bOff, rows, out, u, uOff, a, aOff);
        } else if (form == Form.DOT) {
            dots(rows, x, xOff, theta, wOff, bOff, u, uOff, ws);
            act.apply(u, uOff, a, aOff, rows * out);
        } else {
            broadcast(rows, x, xOff, theta, wOff, bOff, u, uOff, a, aOff, ws);
        }
    }

    /**
     * {@code u = x·Wᵀ} through the GEMM: {@link Gemm#dgemm}, or — for a GEMM-form layer whose product the dispatcher
     * leaves to the Java kernel — that kernel's k blocks on the workspace's packed Wᵀ ({@link GemmKernel#onPanel}),
     * packed only when W's bits changed ({@link #ensurePanel}), where {@link Gemm#dgemm} packs it at every call (the
     * 256 × 256 layer's packing was 2–3% of a d32_h256_b256 gradient, docs/BENCHMARKS.md §92). The same bits.
     */
    private void gemm(int rows, double[] x, int xOff, double[] theta, int wOff, double[] u, int uOff, Workspace ws) {
        if (form == Form.GEMM && packs() && Gemm.backendFor(rows, out, in) == Gemm.Backend.JAVA) {
            ensurePanel(theta, wOff, ws);
            if (microPanels) {
                GemmKernel.onMicroPanels(rows, out, in, 1.0, x, xOff, in, ws.panel, ws.base, 0.0, u, uOff, out);
            } else {
                GemmKernel.onPanel(rows, out, in, 1.0, x, xOff, in, ws.panel, ws.base, ldp, 0.0, u, uOff, out);
            }
        } else {
            Gemm.dgemm(Transpose.NO, Transpose.YES, rows, out, in, 1.0, x, xOff, in, theta, wOff, in, 0.0, u, uOff,
                    out);
        }
    }

    /**
     * Wᵀ packed into the workspace's panel — or the panel kept from the last call, when W has not changed since
     * (checked bit for bit: a contiguous comparison costs a fraction of the strided packing) — then per block of rows
     * the micro-kernels, the bias and the activation.
     */
    private void broadcast(int rows, double[] x, int xOff, double[] theta, int wOff, int bOff, double[] u, int uOff,
                           double[] a, int aOff, Workspace ws) {
        ensurePacked(theta, wOff, bOff, ws);
        boolean inPlace = tiled && u == a && uOff == aOff;
        for (int r0 = 0; r0 < rows; r0 += blockRows) {
            int m = Math.min(blockRows, rows - r0);
            int at = r0 * out;
            if (twoInputs) {
                twoInputRows(m, x, xOff + r0 * in, ws.panel, ws.base, u, uOff + at);
            } else {
                GemmKernel.blockPadded(m, out, in, 1.0, x, xOff + r0 * in, in, 1, ws.panel, ws.base, ldp, u,
                        uOff + at, out, ws.lanes);
            }
            if (inPlace) ReproducibleTanh.applyBiased(u, uOff + at, ws.biasTile, 0, a, aOff + at, m * out, m * out);
            else act.biasActivate(u, uOff + at, theta, bOff, m, out, u, uOff + at, a, aOff + at);
        }
    }

    /**
     * {@code u = x·Wᵀ} for a block of a layer with two inputs, row by row from the packed panel (its two rows, W's
     * columns, loaded once per vector of outputs and row): the bits of {@link GemmKernel#blockPadded} for this shape
     * (α = 1, which leaves a sum's bits alone). Its column panels are two or three vectors wide when the output has
     * two vectors or more, so each whole vector is the chain {@code fma(x₁, w₁, fma(x₀, w₀, +0))}; the columns after
     * them (the masked kernel's even and odd chains) are {@code fma(x₀, w₀, +0) + fma(x₁, w₁, +0)} for the rows in
     * blocks of four and the chain for the rows after them, in scalar: the same roundings as the lanes, and no masked
     * store at u's end.
     */
    private void twoInputRows(int rows, double[] x, int xOff, double[] p, int base, double[] u, int uOff) {
        int full = out - out % LANES, grouped = rows - rows % GemmKernel.MR;
        int r = 0;
        for (; r < grouped; r++) {
            double x0 = x[xOff + 2 * r], x1 = x[xOff + 2 * r + 1];
            int ur = uOff + r * out;
            twoInputVectors(x0, x1, p, base, u, ur, full);
            for (int j = full; j < out; j++) {
                u[ur + j] = Math.fma(x0, p[base + j], 0.0) + Math.fma(x1, p[base + ldp + j], 0.0);
            }
        }
        for (; r < rows; r++) {
            double x0 = x[xOff + 2 * r], x1 = x[xOff + 2 * r + 1];
            int ur = uOff + r * out;
            twoInputVectors(x0, x1, p, base, u, ur, full);
            for (int j = full; j < out; j++) {
                u[ur + j] = Math.fma(x1, p[base + ldp + j], Math.fma(x0, p[base + j], 0.0));
            }
        }
    }

    /** The whole vectors of one row of {@link #twoInputRows}: {@code fma(x₁, w₁, fma(x₀, w₀, +0))}. */
    private void twoInputVectors(double x0s, double x1s, double[] p, int base, double[] u, int ur, int full) {
        DoubleVector x0 = DoubleVector.broadcast(SPECIES, x0s), x1 = DoubleVector.broadcast(SPECIES, x1s);
        DoubleVector zero = DoubleVector.zero(SPECIES);
        for (int j = 0; j < full; j += LANES) {
            DoubleVector c = x0.fma(DoubleVector.fromArray(SPECIES, p, base + j), zero);
            x1.fma(DoubleVector.fromArray(SPECIES, p, base + ldp + j), c).intoArray(u, ur + j);
        }
    }

    /**
     * Wᵀ into the workspace's panel from its first cache-line boundary, unless the panel already holds the transpose of
     * these bits of W there ({@link PackedWeights#repackAt}: W compared with its copy, the alignment probed; held, once
     * per hold and every {@value PackedWeights#HELD_PROBE_PERIOD} calls). W, its copy and the panel of a 50 × 50 layer
     * do not fit L1 together: the comparisons alternate in direction, so that the end the last one left in L1 is read
     * first.
     */
    private void ensurePacked(double[] theta, int wOff, int bOff, Workspace ws) {
        ensurePanel(theta, wOff, ws);
        // the bias tile is checked when W is (unheld, or at the first call of a hold)
        if (tiled && (!ws.tiled || ws.compared() && !sameBiasBits(theta, bOff, ws.biasFrom))) {
            for (int r = 0; r < blockRows; r++) System.arraycopy(theta, bOff, ws.biasTile, r * out, out);
            System.arraycopy(theta, bOff, ws.biasFrom, 0, out);
            ws.tiled = true;
        }
    }

    /** The workspace's packed Wᵀ, repacked when W's bits changed ({@link PackedWeights#repackAt}). */
    private void ensurePanel(double[] theta, int wOff, Workspace ws) {
        int at = ws.repackAt(theta, wOff, in * out);
        if (at < 0) return;
        if (microPanels) GemmKernel.packMicroPanelsWhole(theta, wOff, in, in, out, ws.panel, at);
        else GemmKernel.packTransposed(theta, wOff, in, in, out, ws.panel, at, ldp);
    }

    /**
     * Whether {@code b[bOff, bOff + out)} holds the bits of {@code copy}: a scalar loop (a bias is short, and the
     * vector comparison {@link #sameBits} keeps the callers whose profile it was tuned for).
     */
    private boolean sameBiasBits(double[] b, int bOff, double[] copy) {
        long diff = 0;
        for (int j = 0; j < out; j++) {
            diff |= Double.doubleToRawLongBits(b[bOff + j]) ^ Double.doubleToRawLongBits(copy[j]);
        }
        return diff == 0;
    }

    /**
     * Whether {@code w[wOff, wOff + n)} and {@code copy[0, n)} hold the same bits: the exclusive or of every pair of
     * lanes, or-ed together, then tested once per {@value #COMPARED_CHUNK} elements (no branch per vector; about twice
     * as fast as {@link Arrays#mismatch} on the 2,500 weights of a 50 × 50 layer). Bits, not values: −0 against +0 and
     * NaN payloads count as changes.
     *
     * <p>The vector loops run a chunk per call so that the JIT compiles them from their calls: a held workspace
     * compares once per hold (a solve), and as one loop over a large layer (65,536 weights) the comparison stayed in
     * the interpreter for hundreds of gradients, each call boxing vectors until it moved into the loop's
     * on-stack-replacement code (about 1 MB a gradient; docs/BENCHMARKS.md §90).
     */
    static boolean sameBits(double[] w, int wOff, double[] copy, int n, boolean backward) {
        // two methods, not two loops in one: vectors merged from two loops made C2 box them in some callers
        int bound = SPECIES.loopBound(n);
        long tail = 0;
        for (int i = bound; i < n; i++) {
            tail |= Double.doubleToRawLongBits(w[wOff + i]) ^ Double.doubleToRawLongBits(copy[i]);
        }
        if (tail != 0) return false;
        if (backward) {
            for (int to = bound; to > 0; to -= COMPARED_CHUNK) {
                if (!sameVectorsBackward(w, wOff, copy, Math.max(0, to - COMPARED_CHUNK), to)) return false;
            }
        } else {
            for (int from = 0; from < bound; from += COMPARED_CHUNK) {
                if (!sameVectors(w, wOff, copy, from, Math.min(bound, from + COMPARED_CHUNK))) return false;
            }
        }
        return true;
    }

    /** Whether elements {@code [from, to)} (multiples of the lanes) hold the same bits, read upwards. */
    private static boolean sameVectors(double[] w, int wOff, double[] copy, int from, int to) {
        LongVector diff = LongVector.zero(LONG_SPECIES);
        for (int i = from; i < to; i += LANES) {
            LongVector a = DoubleVector.fromArray(SPECIES, w, wOff + i).viewAsIntegralLanes();
            LongVector b = DoubleVector.fromArray(SPECIES, copy, i).viewAsIntegralLanes();
            diff = diff.or(a.lanewise(VectorOperators.XOR, b));
        }
        return !diff.compare(VectorOperators.NE, 0L).anyTrue();
    }

    /** {@link #sameVectors}, read downwards. */
    private static boolean sameVectorsBackward(double[] w, int wOff, double[] copy, int from, int to) {
        LongVector diff = LongVector.zero(LONG_SPECIES);
        for (int i = to - LANES; i >= from; i -= LANES) {
            LongVector a = DoubleVector.fromArray(SPECIES, w, wOff + i).viewAsIntegralLanes();
            LongVector b = DoubleVector.fromArray(SPECIES, copy, i).viewAsIntegralLanes();
            diff = diff.or(a.lanewise(VectorOperators.XOR, b));
        }
        return !diff.compare(VectorOperators.NE, 0L).anyTrue();
    }

    /**
     * {@code u = x·Wᵀ + b}, {@code a = σ(u)} for a single row from the packed panel: the matrix–vector product as the
     * broadcast kernel computes one row (per output, {@code fma(x_{in−1}, w, … fma(x_0, w, 0))}, then {@code + b}: the
     * same bits), but over up to eight vectors of outputs at once — as many independent FMA chains as the output has
     * vectors, so that the FMA latency is hidden, where the GEMM's single-row tail runs one column panel of up to three
     * after another. The sums go, whole vectors, into the workspace's row (no mask), and from there the bias and σ in
     * one pass into u and a. (Applying them in registers as the vectors are stored was tried twice: with tanh in the
     * epilogue C2 stopped inlining it, and with the bias alone, under masks, C2 boxed the vectors of the kernel when
     * it was called on its own — kilobytes a call, forty times slower.)
     */
    private void panelRow(double[] x, double[] theta, int bOff, double[] u, double[] a, Workspace ws) {
        int vectors = ldp / LANES;
        for (int v = 0; v < vectors; v += ROW_VECTORS) {
            rowPass(x, 0, in, ws.panel, ws.base + v * LANES, ldp, ws.rowSums, v * LANES,
                    Math.min(ROW_VECTORS, vectors - v));
        }
        act.biasActivate(ws.rowSums, 0, theta, bOff, 1, out, u, 0, a, 0);
    }

    /**
     * The sums of {@code vectors ≤ 8} vectors of outputs, the panel's columns from {@code at} on (rows {@code ldp}
     * apart, {@code in} of them, times {@code x[xAt ..]}), into {@code sums} from {@code j} on, one FMA chain per
     * vector: a pass runs exactly as many chains as there are vectors left (a wasted chain costs as much as a used
     * one where the vector FMA's throughput, not its latency, bounds the pass). One method per chain count, so that no
     * vector is updated under a condition or merged from two paths (C2 can box such a vector: kilobytes a call); only
     * arrays cross the calls.
     */
    static void rowPass(double[] x, int xAt, int in, double[] p, int at, int ldp, double[] sums, int j, int vectors) {
        switch (vectors) {
            case 1 -> row1(x, xAt, in, p, at, ldp, sums, j);
            case 2 -> row2(x, xAt, in, p, at, ldp, sums, j);
            case 3 -> row3(x, xAt, in, p, at, ldp, sums, j);
            case 4 -> row4(x, xAt, in, p, at, ldp, sums, j);
            case 5 -> row5(x, xAt, in, p, at, ldp, sums, j);
            case 6 -> row6(x, xAt, in, p, at, ldp, sums, j);
            case 7 -> row7(x, xAt, in, p, at, ldp, sums, j);
            default -> row8(x, xAt, in, p, at, ldp, sums, j);
        }
    }

    /** {@link #row8} with one chain. */
    private static void row1(double[] x, int xAt, int in, double[] p, int at, int ldp, double[] sums, int j) {
        DoubleVector c0 = DoubleVector.zero(SPECIES);
        for (int q = 0; q < in; q++, at += ldp) {
            DoubleVector xq = DoubleVector.broadcast(SPECIES, x[xAt + q]);
            c0 = xq.fma(DoubleVector.fromArray(SPECIES, p, at), c0);
        }
        c0.intoArray(sums, j);
    }

    /** {@link #row8} with two chains. */
    private static void row2(double[] x, int xAt, int in, double[] p, int at, int ldp, double[] sums, int j) {
        DoubleVector c0 = DoubleVector.zero(SPECIES), c1 = c0;
        for (int q = 0; q < in; q++, at += ldp) {
            DoubleVector xq = DoubleVector.broadcast(SPECIES, x[xAt + q]);
            c0 = xq.fma(DoubleVector.fromArray(SPECIES, p, at), c0);
            c1 = xq.fma(DoubleVector.fromArray(SPECIES, p, at + LANES), c1);
        }
        c0.intoArray(sums, j);
        c1.intoArray(sums, j + LANES);
    }

    /** {@link #row8} with three chains. */
    private static void row3(double[] x, int xAt, int in, double[] p, int at, int ldp, double[] sums, int j) {
        DoubleVector c0 = DoubleVector.zero(SPECIES), c1 = c0, c2 = c0;
        for (int q = 0; q < in; q++, at += ldp) {
            DoubleVector xq = DoubleVector.broadcast(SPECIES, x[xAt + q]);
            c0 = xq.fma(DoubleVector.fromArray(SPECIES, p, at), c0);
            c1 = xq.fma(DoubleVector.fromArray(SPECIES, p, at + LANES), c1);
            c2 = xq.fma(DoubleVector.fromArray(SPECIES, p, at + 2 * LANES), c2);
        }
        c0.intoArray(sums, j);
        c1.intoArray(sums, j + LANES);
        c2.intoArray(sums, j + 2 * LANES);
    }

    /** {@link #row8} with four chains. */
    private static void row4(double[] x, int xAt, int in, double[] p, int at, int ldp, double[] sums, int j) {
        DoubleVector c0 = DoubleVector.zero(SPECIES), c1 = c0, c2 = c0, c3 = c0;
        for (int q = 0; q < in; q++, at += ldp) {
            DoubleVector xq = DoubleVector.broadcast(SPECIES, x[xAt + q]);
            c0 = xq.fma(DoubleVector.fromArray(SPECIES, p, at), c0);
            c1 = xq.fma(DoubleVector.fromArray(SPECIES, p, at + LANES), c1);
            c2 = xq.fma(DoubleVector.fromArray(SPECIES, p, at + 2 * LANES), c2);
            c3 = xq.fma(DoubleVector.fromArray(SPECIES, p, at + 3 * LANES), c3);
        }
        c0.intoArray(sums, j);
        c1.intoArray(sums, j + LANES);
        c2.intoArray(sums, j + 2 * LANES);
        c3.intoArray(sums, j + 3 * LANES);
    }

    /** {@link #row8} with five chains. */
    private static void row5(double[] x, int xAt, int in, double[] p, int at, int ldp, double[] sums, int j) {
        DoubleVector c0 = DoubleVector.zero(SPECIES), c1 = c0, c2 = c0, c3 = c0, c4 = c0;
        for (int q = 0; q < in; q++, at += ldp) {
            DoubleVector xq = DoubleVector.broadcast(SPECIES, x[xAt + q]);
            c0 = xq.fma(DoubleVector.fromArray(SPECIES, p, at), c0);
            c1 = xq.fma(DoubleVector.fromArray(SPECIES, p, at + LANES), c1);
            c2 = xq.fma(DoubleVector.fromArray(SPECIES, p, at + 2 * LANES), c2);
            c3 = xq.fma(DoubleVector.fromArray(SPECIES, p, at + 3 * LANES), c3);
            c4 = xq.fma(DoubleVector.fromArray(SPECIES, p, at + 4 * LANES), c4);
        }
        c0.intoArray(sums, j);
        c1.intoArray(sums, j + LANES);
        c2.intoArray(sums, j + 2 * LANES);
        c3.intoArray(sums, j + 3 * LANES);
        c4.intoArray(sums, j + 4 * LANES);
    }

    /** {@link #row8} with six chains. */
    private static void row6(double[] x, int xAt, int in, double[] p, int at, int ldp, double[] sums, int j) {
        DoubleVector c0 = DoubleVector.zero(SPECIES), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0;
        for (int q = 0; q < in; q++, at += ldp) {
            DoubleVector xq = DoubleVector.broadcast(SPECIES, x[xAt + q]);
            c0 = xq.fma(DoubleVector.fromArray(SPECIES, p, at), c0);
            c1 = xq.fma(DoubleVector.fromArray(SPECIES, p, at + LANES), c1);
            c2 = xq.fma(DoubleVector.fromArray(SPECIES, p, at + 2 * LANES), c2);
            c3 = xq.fma(DoubleVector.fromArray(SPECIES, p, at + 3 * LANES), c3);
            c4 = xq.fma(DoubleVector.fromArray(SPECIES, p, at + 4 * LANES), c4);
            c5 = xq.fma(DoubleVector.fromArray(SPECIES, p, at + 5 * LANES), c5);
        }
        c0.intoArray(sums, j);
        c1.intoArray(sums, j + LANES);
        c2.intoArray(sums, j + 2 * LANES);
        c3.intoArray(sums, j + 3 * LANES);
        c4.intoArray(sums, j + 4 * LANES);
        c5.intoArray(sums, j + 5 * LANES);
    }

    /** {@link #row8} with seven chains. */
    private static void row7(double[] x, int xAt, int in, double[] p, int at, int ldp, double[] sums, int j) {
        DoubleVector c0 = DoubleVector.zero(SPECIES), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0;
        for (int q = 0; q < in; q++, at += ldp) {
            DoubleVector xq = DoubleVector.broadcast(SPECIES, x[xAt + q]);
            c0 = xq.fma(DoubleVector.fromArray(SPECIES, p, at), c0);
            c1 = xq.fma(DoubleVector.fromArray(SPECIES, p, at + LANES), c1);
            c2 = xq.fma(DoubleVector.fromArray(SPECIES, p, at + 2 * LANES), c2);
            c3 = xq.fma(DoubleVector.fromArray(SPECIES, p, at + 3 * LANES), c3);
            c4 = xq.fma(DoubleVector.fromArray(SPECIES, p, at + 4 * LANES), c4);
            c5 = xq.fma(DoubleVector.fromArray(SPECIES, p, at + 5 * LANES), c5);
            c6 = xq.fma(DoubleVector.fromArray(SPECIES, p, at + 6 * LANES), c6);
        }
        c0.intoArray(sums, j);
        c1.intoArray(sums, j + LANES);
        c2.intoArray(sums, j + 2 * LANES);
        c3.intoArray(sums, j + 3 * LANES);
        c4.intoArray(sums, j + 4 * LANES);
        c5.intoArray(sums, j + 5 * LANES);
        c6.intoArray(sums, j + 6 * LANES);
    }

    /**
     * {@link #rowPass} with eight chains: per output {@code fma(x_{in−1}, w, … fma(x_0, w, +0))}, the broadcast
     * kernel's chain. {@link #row1} … {@link #row7} are the same with fewer.
     */
    private static void row8(double[] x, int xAt, int in, double[] p, int at, int ldp, double[] sums, int j) {
        DoubleVector c0 = DoubleVector.zero(SPECIES), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
        for (int q = 0; q < in; q++, at += ldp) {
            DoubleVector xq = DoubleVector.broadcast(SPECIES, x[xAt + q]);
            c0 = xq.fma(DoubleVector.fromArray(SPECIES, p, at), c0);
            c1 = xq.fma(DoubleVector.fromArray(SPECIES, p, at + LANES), c1);
            c2 = xq.fma(DoubleVector.fromArray(SPECIES, p, at + 2 * LANES), c2);
            c3 = xq.fma(DoubleVector.fromArray(SPECIES, p, at + 3 * LANES), c3);
            c4 = xq.fma(DoubleVector.fromArray(SPECIES, p, at + 4 * LANES), c4);
            c5 = xq.fma(DoubleVector.fromArray(SPECIES, p, at + 5 * LANES), c5);
            c6 = xq.fma(DoubleVector.fromArray(SPECIES, p, at + 6 * LANES), c6);
            c7 = xq.fma(DoubleVector.fromArray(SPECIES, p, at + 7 * LANES), c7);
        }
        c0.intoArray(sums, j);
        c1.intoArray(sums, j + LANES);
        c2.intoArray(sums, j + 2 * LANES);
        c3.intoArray(sums, j + 3 * LANES);
        c4.intoArray(sums, j + 4 * LANES);
        c5.intoArray(sums, j + 5 * LANES);
        c6.intoArray(sums, j + 6 * LANES);
        c7.intoArray(sums, j + 7 * LANES);
    }

    /**
     * {@code u = W·x + b}, {@code a = σ(u)} for a single row of a DOT layer: {@link #dots}' dot products of the rows of W
     * with x (four per pass, the rest one by one), each lane sum plus its bias as it is stored, then σ: the bits of
     * {@link #dots} followed by {@link ActivationKernel#biasActivate}, one store and reload fewer on the evaluation's
     * critical path. W's tails come from the workspace's copy when W's last row would reach past θ's end
     * ({@link #keptTails}); x's tail is copied when x ends there (a caller that owns x leaves
     * {@link #INPUT_PADDING} after it instead).
     */
    private void dotRow(double[] x, double[] theta, int wOff, int bOff, double[] u, double[] a, Workspace ws) {
        int k = in;
        double[] lanes = ws.lanes;
        boolean keptW = keptTails(theta, wOff, ws);
        boolean copyX = GemmKernel.tailsPastEnd(x, 0, 0, 1, k);
        double[] tw = keptW ? ws.rowEnds : theta, tx = copyX ? lanes : x;
        int twOff = keptW ? LANES - k : wOff;
        int tldw = keptW ? LANES : k;
        int txOff = copyX ? GemmKernel.copyTails(x, 0, 0, 1, k, lanes, GemmKernel.DOT_A_TAILS) : 0;
        int i = 0;
        for (; i + GemmKernel.MR <= out; i += GemmKernel.MR) {
            GemmKernel.dot4x1(k, theta, wOff + i * k, k, x, 0, tw, twOff + i * tldw, tldw, tx, txOff, lanes);
            for (int r = 0; r < GemmKernel.MR; r++) {
                u[i + r] = GemmKernel.laneSum(lanes, r * LANES) + theta[bOff + i + r];
            }
        }
        for (; i < out; i++) {
            GemmKernel.dot1x1(k, theta, wOff + i * k, x, 0, tw, twOff + i * tldw, tx, txOff, lanes);
            u[i] = GemmKernel.laneSum(lanes, 0) + theta[bOff + i];
        }
        act.apply(u, 0, a, 0, out);
    }

    /**
     * {@code c[cOff + i·ldc + j·cs] = A[i]·B[j] + bias[biasOff + j]} for the rows of A ({@code m × in}, stride lda)
     * and of B ({@code nb × in}, stride ldb, {@code nb < LANES}): {@link GemmKernel}'s dot products, four rows of A
     * against two rows of B per pass ({@link #dot4x2}), lanes added in index order, each sum plus its bias as it is
     * stored (the bits of the sums and then a bias pass). With {@code A = X} from {@code aOff}, {@code B = W} at
     * {@code wOff} of θ and b at {@code biasOff} it is the DOT form. W's tails come from the workspace's copy when its
     * last row would reach past θ's end ({@link #keptTails}: W followed by b alone does); A's are copied for the last
     * block of rows alone, when X ends there ({@link GemmKernel#tailsPastEnd}; a caller that owns X leaves
     * {@link #INPUT_PADDING} after it instead).
     */
    private void dots(int m, double[] a, int aOff, double[] theta, int wOff, int biasOff, double[] c, int cOff,
                      Workspace ws) {
        int k = in, nb = out, lda = in, ldb = in, ldc = out, cs = 1;
        double[] b = theta, bias = theta, lanes = ws.lanes, sums = ws.sums, pairBias = ws.pairBias;
        int bOff = wOff;
        if (nb == 2) {
            for (int q = 0; q < pairBias.length; q++) pairBias[q] = bias[biasOff + (q & 1)];
        }
        boolean keptB = keptTails(theta, wOff, ws);
        double[] tb = keptB ? ws.rowEnds : b;
        int tbOff = keptB ? LANES - k : bOff;
        int tldb = keptB ? LANES : ldb;
        int i = 0;
        for (; i + GemmKernel.MR <= m; i += GemmKernel.MR) {
            int ai = aOff + i * lda;
            boolean copyA = GemmKernel.tailsPastEnd(a, ai, lda, GemmKernel.MR, k);
            double[] ta = copyA ? lanes : a;
            int tai = copyA ? GemmKernel.copyTails(a, ai, lda, GemmKernel.MR, k, lanes, GemmKernel.DOT_A_TAILS) : ai;
            int tlda = copyA ? LANES : lda;
            int j = 0;
            for (; j + 1 < nb; j += 2) {
                dot4x2(k, a, ai, lda, b, bOff + j * ldb, ldb, ta, tai, tlda, tb, tbOff + j * tldb, tldb, lanes, sums);
                if (nb == 2) { // the tile's eight outputs are c[cOff + 2i ..], in the order of the sums
                    for (int q = 0; q < 2 * GemmKernel.MR; q += LANES) {
                        DoubleVector.fromArray(SPECIES, sums, q).add(DoubleVector.fromArray(SPECIES, pairBias, q))
                                .intoArray(c, cOff + i * ldc + q);
                    }
                } else {
                    for (int r = 0; r < GemmKernel.MR; r++) {
                        c[cOff + (i + r) * ldc + j * cs] = sums[2 * r] + bias[biasOff + j];
                        c[cOff + (i + r) * ldc + (j + 1) * cs] = sums[2 * r + 1] + bias[biasOff + j + 1];
                    }
                }
            }
            for (; j < nb; j++) {
                GemmKernel.dot4x1(k, a, ai, lda, b, bOff + j * ldb, ta, tai, tlda, tb, tbOff + j * tldb, lanes);
                for (int r = 0; r < GemmKernel.MR; r++) {
                    c[cOff + (i + r) * ldc + j * cs] = GemmKernel.laneSum(lanes, r * LANES) + bias[biasOff + j];
                }
            }
        }
        for (; i + 1 < m; i += 2) {
            int ai = aOff + i * lda;
            boolean copyA = GemmKernel.tailsPastEnd(a, ai, lda, 2, k);
            double[] ta = copyA ? lanes : a;
            int tai = copyA ? GemmKernel.copyTails(a, ai, lda, 2, k, lanes, GemmKernel.DOT_A_TAILS) : ai;
            int tlda = copyA ? LANES : lda;
            int j = 0;
            for (; j + 1 < nb; j += 2) {
                dot2x2(k, a, ai, lda, b, bOff + j * ldb, ldb, ta, tai, tlda, tb, tbOff + j * tldb, tldb, lanes);
                for (int r = 0; r < 2; r++) {
                    c[cOff + (i + r) * ldc + j * cs] = GemmKernel.laneSum(lanes, 2 * r * LANES) + bias[biasOff + j];
                    c[cOff + (i + r) * ldc + (j + 1) * cs] = GemmKernel.laneSum(lanes, (2 * r + 1) * LANES)
                            + bias[biasOff + j + 1];
                }
            }
            for (; j < nb; j++) {
                for (int r = 0; r < 2; r++) {
                    GemmKernel.dot1x1(k, a, ai + r * lda, b, bOff + j * ldb, ta, tai + r * tlda, tb, tbOff + j * tldb,
                            lanes);
                    c[cOff + (i + r) * ldc + j * cs] = GemmKernel.laneSum(lanes, 0) + bias[biasOff + j];
                }
            }
        }
        for (; i < m; i++) {
            int ai = aOff + i * lda;
            boolean copyA = GemmKernel.tailsPastEnd(a, ai, 0, 1, k);
            double[] ta = copyA ? lanes : a;
            int tai = copyA ? GemmKernel.copyTails(a, ai, 0, 1, k, lanes, GemmKernel.DOT_A_TAILS) : ai;
            for (int j = 0; j < nb; j++) {
                GemmKernel.dot1x1(k, a, ai, b, bOff + j * ldb, ta, tai, tb, tbOff + j * tldb, lanes);
                c[cOff + i * ldc + j * cs] = GemmKernel.laneSum(lanes, 0) + bias[biasOff + j];
            }
        }
    }

    /**
     * Whether W's last row would reach past θ's end in the dot products' last partial vectors (W followed by b alone
     * does): their tails ({@code [loopBound(in), in)} of each row) are then read from the workspace's copy of the
     * rows' last vectors ({@link Workspace#rowEnds}), which is kept while their bits stay the same, as the broadcast
     * form keeps its packed panel: compared at every call (one whole vector per row of W: a row is at least a vector
     * long in this form), or while the workspace is {@linkplain Workspace#holdWeights held} at the first call of the
     * hold only, and copied when they differ. Read long after it was written, the copy costs no store-to-load stall,
     * where tails copied at each call did.
     */
    private boolean keptTails(double[] theta, int wOff, Workspace ws) {
        if (!GemmKernel.tailsPastEnd(theta, wOff, in, out, in)) return false;
        if (ws.comparesNow() && !(ws.tailsKept && sameRowEnds(theta, wOff, ws.rowEnds))) {
            for (int j = 0; j < out; j++) {
                System.arraycopy(theta, wOff + (j + 1) * in - LANES, ws.rowEnds, j * LANES, LANES);
            }
            ws.tailsKept = true;
        }
        return true;
    }

    /**
     * Whether the last vector of each row of W holds the bits of its copy (−0 against +0 and NaN payloads are
     * changes): a scalar loop of raw-bit exclusive ors, a vector's length per row. Not the vector form of
     * {@link #sameBits}: reached from the dot form's compiled callers, its reinterpreting vector loop ran the Vector
     * API's Java fallbacks there after C2 had compiled it (2.2 KB a gradient on 2x64x1024 backprop,
     * docs/BENCHMARKS.md §89.7); the comparison is {@code out · LANES} elements, a few nanoseconds either way.
     */
    private boolean sameRowEnds(double[] theta, int wOff, double[] copy) {
        long diff = 0;
        for (int j = 0, w = wOff + in - LANES; j < out; j++, w += in) {
            for (int l = 0; l < LANES; l++) {
                diff |= Double.doubleToRawLongBits(theta[w + l]) ^ Double.doubleToRawLongBits(copy[j * LANES + l]);
            }
        }
        return diff == 0;
    }

    /**
     * {@link #dot4x2} for two rows of A (the rows after the last whole tile): four FMA chains in flight where one row at
     * a time ran one; the same chains, so the same bits. Row r against row {@code jj} of B goes to
     * {@code lanes[(2r + jj)·LANES ..]}.
     */
    private static void dot2x2(int k, double[] a, int ai, int lda, double[] b, int bj, int ldb, double[] ta, int tai,
                               int tlda, double[] tb, int tbj, int tldb, double[] lanes) {
        DoubleVector s00 = DoubleVector.zero(SPECIES), s01 = s00, s10 = s00, s11 = s00;
        int p = 0;
        for (int full = SPECIES.loopBound(k); p < full; p += LANES) {
            DoubleVector b0 = DoubleVector.fromArray(SPECIES, b, bj + p);
            DoubleVector b1 = DoubleVector.fromArray(SPECIES, b, bj + ldb + p);
            DoubleVector a0 = DoubleVector.fromArray(SPECIES, a, ai + p);
            s00 = a0.fma(b0, s00);
            s01 = a0.fma(b1, s01);
            DoubleVector a1 = DoubleVector.fromArray(SPECIES, a, ai + lda + p);
            s10 = a1.fma(b0, s10);
            s11 = a1.fma(b1, s11);
        }
        VectorMask<Double> tail = SPECIES.indexInRange(p, k); // all false when k is a multiple of LANES
        DoubleVector b0 = DoubleVector.fromArray(SPECIES, tb, tbj + p, tail);
        DoubleVector b1 = DoubleVector.fromArray(SPECIES, tb, tbj + tldb + p, tail);
        DoubleVector a0 = DoubleVector.fromArray(SPECIES, ta, tai + p, tail);
        DoubleVector a1 = DoubleVector.fromArray(SPECIES, ta, tai + tlda + p, tail);
        a0.fma(b0, s00).intoArray(lanes, 0);
        a0.fma(b1, s01).intoArray(lanes, LANES);
        a1.fma(b0, s10).intoArray(lanes, 2 * LANES);
        a1.fma(b1, s11).intoArray(lanes, 3 * LANES);
    }

    /**
     * {@link GemmKernel#dot4x1}'s lane-wise partial sums for four rows of A against two rows of B in one pass over k
     * (eight FMA chains, six loads per eight FMAs, where two passes of {@code dot4x1} run four chains each): the same
     * chains, so the same bits. The last partial vectors come from {@code ta}/{@code tb} as in
     * {@link GemmKernel#dot4x1}. Row r against row {@code jj} of B is summed into {@code sums[2r + jj]}, its lanes
     * added in index order ({@link GemmKernel#laneSum}'s order): with 512-bit vectors (eight lanes, eight products)
     * all eight at once, after an 8 × 8 transpose of the chains in registers (24 permutes, 24 blends and seven
     * vector additions, where the sums one by one cost eight stores, 64 loads and 56 dependent scalar additions);
     * otherwise through {@code lanes} one by one.
     */
    static void dot4x2(int k, double[] a, int ai, int lda, double[] b, int bj, int ldb, double[] ta, int tai,
                               int tlda, double[] tb, int tbj, int tldb, double[] lanes, double[] sums) {
        DoubleVector s00 = DoubleVector.zero(SPECIES), s01 = s00, s10 = s00, s11 = s00;
        DoubleVector s20 = s00, s21 = s00, s30 = s00, s31 = s00;
        int p = 0;
        for (int full = SPECIES.loopBound(k); p < full; p += LANES) {
            DoubleVector b0 = DoubleVector.fromArray(SPECIES, b, bj + p);
            DoubleVector b1 = DoubleVector.fromArray(SPECIES, b, bj + ldb + p);
            DoubleVector a0 = DoubleVector.fromArray(SPECIES, a, ai + p);
            s00 = a0.fma(b0, s00);
            s01 = a0.fma(b1, s01);
            DoubleVector a1 = DoubleVector.fromArray(SPECIES, a, ai + lda + p);
            s10 = a1.fma(b0, s10);
            s11 = a1.fma(b1, s11);
            DoubleVector a2 = DoubleVector.fromArray(SPECIES, a, ai + 2 * lda + p);
            s20 = a2.fma(b0, s20);
            s21 = a2.fma(b1, s21);
            DoubleVector a3 = DoubleVector.fromArray(SPECIES, a, ai + 3 * lda + p);
            s30 = a3.fma(b0, s30);
            s31 = a3.fma(b1, s31);
        }
        VectorMask<Double> tail = SPECIES.indexInRange(p, k); // all false when k is a multiple of LANES
        DoubleVector b0 = DoubleVector.fromArray(SPECIES, tb, tbj + p, tail);
        DoubleVector b1 = DoubleVector.fromArray(SPECIES, tb, tbj + tldb + p, tail);
        DoubleVector a0 = DoubleVector.fromArray(SPECIES, ta, tai + p, tail);
        DoubleVector a1 = DoubleVector.fromArray(SPECIES, ta, tai + tlda + p, tail);
        DoubleVector a2 = DoubleVector.fromArray(SPECIES, ta, tai + 2 * tlda + p, tail);
        DoubleVector a3 = DoubleVector.fromArray(SPECIES, ta, tai + 3 * tlda + p, tail);
        s00 = a0.fma(b0, s00);
        s01 = a0.fma(b1, s01);
        s10 = a1.fma(b0, s10);
        s11 = a1.fma(b1, s11);
        s20 = a2.fma(b0, s20);
        s21 = a2.fma(b1, s21);
        s30 = a3.fma(b0, s30);
        s31 = a3.fma(b1, s31);
        if (LANES == 2 * GemmKernel.MR) {
            // 8 × 8 transpose (three stages: lanes with bit d exchanged between products d apart, d = 4, 2, 1),
            // then the lanes added in index order, all eight sums at once
            DoubleVector t0 = s00.blend(s20.rearrange(SWAP4), BIT4), t4 = s00.rearrange(SWAP4).blend(s20, BIT4);
            DoubleVector t1 = s01.blend(s21.rearrange(SWAP4), BIT4), t5 = s01.rearrange(SWAP4).blend(s21, BIT4);
            DoubleVector t2 = s10.blend(s30.rearrange(SWAP4), BIT4), t6 = s10.rearrange(SWAP4).blend(s30, BIT4);
            DoubleVector t3 = s11.blend(s31.rearrange(SWAP4), BIT4), t7 = s11.rearrange(SWAP4).blend(s31, BIT4);
            DoubleVector u0 = t0.blend(t2.rearrange(SWAP2), BIT2), u2 = t0.rearrange(SWAP2).blend(t2, BIT2);
            DoubleVector u1 = t1.blend(t3.rearrange(SWAP2), BIT2), u3 = t1.rearrange(SWAP2).blend(t3, BIT2);
            DoubleVector u4 = t4.blend(t6.rearrange(SWAP2), BIT2), u6 = t4.rearrange(SWAP2).blend(t6, BIT2);
            DoubleVector u5 = t5.blend(t7.rearrange(SWAP2), BIT2), u7 = t5.rearrange(SWAP2).blend(t7, BIT2);
            DoubleVector sum = u0.blend(u1.rearrange(SWAP1), BIT1).add(u0.rearrange(SWAP1).blend(u1, BIT1))
                    .add(u2.blend(u3.rearrange(SWAP1), BIT1)).add(u2.rearrange(SWAP1).blend(u3, BIT1))
                    .add(u4.blend(u5.rearrange(SWAP1), BIT1)).add(u4.rearrange(SWAP1).blend(u5, BIT1))
                    .add(u6.blend(u7.rearrange(SWAP1), BIT1)).add(u6.rearrange(SWAP1).blend(u7, BIT1));
            sum.intoArray(sums, 0);
        } else {
            s00.intoArray(lanes, 0);
            s01.intoArray(lanes, LANES);
            s10.intoArray(lanes, 2 * LANES);
            s11.intoArray(lanes, 3 * LANES);
            s20.intoArray(lanes, 4 * LANES);
            s21.intoArray(lanes, 5 * LANES);
            s30.intoArray(lanes, 6 * LANES);
            s31.intoArray(lanes, 7 * LANES);
            for (int q = 0; q < 2 * GemmKernel.MR; q++) sums[q] = GemmKernel.laneSum(lanes, q * LANES);
        }
    }

    /**
     * The per-thread scratch of a {@link DenseKernel}: the packing panel and a row for lane sums (BROADCAST), the copy
     * of W's rows' tails (DOT).
     */
    public static final class Workspace extends PackedWeights {
        final double[] panel;
        final double[] lanes = new double[GemmKernel.DOT_SCRATCH]; // the dot products' sums and tails
        /** The eight dot products of a tile of {@link DenseKernel#dot4x2}, row by row. */
        final double[] sums = new double[2 * GemmKernel.MR];
        /** A two-output layer's bias {@code b₀, b₁} repeated over {@link #sums}. */
        final double[] pairBias = new double[2 * GemmKernel.MR];
        /** A single row's sums before its bias and σ, whole passes of {@link #rowPass} long. */
        final double[] rowSums;

        /** b repeated over a block's rows, for the tanh pass that adds it ({@link DenseKernel#tiled}). */
        final double[] biasTile;
        /** The b the tile was built from. */
        final double[] biasFrom;
        boolean tiled;
        /**
         * The dot form's copy of the last vector of each row of W (row j's at {@code j·LANES}), and a vector of room
         * after them, so that the dot products' masked tail loads stay inside it ({@link DenseKernel#keptTails}).
         */
        final double[] rowEnds;
        /** Whether {@link #rowEnds} holds a copy. */
        boolean tailsKept;

        private Workspace(int panelLength, int weights, int rowSums, int tile, int bias, int tails) {
            this(new double[panelLength], weights, rowSums, tile, bias, tails);
        }

        private Workspace(double[] panel, int weights, int rowSums, int tile, int bias, int tails) {
            super(panel, weights);
            this.panel = panel;
            this.rowSums = new double[rowSums];
            biasTile = new double[tile];
            biasFrom = new double[tile == 0 ? 0 : bias];
            rowEnds = new double[tails];
        }
    }
}
