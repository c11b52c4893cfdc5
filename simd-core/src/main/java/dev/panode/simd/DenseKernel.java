package dev.panode.simd;

import static dev.panode.simd.Simd.LANES;
import static dev.panode.simd.Simd.SPECIES;

import dev.panode.blas.HeapAlignment;
import dev.panode.blas.Transpose;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;

/**
 * One dense layer and its activation over a block of rows, {@code U = X·Wᵀ + 1·bᵀ}, {@code A = σ(U)}
 * ({@code torch.nn.Linear} then σ; W row-major {@code out × in}, b after it or anywhere), with the product, the bias
 * and the activation done block by block while the block is in L1 — the fused layer kernel of an MLP
 * (docs/ALGORITHMS.md §6). Its form is chosen once, when the layer is made ({@link #of}), from the layer's shape:
 *
 * <ul>
 *   <li>{@link Form#DOT}: an output narrower than a vector ({@code out < lanes ≤ in}, the output layer of a
 *       low-dimensional ODE): dot products of the rows of X with the rows of W, four rows of X sharing each load of
 *       W, then {@code + b} and σ;</li>
 *   <li>{@link Form#BROADCAST}: everything else the Java kernel computes. Wᵀ is packed into a panel of the workspace
 *       and kept there while W's bits stay the same (the six stages of a Runge–Kutta step, every step between two
 *       optimiser updates: a contiguous comparison of W replaces the strided packing), then the rows are cut into
 *       blocks of about 16 KiB of output; each block is computed by {@link GemmKernel}'s broadcast micro-kernels
 *       (4 rows × up to 3 vectors of accumulators, broadcast FMAs) and then, still in L1, gets its bias and its
 *       activation in one pass;</li>
 *   <li>a single row of a short input ({@code rows = 1}, {@code in ≤ 4}): per vector of outputs {@code in}
 *       broadcast FMAs on the columns of W read by a strided gather, then the bias, then the activation over the
 *       row;</li>
 *   <li>{@link Form#GEMM}: an input wider than the Java kernel's k block ({@code min(128, 65536 / out)}), and, whatever the form,
 *       any call whose product the dispatcher ({@link Gemm#backendFor}) gives to OpenBLAS: {@link Gemm#dgemm} on the
 *       whole block, then one bias-and-activation pass ({@link ActivationKernel#biasActivate}).</li>
 * </ul>
 *
 * <p><b>Results.</b> The DOT, BROADCAST and GEMM forms give the same bits as {@link Gemm#dgemm} followed by
 * {@link ActivationKernel#biasActivate} (the same micro-kernels sum in the same order), and so does the short-input
 * row: results are bit for bit those of the unfused layers, so a row gives the same bits alone as in a small block
 * (the per-sample solver and the ensembles rely on it). A single-row matrix–vector product with dot products along
 * the input was tried and dropped: faster (0.39 against about 0.5 µs for 50 × 50) but another summation order, which broke
 * that equality.
 *
 * <p>Cost: {@code rows·in·out} FMAs plus, for BROADCAST, one contiguous pass over W (a strided one when W changed);
 * the workspace holds a copy of W and its packed transpose. Nothing is allocated (the panel lives in
 * the caller's {@link Workspace}). Unchecked: the caller (a layer) has checked the sizes once. Not for large
 * products alone ({@link Gemm#dgemm} is the general entry point).
 */
public final class DenseKernel {
    /** How a layer's product is computed (a single row of a short input has its own gather kernel). */
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
    /** Inputs up to this width take the broadcast-FMA row kernel for a single row ({@link #shortInputRow}). */
    private static final int SHORT_INPUT = 4;

    private final int in;
    private final int out;
    private final ActivationKernel act;
    private final Form form;
    /** Row stride of the packed Wᵀ: out rounded up to whole vectors. */
    private final int ldp;
    private final int blockRows;
    /** For a single row of a short input ({@code in ≤ 4}): lane i reads W's row i, {@code {0, in, 2·in, …}}. */
    private final int[] rowStarts;
    /** {@link #rowStarts} for the last, partial vector of outputs: 0 (a valid index, masked off) past the last row. */
    private final int[] tailRowStarts;

    private DenseKernel(int in, int out, ActivationKernel act) {
        this.in = in;
        this.out = out;
        this.act = act;
        this.ldp = (out + LANES - 1) / LANES * LANES;
        // the GEMM kernel cuts k into blocks of min(KC, PACK_CAPACITY / ldp); a layer within one block keeps its bits
        int kBlock = Math.max(1, Math.min(GemmKernel.KC, GemmKernel.PACK_CAPACITY / ldp));
        this.form = in > kBlock ? Form.GEMM : out < LANES && in >= LANES ? Form.DOT : Form.BROADCAST;
        int rows = BLOCK_ELEMENTS / Math.max(out, 1) / GemmKernel.MR * GemmKernel.MR;
        this.blockRows = Math.max(GemmKernel.MR, rows);
        this.rowStarts = new int[LANES];
        this.tailRowStarts = new int[LANES];
        for (int i = 0; i < LANES; i++) {
            rowStarts[i] = i * in;
            tailRowStarts[i] = i < out % LANES ? i * in : 0; // the gather checks masked-off lanes' indices too
        }
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

    /** The form chosen for this layer's shape (for blocks of more than one row). */
    public Form form() {
        return form;
    }

    /** The doubles {@link #newWorkspace} allocates (the panel, the copy of W, the lane sums). */
    public long workspaceDoubles() {
        return (form == Form.BROADCAST ? (long) in * ldp + SLACK + (long) in * out : 0) + GemmKernel.MR * LANES;
    }

    /** Scratch for one thread: the panel for the packed Wᵀ, a copy of W and a row for lane sums. Made once. */
    public Workspace newWorkspace() {
        return form == Form.BROADCAST ? new Workspace(in * ldp + SLACK, in * out) : new Workspace(0, 0);
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
            Gemm.dgemm(Transpose.NO, Transpose.YES, rows, out, in, 1.0, x, 0, in, theta, wOff, in, 0.0, u, 0, out);
            act.biasActivate(u, 0, theta, bOff, rows, out, u, 0, a, 0);
        } else if (rows == 1 && in <= SHORT_INPUT) {
            shortInputRow(x, theta, wOff, bOff, u);
            act.apply(u, 0, a, 0, out);
        } else if (form == Form.DOT) {
            dots(rows, out, x, 0, in, theta, wOff, in, u, 0, out, 1, ws.lanes);
            act.biasActivate(u, 0, theta, bOff, rows, out, u, 0, a, 0);
        } else {
            broadcast(rows, x, 0, theta, wOff, bOff, u, 0, a, 0, ws);
        }
    }

    /**
     * {@link #forward(int, double[], double[], int, int, double[], double[], Workspace)} on blocks that start at
     * offsets: x at {@code xOff}, u at {@code uOff}, a at {@code aOff} (a backprop pass writes U and A straight into
     * its saved stage this way, without a copy). The same bits as the other form; a single row of a short input takes
     * the broadcast micro-kernels here, whose bits its gather kernel reproduces.
     *
     * @param u the pre-activation, or the same array and offset as {@code a} when it is not needed later; must not
     *          overlap x, and must not overlap a unless it is the same block
     */
    public void forward(int rows, double[] x, int xOff, double[] theta, int wOff, int bOff, double[] u, int uOff,
                        double[] a, int aOff, Workspace ws) {
        if (rows == 0) return;
        if (form == Form.GEMM || Gemm.backendFor(rows, out, in) == Gemm.Backend.OPENBLAS) {
            Gemm.dgemm(Transpose.NO, Transpose.YES, rows, out, in, 1.0, x, xOff, in, theta, wOff, in, 0.0, u, uOff,
                    out);
            act.biasActivate(u, uOff, theta, bOff, rows, out, u, uOff, a, aOff);
        } else if (form == Form.DOT) {
            dots(rows, out, x, xOff, in, theta, wOff, in, u, uOff, out, 1, ws.lanes);
            act.biasActivate(u, uOff, theta, bOff, rows, out, u, uOff, a, aOff);
        } else {
            broadcast(rows, x, xOff, theta, wOff, bOff, u, uOff, a, aOff, ws);
        }
    }

    /**
     * Wᵀ packed into the workspace's panel — or the panel kept from the last call, when W has not changed since
     * (checked bit for bit: a contiguous comparison costs a fraction of the strided packing) — then per block of rows
     * the micro-kernels, the bias and the activation.
     */
    private void broadcast(int rows, double[] x, int xOff, double[] theta, int wOff, int bOff, double[] u, int uOff,
                           double[] a, int aOff, Workspace ws) {
        int n = in * out;
        if (!ws.packed || Arrays.mismatch(theta, wOff, wOff + n, ws.packedFrom, 0, n) >= 0) {
            ws.base = (long) rows * n >= GemmKernel.ALIGN_MIN_WORK ? ws.alignedStart() : 0;
            GemmKernel.packTransposed(theta, wOff, in, in, out, ws.panel, ws.base, ldp);
            System.arraycopy(theta, wOff, ws.packedFrom, 0, n);
            ws.packed = true;
        }
        for (int r0 = 0; r0 < rows; r0 += blockRows) {
            int m = Math.min(blockRows, rows - r0);
            int at = r0 * out;
            GemmKernel.block(m, out, in, 1.0, x, xOff + r0 * in, in, 1, ws.panel, ws.base, ldp, 0.0, u, uOff + at,
                    out);
            act.biasActivate(u, uOff + at, theta, bOff, m, out, u, uOff + at, a, aOff + at);
        }
    }

    /**
     * {@code u = x·Wᵀ + b} for one row of a short input ({@code in ≤ 4}, the first layer of a low-dimensional ODE): per
     * vector of outputs, {@code in} broadcast FMAs with the columns of W read by a strided gather (no packing), then the
     * bias. Each output is the broadcast kernel's chain {@code fma(x_{in−1}, w, … fma(x_0, w, 0))} plus b, so the bits
     * are those of the packed path.
     */
    private void shortInputRow(double[] x, double[] w, int wOff, int bOff, double[] u) {
        int j = 0;
        for (; j + LANES <= out; j += LANES) {
            DoubleVector acc = DoubleVector.zero(SPECIES);
            for (int p = 0; p < in; p++) {
                acc = DoubleVector.broadcast(SPECIES, x[p])
                        .fma(DoubleVector.fromArray(SPECIES, w, wOff + j * in + p, rowStarts, 0), acc);
            }
            acc.add(DoubleVector.fromArray(SPECIES, w, bOff + j)).intoArray(u, j);
        }
        if (j < out) {
            VectorMask<Double> m = SPECIES.indexInRange(j, out);
            DoubleVector acc = DoubleVector.zero(SPECIES);
            for (int p = 0; p < in; p++) {
                acc = DoubleVector.broadcast(SPECIES, x[p])
                        .fma(DoubleVector.fromArray(SPECIES, w, wOff + j * in + p, tailRowStarts, 0, m), acc);
            }
            acc.add(DoubleVector.fromArray(SPECIES, w, bOff + j, m)).intoArray(u, j, m);
        }
    }

    /**
     * {@code c[cOff + i·ldc + j·cs] = A[i]·B[j]} for the rows of A ({@code m × in}, stride lda) and of B
     * ({@code nb × in}, stride ldb): {@link GemmKernel}'s dot products, four rows of A per load of B, lanes added in
     * index order. With {@code A = W}, {@code m = out}, {@code nb = 1} it is the matrix–vector product {@code W·x};
     * with {@code A = X}, {@code B = W} the DOT form.
     */
    private void dots(int m, int nb, double[] a, int aOff, int lda, double[] b, int bOff, int ldb, double[] c,
                      int cOff, int ldc, int cs, double[] lanes) {
        int k = in;
        int i = 0;
        for (; i + GemmKernel.MR <= m; i += GemmKernel.MR) {
            for (int j = 0; j < nb; j++) {
                GemmKernel.dot4x1(k, a, aOff + i * lda, lda, b, bOff + j * ldb, lanes);
                for (int r = 0; r < GemmKernel.MR; r++) {
                    c[cOff + (i + r) * ldc + j * cs] = GemmKernel.laneSum(lanes, r * LANES);
                }
            }
        }
        for (; i < m; i++) {
            for (int j = 0; j < nb; j++) {
                GemmKernel.dot1x1(k, a, aOff + i * lda, b, bOff + j * ldb, lanes);
                c[cOff + i * ldc + j * cs] = GemmKernel.laneSum(lanes, 0);
            }
        }
    }

    /** The per-thread scratch of a {@link DenseKernel}: the packing panel and a row for lane sums. */
    public static final class Workspace {
        final double[] panel;
        private final MemorySegment segment;
        final double[] lanes = new double[GemmKernel.MR * LANES];
        /** The W whose transpose the panel holds: the panel is reused while W's bits are unchanged. */
        final double[] packedFrom;
        boolean packed;
        /** Where the packed panel starts (a cache-line boundary for the larger products, when it was packed). */
        int base;

        private Workspace(int panelLength, int weights) {
            panel = new double[panelLength];
            segment = MemorySegment.ofArray(panel);
            packedFrom = new double[weights];
        }

        /** The first index of the panel that starts a cache line, now (0 if unknown). */
        int alignedStart() {
            return HeapAlignment.firstAlignedIndex(segment);
        }
    }
}
