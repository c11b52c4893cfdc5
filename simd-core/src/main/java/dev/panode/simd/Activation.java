package dev.panode.simd;

import static dev.panode.simd.Simd.LANES;
import static dev.panode.simd.Simd.SPECIES;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * Element-wise activations of the MLP and their derivatives (ALGORITHMS §6).
 *
 * <p>API contract (stable): {@link #biasActivate} computes {@code U = X + 1·bᵀ} and {@code A = σ(U)} over a
 * {@code rows × cols} row-major block in one pass; {@link #derivativeTimes} multiplies a cotangent by {@code σ'}
 * computed from the stored pre-activation {@code U} and output {@code A} (whichever is cheaper for the function:
 * {@code A} for tanh and sigmoid, {@code U} for the others). Nothing is allocated.
 *
 * <p>The kernels are Vector API loops whose last, partial vector is masked, so every element goes through the same
 * lane-wise function whatever its position. tanh, sin, cos, exp and log1p are the JDK's vector intrinsics (Intel SVML
 * on x86-64), not {@link Math}'s: they are faster and agree with {@link #apply} (the scalar oracle, which uses
 * {@link Math}) within a few ulp — the measured bound is in {@code ActivationTest} and docs/benchmarks/simd.md.
 * relu and identity are exact, and so are the derivatives that use only arithmetic (tanh, sigmoid, relu, identity).
 * NaN propagates through every activation (relu included: {@code relu(NaN) = NaN}).
 */
public enum Activation {
    /** {@code tanh(u)}; {@code σ' = 1 − a²}. */
    TANH,
    /** {@code log(1 + eᵘ)}, with {@code u} itself above 20 as in PyTorch; {@code σ' = 1/(1 + e⁻ᵘ)}. */
    SOFTPLUS,
    /** {@code max(u, 0)}; {@code σ' = 1} for {@code u > 0}, else 0. */
    RELU,
    /** {@code 1/(1 + e⁻ᵘ)}; {@code σ' = a(1 − a)}. */
    SIGMOID,
    /** {@code sin(u)}; {@code σ' = cos(u)}. */
    SIN,
    /** {@code u}; {@code σ' = 1}. */
    IDENTITY;

    private static final double SOFTPLUS_LINEAR_ABOVE = 20.0;

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
     */
    public void biasActivate(double[] x, int xOff, double[] bias, int bOff, int rows, int cols,
                             double[] u, int uOff, double[] a, int aOff) {
        int bound = SPECIES.loopBound(cols);
        VectorMask<Double> tail = SPECIES.indexInRange(bound, cols);
        for (int r = 0; r < rows; r++) {
            int row = r * cols;
            int c = 0;
            for (; c < bound; c += LANES) {
                DoubleVector v = DoubleVector.fromArray(SPECIES, x, xOff + row + c)
                        .add(DoubleVector.fromArray(SPECIES, bias, bOff + c));
                v.intoArray(u, uOff + row + c);
                activate(v).intoArray(a, aOff + row + c);
            }
            if (c < cols) {
                DoubleVector v = DoubleVector.fromArray(SPECIES, x, xOff + row + c, tail)
                        .add(DoubleVector.fromArray(SPECIES, bias, bOff + c, tail));
                v.intoArray(u, uOff + row + c, tail);
                activate(v).intoArray(a, aOff + row + c, tail);
            }
        }
    }

    /** {@code out[outOff+j] = σ(u[uOff+j])} for {@code j < n}. {@code out} may alias {@code u}. */
    public void apply(double[] u, int uOff, double[] out, int outOff, int n) {
        int j = 0;
        for (int bound = SPECIES.loopBound(n); j < bound; j += LANES) {
            activate(DoubleVector.fromArray(SPECIES, u, uOff + j)).intoArray(out, outOff + j);
        }
        if (j < n) {
            VectorMask<Double> tail = SPECIES.indexInRange(j, n);
            activate(DoubleVector.fromArray(SPECIES, u, uOff + j, tail)).intoArray(out, outOff + j, tail);
        }
    }

    /** {@code g[gOff+j] *= σ'(u[uOff+j])} for {@code j < n}, using the stored output {@code a} where cheaper. */
    public void derivativeTimes(double[] u, int uOff, double[] a, int aOff, double[] g, int gOff, int n) {
        if (this == IDENTITY) return;
        int j = 0;
        for (int bound = SPECIES.loopBound(n); j < bound; j += LANES) {
            DoubleVector gv = DoubleVector.fromArray(SPECIES, g, gOff + j);
            gv.mul(slope(u, uOff + j, a, aOff + j, null)).intoArray(g, gOff + j);
        }
        if (j < n) {
            VectorMask<Double> tail = SPECIES.indexInRange(j, n);
            DoubleVector gv = DoubleVector.fromArray(SPECIES, g, gOff + j, tail);
            gv.mul(slope(u, uOff + j, a, aOff + j, tail)).intoArray(g, gOff + j, tail);
        }
    }

    /** σ over one vector: each case is its own lane-wise code, so the operator stays a constant for the JIT. */
    private DoubleVector activate(DoubleVector v) {
        return switch (this) {
            case TANH -> v.lanewise(VectorOperators.TANH);
            case SOFTPLUS -> {
                DoubleVector soft = v.lanewise(VectorOperators.EXP).lanewise(VectorOperators.LOG1P);
                yield soft.blend(v, v.compare(VectorOperators.GT, SOFTPLUS_LINEAR_ABOVE));
            }
            case RELU -> v.max(0.0);
            case SIGMOID -> DoubleVector.broadcast(SPECIES, 1.0).div(v.neg().lanewise(VectorOperators.EXP).add(1.0));
            case SIN -> v.lanewise(VectorOperators.SIN);
            case IDENTITY -> v;
        };
    }

    /** σ' for the lanes at {@code u[ui..]}, {@code a[ai..]} (masked load when {@code m} is not null). */
    private DoubleVector slope(double[] u, int ui, double[] a, int ai, VectorMask<Double> m) {
        return switch (this) {
            case TANH -> {
                DoubleVector av = load(a, ai, m);
                yield DoubleVector.broadcast(SPECIES, 1.0).sub(av.mul(av));
            }
            case SOFTPLUS -> DoubleVector.broadcast(SPECIES, 1.0)
                    .div(load(u, ui, m).neg().lanewise(VectorOperators.EXP).add(1.0));
            case RELU -> {
                DoubleVector uv = load(u, ui, m);
                yield DoubleVector.zero(SPECIES).blend(1.0, uv.compare(VectorOperators.GT, 0.0));
            }
            case SIGMOID -> {
                DoubleVector av = load(a, ai, m);
                yield av.mul(DoubleVector.broadcast(SPECIES, 1.0).sub(av));
            }
            case SIN -> load(u, ui, m).lanewise(VectorOperators.COS);
            case IDENTITY -> DoubleVector.broadcast(SPECIES, 1.0);
        };
    }

    private static DoubleVector load(double[] arr, int i, VectorMask<Double> m) {
        return m == null ? DoubleVector.fromArray(SPECIES, arr, i) : DoubleVector.fromArray(SPECIES, arr, i, m);
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
