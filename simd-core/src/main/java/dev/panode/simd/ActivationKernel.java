package dev.panode.simd;

import static dev.panode.simd.Simd.LANES;
import static dev.panode.simd.Simd.SPECIES;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * The kernels of the element-wise activations and their derivatives (docs/ALGORITHMS.md §6): what
 * {@code dev.panode.adjoint.models.Activation}, the user's choice, runs on. Not a user-facing type.
 *
 * <p>API contract (stable): {@link #biasActivate} computes {@code U = X + 1·bᵀ} and {@code A = σ(U)} over a
 * {@code rows × cols} row-major block in one pass; {@link #derivativeTimes} multiplies a cotangent by {@code σ'}
 * computed from the stored pre-activation {@code U} and output {@code A} (whichever is cheaper for the function:
 * {@code A} for tanh and sigmoid, {@code U} for the others). Nothing is allocated.
 *
 * <p>The kernels are Vector API loops whose last, partial vector is masked (the bias addition's row tail is scalar
 * code with the same rounding), so every element goes through the same lane-wise function whatever its position;
 * {@link #biasActivate} adds the bias to a block of rows and then activates the whole block in one pass. tanh is {@link ReproducibleTanh}, sigmoid and softplus (and softplus' derivative, the sigmoid) are
 * {@link ReproducibleLogistic}: built from correctly rounded operations only, they give the same bits interpreted or
 * compiled, vector or scalar, within 3 ulp of {@link Math#tanh} and 2 ulp of {@link StrictMath}'s exp and log1p. sin
 * and cos (sin and its derivative) are the JDK's vector intrinsics (Intel SVML on x86-64), not {@link Math}'s: they
 * agree with {@link #apply} (the scalar oracle, which uses {@link Math}) within a few ulp — the measured bounds are in
 * {@code ActivationKernelTest} and docs/benchmarks/simd.md. relu and identity are exact, and so are the derivatives that use
 * only arithmetic (tanh, sigmoid, relu, identity). NaN propagates through every activation (relu included:
 * {@code relu(NaN) = NaN}).
 *
 * <p><b>Reproducibility.</b> tanh, softplus, sigmoid, relu and identity, and every derivative but sin's, are bitwise
 * reproducible: the same bits in a fresh JVM's first, interpreted calls and after C2 has compiled the kernels, on any
 * CPU with the same vector width. sin is not: until C2 has compiled its kernel, the Vector API runs its Java fallback,
 * which evaluates sin and cos lane by lane with {@link Math}; compiled code uses SVML, and the two may differ in the
 * last bits. Where bitwise reproducibility of sin matters more than speed, set the system property
 * {@value #STRICT_MATH_PROPERTY}{@code =true} (global, read once; {@code true} or {@code false}, anything else is an
 * error naming the property and the value).
 */
public enum ActivationKernel {
    /** {@code tanh(u)}; {@code σ' = 1 − a²}. */
    TANH,
    /** {@code log(1 + eᵘ)}, with {@code u} itself above 20 as in PyTorch; {@code σ' = 1/(1 + e⁻ᵘ)}. Reproducible. */
    SOFTPLUS,
    /** {@code max(u, 0)}; {@code σ' = 1} for {@code u > 0}, else 0. */
    RELU,
    /** {@code 1/(1 + e⁻ᵘ)}; {@code σ' = a(1 − a)}. Reproducible. */
    SIGMOID,
    /** {@code sin(u)}; {@code σ' = cos(u)}. */
    SIN,
    /** {@code u}; {@code σ' = 1}. */
    IDENTITY;

    private static final double SOFTPLUS_LINEAR_ABOVE = ReproducibleLogistic.SOFTPLUS_LINEAR_ABOVE;
    /** {@link #biasActivate} adds the bias to whole rows up to about this many elements, then activates them in one pass. */
    private static final int BLOCK_ELEMENTS = 1024;
    /**
     * System property: {@code true} computes sin (and the cos of its derivative) with {@link Math}, element by
     * element — bitwise reproducible whatever the JIT has compiled, about 9× slower. {@code true} or {@code false}
     * (any case); any other value is refused when this class is initialised, with an error naming the property and
     * the value.
     */
    public static final String STRICT_MATH_PROPERTY = "panode.activation.strictMath";
    private static final boolean STRICT_MATH = strictBoolean(STRICT_MATH_PROPERTY);

    /** A boolean system property read strictly: absent is false; true or false in any case; anything else an error. */
    static boolean strictBoolean(String property) {
        String value = System.getProperty(property);
        if (value == null || value.equalsIgnoreCase("false")) return false;
        if (value.equalsIgnoreCase("true")) return true;
        throw new IllegalArgumentException("-D" + property + " = '" + value + "': must be true or false");
    }

    private static final DoubleVector ONE = DoubleVector.broadcast(SPECIES, 1.0);
    private static final DoubleVector ZERO = DoubleVector.zero(SPECIES);

    /** Scalar σ(u): the oracle. */
    public double apply(double u) {
        return switch (this) {
            case TANH -> Math.tanh(u);
            case SOFTPLUS -> u > SOFTPLUS_LINEAR_ABOVE ? u : Math.log1p(Math.exp(u));
            case RELU -> Math.max(u, 0.0);
            case SIGMOID -> 1.0 / (1.0 + Math.exp(-u));
            case SIN -> Math.sin(u);
            case IDENTITY -> u;
        };
    }

    /** Scalar σ'(u) given u and a = σ(u): the oracle. */
    public double derivative(double u, double a) {
        return switch (this) {
            case TANH -> 1.0 - a * a;
            case SOFTPLUS -> 1.0 / (1.0 + Math.exp(-u));
            case RELU -> u > 0.0 ? 1.0 : 0.0;
            case SIGMOID -> a * (1.0 - a);
            case SIN -> Math.cos(u);
            case IDENTITY -> 1.0;
        };
    }

    /** Whether {@link #derivativeTimes} reads the pre-activation {@code u} (else it reads only the output {@code a}). */
    public boolean derivativeNeedsPreActivation() {
        return switch (this) {
            case SOFTPLUS, RELU, SIN -> true;
            case TANH, SIGMOID, IDENTITY -> false;
        };
    }

    /**
     * {@code u[uOff + r·cols + c] = x[xOff + r·cols + c] + bias[bOff + c]} and {@code a[...] = σ(u[...])}, for a
     * {@code rows × cols} block. {@code u} may alias {@code x}; {@code a} may alias {@code u} only for
     * {@link #IDENTITY} or when the pre-activation is not needed later (see {@link #derivativeNeedsPreActivation}).
     * tanh in place ({@code u} and {@code a} the same block) over rows of whole vectors adds each row's bias inside
     * its tanh pass ({@link ReproducibleTanh#applyBiased}, the same roundings): one pass over the block instead of two
     * (docs/BENCHMARKS.md §100).
     */
    public void biasActivate(double[] x, int xOff, double[] bias, int bOff, int rows, int cols,
                             double[] u, int uOff, double[] a, int aOff) {
        if (this == TANH && u == a && uOff == aOff && cols % LANES == 0) {
            // the pre-activation is not kept: each row's bias added inside the tanh pass (the same roundings),
            // one pass over the block instead of two; rows of whole vectors, so no row ends in scalar code
            for (int r = 0; r < rows; r++) {
                ReproducibleTanh.applyBiased(x, xOff + r * cols, bias, bOff, a, aOff + r * cols, cols, cols);
            }
            return;
        }
        int block = Math.max(1, BLOCK_ELEMENTS / Math.max(cols, 1));
        for (int r0 = 0; r0 < rows; r0 += block) {
            int r1 = Math.min(rows, r0 + block);
            for (int r = r0; r < r1; r++) addBias(x, xOff + r * cols, bias, bOff, u, uOff + r * cols, cols);
            // the block is still in L1; one pass over it has a partial vector only at its end, not at every row
            apply(u, uOff + r0 * cols, a, aOff + r0 * cols, (r1 - r0) * cols);
        }
    }

    /** {@code out[outOff+j] = σ(u[uOff+j])} for {@code j < n}. {@code out} may alias {@code u}. */
    public void apply(double[] u, int uOff, double[] out, int outOff, int n) {
        if (STRICT_MATH && this == SIN) {
            applyScalar(u, uOff, out, outOff, n);
            return;
        }
        // one small compiled loop per function: C2 then inlines every vector intrinsic and allocates nothing
        switch (this) {
            case TANH -> ReproducibleTanh.apply(u, uOff, out, outOff, n);
            case SOFTPLUS -> ReproducibleLogistic.softplus(u, uOff, out, outOff, n);
            case RELU -> relu(u, uOff, out, outOff, n);
            case SIGMOID -> ReproducibleLogistic.sigmoid(u, uOff, out, outOff, n);
            case SIN -> sin(u, uOff, out, outOff, n);
            case IDENTITY -> {
                if (out != u || outOff != uOff) System.arraycopy(u, uOff, out, outOff, n);
            }
        }
    }

    /** {@code g[gOff+j] *= σ'(u[uOff+j])} for {@code j < n}, using the stored output {@code a} where cheaper. */
    public void derivativeTimes(double[] u, int uOff, double[] a, int aOff, double[] g, int gOff, int n) {
        if (STRICT_MATH && this == SIN) {
            derivativeTimesScalar(u, uOff, a, aOff, g, gOff, n);
            return;
        }
        switch (this) {
            case TANH -> tanhSlope(a, aOff, g, gOff, n);
            case SOFTPLUS -> ReproducibleLogistic.timesSigmoid(u, uOff, g, gOff, n);
            case RELU -> reluSlope(u, uOff, g, gOff, n);
            case SIGMOID -> sigmoidSlope(a, aOff, g, gOff, n);
            case SIN -> sinSlope(u, uOff, g, gOff, n);
            case IDENTITY -> { }
        }
    }

    /**
     * {@link #derivativeTimes} over a {@code rows × cols} row-major block, and {@code sums[sOff + c] += Σ_r g[…]} of
     * the result ({@link ColumnSums#accumulate}) in the same pass: a few rows at a time, each block summed while it is
     * still in L1. A dense layer's VJP forms its pre-activation cotangent {@code Ū = X̄ ⊙ σ'} and its bias gradient
     * {@code b̄ += Σ_rows Ū} this way. The same bits as the two passes one after the other (element-wise products;
     * every column summed row by row in order).
     */
    public void derivativeTimesColumnSums(double[] u, int uOff, double[] a, int aOff, double[] g, int gOff, int rows,
                                          int cols, double[] sums, int sOff) {
        int block = Math.max(1, BLOCK_ELEMENTS / Math.max(cols, 1));
        for (int r0 = 0; r0 < rows; r0 += block) {
            int m = Math.min(block, rows - r0);
            int at = r0 * cols;
            derivativeTimes(u, uOff + at, a, aOff + at, g, gOff + at, m * cols);
            ColumnSums.accumulate(g, gOff + at, m, cols, sums, sOff);
        }
    }

    private static void addBias(double[] x, int xOff, double[] bias, int bOff, double[] u, int uOff, int n) {
        int j = 0;
        for (int bound = SPECIES.loopBound(n); j < bound; j += LANES) {
            DoubleVector.fromArray(SPECIES, x, xOff + j).add(DoubleVector.fromArray(SPECIES, bias, bOff + j))
                    .intoArray(u, uOff + j);
        }
        for (; j < n; j++) u[uOff + j] = x[xOff + j] + bias[bOff + j]; // the same rounding; cheaper than a mask
    }

    private static void relu(double[] u, int uOff, double[] out, int outOff, int n) {
        int j = 0;
        for (int bound = SPECIES.loopBound(n); j < bound; j += LANES) {
            DoubleVector v = DoubleVector.fromArray(SPECIES, u, uOff + j);
            v.max(0.0).intoArray(out, outOff + j);
        }
        if (Simd.pastEnd(j, n, u, uOff, out, outOff)) {
            for (; j < n; j++) out[outOff + j] = Math.max(u[uOff + j], 0.0); // the lanes' max, in scalar
        } else if (j < n) {
            VectorMask<Double> m = SPECIES.indexInRange(j, n);
            DoubleVector v = DoubleVector.fromArray(SPECIES, u, uOff + j, m);
            v.max(0.0).intoArray(out, outOff + j, m);
        }
    }

    private static void sin(double[] u, int uOff, double[] out, int outOff, int n) {
        int j = 0;
        for (int bound = SPECIES.loopBound(n); j < bound; j += LANES) {
            DoubleVector v = DoubleVector.fromArray(SPECIES, u, uOff + j);
            v.lanewise(VectorOperators.SIN).intoArray(out, outOff + j);
        }
        if (j < n) {
            VectorMask<Double> m = SPECIES.indexInRange(j, n);
            DoubleVector v = DoubleVector.fromArray(SPECIES, u, uOff + j, m);
            v.lanewise(VectorOperators.SIN).intoArray(out, outOff + j, m);
        }
    }

    /** {@code g *= σ'} from the stored output {@code a}. */
    private static void tanhSlope(double[] a, int aOff, double[] g, int gOff, int n) {
        int j = 0;
        for (int bound = SPECIES.loopBound(n); j < bound; j += LANES) {
            DoubleVector w = DoubleVector.fromArray(SPECIES, a, aOff + j);
            DoubleVector.fromArray(SPECIES, g, gOff + j).mul(ONE.sub(w.mul(w))).intoArray(g, gOff + j);
        }
        if (Simd.pastEnd(j, n, a, aOff, g, gOff)) {
            for (; j < n; j++) g[gOff + j] *= 1.0 - a[aOff + j] * a[aOff + j];
        } else if (j < n) {
            VectorMask<Double> m = SPECIES.indexInRange(j, n);
            DoubleVector w = DoubleVector.fromArray(SPECIES, a, aOff + j, m);
            DoubleVector.fromArray(SPECIES, g, gOff + j, m).mul(ONE.sub(w.mul(w))).intoArray(g, gOff + j, m);
        }
    }

    /** {@code g *= σ'} from the stored pre-activation {@code u}. */
    private static void reluSlope(double[] u, int uOff, double[] g, int gOff, int n) {
        int j = 0;
        for (int bound = SPECIES.loopBound(n); j < bound; j += LANES) {
            DoubleVector w = DoubleVector.fromArray(SPECIES, u, uOff + j);
            DoubleVector.fromArray(SPECIES, g, gOff + j).mul(ZERO.blend(1.0, w.compare(VectorOperators.GT, 0.0))).intoArray(g, gOff + j);
        }
        if (Simd.pastEnd(j, n, u, uOff, g, gOff)) {
            for (; j < n; j++) g[gOff + j] *= u[uOff + j] > 0.0 ? 1.0 : 0.0;
        } else if (j < n) {
            VectorMask<Double> m = SPECIES.indexInRange(j, n);
            DoubleVector w = DoubleVector.fromArray(SPECIES, u, uOff + j, m);
            DoubleVector.fromArray(SPECIES, g, gOff + j, m).mul(ZERO.blend(1.0, w.compare(VectorOperators.GT, 0.0))).intoArray(g, gOff + j, m);
        }
    }

    /** {@code g *= σ'} from the stored output {@code a}. */
    private static void sigmoidSlope(double[] a, int aOff, double[] g, int gOff, int n) {
        int j = 0;
        for (int bound = SPECIES.loopBound(n); j < bound; j += LANES) {
            DoubleVector w = DoubleVector.fromArray(SPECIES, a, aOff + j);
            DoubleVector.fromArray(SPECIES, g, gOff + j).mul(w.mul(ONE.sub(w))).intoArray(g, gOff + j);
        }
        if (Simd.pastEnd(j, n, a, aOff, g, gOff)) {
            for (; j < n; j++) g[gOff + j] *= a[aOff + j] * (1.0 - a[aOff + j]);
        } else if (j < n) {
            VectorMask<Double> m = SPECIES.indexInRange(j, n);
            DoubleVector w = DoubleVector.fromArray(SPECIES, a, aOff + j, m);
            DoubleVector.fromArray(SPECIES, g, gOff + j, m).mul(w.mul(ONE.sub(w))).intoArray(g, gOff + j, m);
        }
    }

    /** {@code g *= σ'} from the stored pre-activation {@code u}. */
    private static void sinSlope(double[] u, int uOff, double[] g, int gOff, int n) {
        int j = 0;
        for (int bound = SPECIES.loopBound(n); j < bound; j += LANES) {
            DoubleVector w = DoubleVector.fromArray(SPECIES, u, uOff + j);
            DoubleVector.fromArray(SPECIES, g, gOff + j).mul(w.lanewise(VectorOperators.COS)).intoArray(g, gOff + j);
        }
        if (j < n) {
            VectorMask<Double> m = SPECIES.indexInRange(j, n);
            DoubleVector w = DoubleVector.fromArray(SPECIES, u, uOff + j, m);
            DoubleVector.fromArray(SPECIES, g, gOff + j, m).mul(w.lanewise(VectorOperators.COS)).intoArray(g, gOff + j, m);
        }
    }

    // ---- scalar twins: the oracles ----

    /** Scalar twin of {@link #biasActivate}: the oracle. */
    public void biasActivateScalar(double[] x, int xOff, double[] bias, int bOff, int rows, int cols,
                                   double[] u, int uOff, double[] a, int aOff) {
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                double v = x[xOff + r * cols + c] + bias[bOff + c];
                u[uOff + r * cols + c] = v;
                a[aOff + r * cols + c] = apply(v);
            }
        }
    }

    /** Scalar twin of {@link #apply(double[], int, double[], int, int)}: the oracle. */
    public void applyScalar(double[] u, int uOff, double[] out, int outOff, int n) {
        for (int j = 0; j < n; j++) out[outOff + j] = apply(u[uOff + j]);
    }

    /** Scalar twin of {@link #derivativeTimes}: the oracle. */
    public void derivativeTimesScalar(double[] u, int uOff, double[] a, int aOff, double[] g, int gOff, int n) {
        for (int j = 0; j < n; j++) g[gOff + j] *= derivative(u[uOff + j], a[aOff + j]);
    }
}
