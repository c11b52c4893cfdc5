package dev.panode.simd;

import static dev.panode.simd.Simd.FLOAT_LANES;
import static dev.panode.simd.Simd.FLOAT_SPECIES;

import dev.panode.blas.Arguments;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * Element-wise activations on {@code float[]}: the float counterpart of {@link ActivationKernel} for the activations
 * whose float kernels exist so far — {@link ActivationKernel#TANH} ({@link ReproducibleTanhF32}),
 * {@link ActivationKernel#RELU} and {@link ActivationKernel#IDENTITY}, all bitwise reproducible (vector and scalar
 * twin give the same bits). The others (softplus, sigmoid, sin) are refused with an {@link IllegalArgumentException}
 * naming them; see {@link #supports}.
 *
 * <p>API contract (stable): {@link #biasActivate} computes {@code U = X + 1·bᵀ} and {@code A = σ(U)} over a
 * {@code rows × cols} row-major block; {@link #derivativeTimes} multiplies a cotangent by σ' (from the output A for
 * tanh: {@code 1 − a²}). The last partial vector of a pass is masked, so every element goes through the same lane-wise
 * operations whatever its position — or, where that vector would reach past its array's end, the scalar twins, with
 * the same bits ({@link Simd#pastEnd}); a bias that ends its array is read from a padded per-thread copy. Nothing is
 * allocated after the first call on a thread. Cost: one pass per call (tanh: about 17 vector operations and a
 * division per float vector).
 */
public final class ActivationKernelF32 {
    private ActivationKernelF32() {}

    /** Per thread: a copy of a bias that ends its array, with a vector of room after it (grown once). */
    private static final ThreadLocal<float[]> BIAS = ThreadLocal.withInitial(() -> new float[0]);

    /** Floats per block of {@link #biasActivate} and {@link #derivativeTimesColumnSums}: 16 KiB, half an L1 data cache. */
    private static final int BLOCK_ELEMENTS = 4096;

    /**
     * The activations with a float kernel, one bit per ordinal: tested without a branch on the kind, which C2 would
     * compile for the kinds its profile saw and deoptimise at the first other one (a model's tanh layer after an
     * identity layer).
     */
    private static final int SUPPORTED = 1 << ActivationKernel.TANH.ordinal() | 1 << ActivationKernel.RELU.ordinal()
            | 1 << ActivationKernel.IDENTITY.ordinal();

    /** @return whether a float kernel exists for {@code kind} */
    public static boolean supports(ActivationKernel kind) {
        return (SUPPORTED >>> kind.ordinal() & 1) != 0;
    }

    /**
     * @return {@code kind}, when {@link #supports} it
     * @throws IllegalArgumentException naming the activation otherwise
     */
    public static ActivationKernel require(ActivationKernel kind) {
        Arguments.nonNull(kind, "activation");
        if (!supports(kind)) {
            throw new IllegalArgumentException("activation must be TANH, RELU or IDENTITY in float32, got " + kind);
        }
        return kind;
    }

    /**
     * {@code u[uOff + r·cols + c] = x[xOff + r·cols + c] + bias[bOff + c]} and {@code a[...] = σ(u[...])} for a
     * {@code rows × cols} block. {@code u} may alias {@code x}; {@code a} may alias {@code u} when the pre-activation
     * is not needed later (it is not for tanh and identity). Tanh on several rows in one pass (each sum activated in
     * registers, stored to a, and to u unless u is the same block as a); a single row, and the other activations, a
     * few rows at a time, each block activated by {@link #apply} while still in L1. The bits of the sums followed by
     * {@link #apply} either way. A single row goes through {@link #apply} even for tanh so that it runs the tanh kernel
     * of the batch layers ({@link DenseKernelF32}'s broadcast form): a one-row solve between batches (a periodic test)
     * then finds that kernel compiled, where a kernel of its own waited behind the batch path's in the JIT's queue and
     * ran interpreted meanwhile. Unchecked but {@code kind}.
     */
    public static void biasActivate(ActivationKernel kind, float[] x, int xOff, float[] bias, int bOff, int rows,
                                    int cols, float[] u, int uOff, float[] a, int aOff) {
        require(kind);
        if (rows > 1 && bOff + cols + FLOAT_LANES > bias.length) { // a bias at its array's end, read at every row:
            float[] padded = BIAS.get();                           // a copy with a vector of room after it
            if (padded.length < cols + FLOAT_LANES) BIAS.set(padded = new float[cols + FLOAT_LANES]);
            System.arraycopy(bias, bOff, padded, 0, cols);
            bias = padded;
            bOff = 0;
        }
        if (rows > 1 && kind == ActivationKernel.TANH) { // one row: the sums, then apply (see above)
            biasTanh(x, xOff, bias, bOff, rows, cols, u != a || uOff != aOff, u, uOff, a, aOff);
            return;
        }
        int block = Math.max(1, BLOCK_ELEMENTS / Math.max(cols, 1));
        for (int r0 = 0; r0 < rows; r0 += block) {
            int r1 = Math.min(rows, r0 + block);
            for (int r = r0; r < r1; r++) {
                int xr = xOff + r * cols, ur = uOff + r * cols;
                int j = 0;
                for (; j < cols && !Simd.pastEnd(j, cols, x, xr, bias, bOff) && !Simd.pastEnd(j, cols, u, ur, u, ur);
                     j += FLOAT_LANES) {
                    VectorMask<Float> m = FLOAT_SPECIES.indexInRange(j, cols);
                    FloatVector.fromArray(FLOAT_SPECIES, x, xr + j, m)
                            .add(FloatVector.fromArray(FLOAT_SPECIES, bias, bOff + j, m)).intoArray(u, ur + j, m);
                }
                for (; j < cols; j++) u[ur + j] = x[xr + j] + bias[bOff + j]; // at an array's end: Simd.pastEnd
            }
            apply(kind, u, uOff + r0 * cols, a, aOff + r0 * cols, (r1 - r0) * cols);
        }
    }

    /** {@link #biasActivate} for tanh: one pass per row ({@link ReproducibleTanhF32#biasTanh}), u only when kept. */
    private static void biasTanh(float[] x, int xOff, float[] bias, int bOff, int rows, int cols, boolean keepU,
                                 float[] u, int uOff, float[] a, int aOff) {
        for (int r = 0; r < rows; r++) {
            int ar = aOff + r * cols, ur = keepU ? uOff + r * cols : ar; // u not kept: the sums go to a's row,
            ReproducibleTanhF32.biasTanh(x, xOff + r * cols, bias, bOff, cols, keepU ? u : a, ur, a, ar); // then σ
        }
    }

    /** {@code out[outOff+j] = σ(u[uOff+j])} for {@code j < n}; {@code out} may alias {@code u}. */
    public static void apply(ActivationKernel kind, float[] u, int uOff, float[] out, int outOff, int n) {
        switch (require(kind)) {
            case TANH -> ReproducibleTanhF32.apply(u, uOff, out, outOff, n);
            case RELU -> {
                int j = 0;
                for (; j < n && !Simd.pastEnd(j, n, u, uOff, out, outOff); j += FLOAT_LANES) {
                    VectorMask<Float> m = FLOAT_SPECIES.indexInRange(j, n);
                    FloatVector v = FloatVector.fromArray(FLOAT_SPECIES, u, uOff + j, m);
                    // max(u, 0) with NaN kept: lanes that are not > 0 become 0 unless NaN
                    v.blend(0.0f, v.compare(VectorOperators.LE, 0.0f)).intoArray(out, outOff + j, m);
                }
                for (; j < n; j++) out[outOff + j] = applyScalar(ActivationKernel.RELU, u[uOff + j]);
            }
            default -> {
                if (out != u || outOff != uOff) System.arraycopy(u, uOff, out, outOff, n);
            }
        }
    }

    /** {@code g[gOff+j] *= σ'(·)} for {@code j < n}: {@code 1 − a²} for tanh, {@code u > 0} for relu, 1 for identity. */
    public static void derivativeTimes(ActivationKernel kind, float[] u, int uOff, float[] a, int aOff,
                                       float[] g, int gOff, int n) {
        switch (require(kind)) {
            case TANH -> {
                int j = 0;
                for (; j < n && !Simd.pastEnd(j, n, a, aOff, g, gOff); j += FLOAT_LANES) {
                    VectorMask<Float> m = FLOAT_SPECIES.indexInRange(j, n);
                    FloatVector av = FloatVector.fromArray(FLOAT_SPECIES, a, aOff + j, m);
                    FloatVector gv = FloatVector.fromArray(FLOAT_SPECIES, g, gOff + j, m);
                    gv.mul(FloatVector.broadcast(FLOAT_SPECIES, 1.0f).sub(av.mul(av))).intoArray(g, gOff + j, m);
                }
                for (; j < n; j++) g[gOff + j] = derivativeTimesScalar(kind, 0.0f, a[aOff + j], g[gOff + j]);
            }
            case RELU -> {
                int j = 0;
                for (; j < n && !Simd.pastEnd(j, n, u, uOff, g, gOff); j += FLOAT_LANES) {
                    VectorMask<Float> m = FLOAT_SPECIES.indexInRange(j, n);
                    FloatVector uv = FloatVector.fromArray(FLOAT_SPECIES, u, uOff + j, m);
                    FloatVector gv = FloatVector.fromArray(FLOAT_SPECIES, g, gOff + j, m);
                    gv.blend(0.0f, uv.compare(VectorOperators.GT, 0.0f).not()).intoArray(g, gOff + j, m);
                }
                for (; j < n; j++) g[gOff + j] = derivativeTimesScalar(kind, u[uOff + j], 0.0f, g[gOff + j]);
            }
            default -> { }
        }
    }

    /**
     * {@link #derivativeTimes} over a {@code rows × cols} row-major block, and {@code sums[sOff + c] += Σ_r g[…]} of
     * the result ({@link ColumnSums#accumulate}) in the same pass: a few rows at a time, each block summed while it is
     * still in L1. A dense layer's VJP forms its pre-activation cotangent {@code Ū = X̄ ⊙ σ'} and its bias gradient
     * {@code b̄ += Σ_rows Ū} this way. The same bits as the two passes one after the other (element-wise products;
     * every column summed row by row in order).
     */
    public static void derivativeTimesColumnSums(ActivationKernel kind, float[] u, int uOff, float[] a, int aOff,
                                                 float[] g, int gOff, int rows, int cols, float[] sums, int sOff) {
        int block = Math.max(1, BLOCK_ELEMENTS / Math.max(cols, 1));
        for (int r0 = 0; r0 < rows; r0 += block) {
            int m = Math.min(block, rows - r0);
            int at = r0 * cols;
            derivativeTimes(kind, u, uOff + at, a, aOff + at, g, gOff + at, m * cols);
            ColumnSums.accumulate(g, gOff + at, m, cols, sums, sOff);
        }
    }

    /** Scalar twin of {@link #apply}: the oracle, element by element. */
    public static float applyScalar(ActivationKernel kind, float u) {
        return switch (require(kind)) {
            case TANH -> ReproducibleTanhF32.tanh(u);
            case RELU -> u <= 0.0f ? 0.0f : u;
            default -> u;
        };
    }

    /** Scalar twin of {@link #derivativeTimes} for one element: {@code g·σ'}. */
    public static float derivativeTimesScalar(ActivationKernel kind, float u, float a, float g) {
        return switch (require(kind)) {
            case TANH -> g * (1.0f - a * a);
            case RELU -> u > 0.0f ? g : 0.0f;
            default -> g;
        };
    }
}
