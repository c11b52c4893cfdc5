package dev.panode.simd;

import static dev.panode.simd.Simd.FLOAT_LANES;
import static dev.panode.simd.Simd.FLOAT_SPECIES;

import dev.panode.blas.Transpose;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

/**
 * The single-precision fused dense layer, {@code U = X·Wᵀ + 1·bᵀ}, {@code A = σ(U)} on {@code float[]}: the float
 * counterpart of {@link DenseKernel} (W row-major {@code out × in}, as {@code torch.nn.Linear}), with the product, the
 * bias and the activation done block by block while the block is in L1 (docs/ALGORITHMS.md §6). Its form is chosen
 * once, from the layer's shape:
 *
 * <ul>
 *   <li>{@link Form#DOT}: an output narrower than a float vector with an input of at least one
 *       ({@code out < lanes ≤ in}, the output layer of a low-dimensional ODE): dot products of the rows of X with the
 *       rows of W, four rows of X sharing each load of W, then bias and σ;</li>
 *   <li>{@link Form#BROADCAST}: everything else the Java kernel computes in one k block. Wᵀ is packed into the
 *       workspace and kept there while W's bits stay the same (every stage of every step between two optimiser
 *       updates: a contiguous comparison of W replaces the strided packing); the rows are cut into blocks of about
 *       16 KiB of output, each started from the bias rows, computed by {@link GemmKernelF32}'s broadcast
 *       micro-kernels (which add their sums to it) and then, still in L1, given its activation;</li>
 *   <li>a single row of a short input ({@code rows = 1}, {@code in ≤ 4}): per vector of outputs {@code in} broadcast
 *       FMAs on the columns of W read by a strided gather, then bias and σ;</li>
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
    /** Inputs up to this width take the broadcast-FMA row kernel for a single row. */
    private static final int SHORT_INPUT = 4;

    private final int in;
    private final int out;
    private final ActivationKernel act;
    private final Form form;
    private final int blockRows;
    /** For a single row of a short input: lane i reads W's row i, {@code {0, in, 2·in, …}}. */
    private final int[] rowStarts;
    /** {@link #rowStarts} for the last, partial vector of outputs: 0 (a valid index, masked off) past the last row. */
    private final int[] tailRowStarts;

    private DenseKernelF32(int in, int out, ActivationKernel act) {
        this.in = in;
        this.out = out;
        this.act = act;
        // GemmKernelF32 cuts a transposed B's k into blocks of this depth: a layer within one block keeps its bits
        int kBlock = Math.max(1, Math.min(GemmKernelF32.KC, GemmKernelF32.PACK_CAPACITY / out));
        boolean dot = out < FLOAT_LANES && in >= FLOAT_LANES;
        this.form = dot ? Form.DOT : in > kBlock ? Form.GEMM : Form.BROADCAST;
        int rows = BLOCK_ELEMENTS / out / GemmKernelF32.MR * GemmKernelF32.MR;
        this.blockRows = Math.max(GemmKernelF32.MR, rows);
        this.rowStarts = new int[FLOAT_LANES];
        this.tailRowStarts = new int[FLOAT_LANES];
        for (int i = 0; i < FLOAT_LANES; i++) {
            rowStarts[i] = i * in;
            tailRowStarts[i] = i < out % FLOAT_LANES ? i * in : 0; // the gather checks masked-off lanes' indices too
        }
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

    /** The floats {@link #newWorkspace} allocates (the panel, the copy of W, the lane sums). */
    public long workspaceFloats() {
        return (form == Form.BROADCAST ? 2L * in * out : 0) + (long) GemmKernelF32.MR * FLOAT_LANES;
    }

    /** Scratch for one thread: the panel for the packed Wᵀ, a copy of W and a row for lane sums. Made once. */
    public Workspace newWorkspace() {
        return new Workspace(form == Form.BROADCAST ? in * out : 0);
    }

    /**
     * {@code u = x·Wᵀ + 1·bᵀ}, {@code a = σ(u)} for {@code rows} rows; x is {@code rows × in}, u and a are
     * {@code rows × out}, all row-major from offset 0; W at {@code theta[wOff ..]}, b at {@code theta[bOff ..]}.
     *
     * @param u the pre-activation, or the same array as {@code a} when it is not needed later (the activation is then
     *          applied in place); must not alias x
     */
    public void forward(int rows, float[] x, float[] theta, int wOff, int bOff, float[] u, float[] a, Workspace ws) {
        if (rows == 0) return;
        if (form == Form.GEMM || GemmF32.backendFor(rows, out, in) == Gemm.Backend.OPENBLAS) {
            GemmF32.sgemm(Transpose.NO, Transpose.YES, rows, out, in, 1.0f, x, 0, in, theta, wOff, in, 0.0f, u, 0, out);
            ActivationKernelF32.biasActivate(act, u, 0, theta, bOff, rows, out, u, 0, a, 0);
        } else if (form == Form.DOT) {
            dots(rows, x, theta, wOff, u, ws.lanes);
            ActivationKernelF32.biasActivate(act, u, 0, theta, bOff, rows, out, u, 0, a, 0);
        } else if (rows == 1 && in <= SHORT_INPUT) {
            shortInputRow(x, theta, wOff, bOff, u);
            ActivationKernelF32.apply(act, u, 0, a, 0, out);
        } else {
            broadcast(rows, x, theta, wOff, bOff, u, a, ws);
        }
    }

    /**
     * Wᵀ packed into the workspace — or the panel kept from the last call when W's bits have not changed — then per
     * block of rows: the block filled with b's rows, the micro-kernels (their store {@code fma(Σ, 1, b)} rounds
     * {@code Σ + b} once, the bits of the product stored with β = 0 and then added to b), and σ.
     */
    private void broadcast(int rows, float[] x, float[] theta, int wOff, int bOff, float[] u, float[] a,
                           Workspace ws) {
        int n = in * out;
        if (!ws.packed || Arrays.mismatch(theta, wOff, wOff + n, ws.packedFrom, 0, n) >= 0) {
            GemmKernelF32.packTransposed(theta, wOff, in, in, out, ws.panel, out);
            System.arraycopy(theta, wOff, ws.packedFrom, 0, n);
            ws.packed = true;
        }
        for (int r0 = 0; r0 < rows; r0 += blockRows) {
            int m = Math.min(blockRows, rows - r0);
            int at = r0 * out;
            for (int r = 0; r < m; r++) System.arraycopy(theta, bOff, u, at + r * out, out);
            GemmKernelF32.block(m, out, in, 1.0f, x, r0 * in, in, 1, ws.panel, 0, out, u, at, out);
            ActivationKernelF32.apply(act, u, at, a, at, m * out);
        }
    }

    /**
     * {@code u = x·Wᵀ + b} for one row of a short input: per vector of outputs, {@code in} broadcast FMAs with the
     * columns of W read by a strided gather (no packing). Each output is the broadcast kernel's chain
     * {@code fma(x_{in−1}, w, … fma(x_0, w, +0))} (never −0, so the kernel's store {@code acc·1 + 0} leaves it as it is),
     * plus b: the bits of the packed path.
     */
    private void shortInputRow(float[] x, float[] w, int wOff, int bOff, float[] u) {
        FloatVector zero = FloatVector.zero(FLOAT_SPECIES);
        int j = 0;
        for (; j + FLOAT_LANES <= out; j += FLOAT_LANES) {
            FloatVector acc = zero;
            for (int p = 0; p < in; p++) {
                acc = FloatVector.broadcast(FLOAT_SPECIES, x[p])
                        .fma(FloatVector.fromArray(FLOAT_SPECIES, w, wOff + j * in + p, rowStarts, 0), acc);
            }
            acc.add(FloatVector.fromArray(FLOAT_SPECIES, w, bOff + j)).intoArray(u, j);
        }
        if (j < out) {
            VectorMask<Float> m = FLOAT_SPECIES.indexInRange(j, out);
            FloatVector acc = zero;
            for (int p = 0; p < in; p++) {
                acc = FloatVector.broadcast(FLOAT_SPECIES, x[p])
                        .fma(FloatVector.fromArray(FLOAT_SPECIES, w, wOff + j * in + p, tailRowStarts, 0, m), acc);
            }
            acc.add(FloatVector.fromArray(FLOAT_SPECIES, w, bOff + j, m)).intoArray(u, j, m);
        }
    }

    /**
     * {@code u[i·out + j] = X[i]·W[j]}: {@link GemmKernelF32}'s dot products, four rows of X per load of W (a sum
     * started at +0 is never −0, so the kernel's store {@code fma(1, Σ, 0)} is Σ itself).
     */
    private void dots(int rows, float[] x, float[] w, int wOff, float[] u, float[] lanes) {
        int i = 0;
        for (; i + GemmKernelF32.MR <= rows; i += GemmKernelF32.MR) {
            for (int j = 0; j < out; j++) {
                GemmKernelF32.dot4(in, x, i * in, in, w, wOff + j * in, lanes);
                for (int r = 0; r < GemmKernelF32.MR; r++) {
                    u[(i + r) * out + j] = GemmKernelF32.laneSum(lanes, r * FLOAT_LANES);
                }
            }
        }
        for (; i < rows; i++) {
            for (int j = 0; j < out; j++) {
                GemmKernelF32.dot(in, x, i * in, w, wOff + j * in, lanes);
                u[i * out + j] = GemmKernelF32.laneSum(lanes, 0);
            }
        }
    }

    /** The per-thread scratch of a {@link DenseKernelF32}: the packed Wᵀ, the W it was packed from, lane sums. */
    public static final class Workspace {
        final float[] panel;
        final float[] packedFrom;
        final float[] lanes = new float[GemmKernelF32.MR * FLOAT_LANES];
        boolean packed;

        private Workspace(int weights) {
            panel = new float[weights];
            packedFrom = new float[weights];
        }
    }
}
