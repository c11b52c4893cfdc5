package dev.panode.solvers;

import dev.panode.simd.ErrorNormsF32;
import dev.panode.simd.NormKind;
import dev.panode.simd.StageKernelsF32;

/**
 * The float32 stepper of a {@link RungeKutta} method: the same tableau, interpolant and FSAL/end-derivative reuse as
 * {@link RkStepper}, with {@code float[]} stages combined by {@link StageKernelsF32} (coefficients and h in double,
 * rounded once per call) and error norms accumulated in double by {@link ErrorNormsF32}. Its buffers are sized once
 * for {@code maxRows × dim}; nothing is allocated per step.
 */
final class RkStepperF32 {
    private final RungeKutta method;
    private final ButcherTableau tableau;
    private final Interpolant interpolant;
    private final FloatField field;
    private final FieldWorkspace fieldWs;
    private final int maxRows, dim, s, extra;
    private final boolean fsal, needsEnd;
    /** Stages k_0..k_{s−1}, then f(t+h, y_new) when the interpolant needs it, then the extra stages. */
    final float[][] k;
    /** Stage inputs Y_0..Y_{s−1}. */
    final float[][] stageIn;
    private final float[] extraIn;
    /** The third-order estimate of a method that combines estimates (dop853), else null. */
    private final float[] err3;
    private final double[] weights;
    private final double[] e3;

    private int rows, n;
    /** The components the error norm measures: n, or fewer for a seminorm. */
    private int measured;
    /** The solve's block norm, or null for the built-in norm over the first {@link #measured} components. */
    private BlockNorm blocks;
    private boolean k0Valid, endValid, extraValid;
    // the last attempt
    private double t, h, tEnd;
    private float[] y, yOut;

    RkStepperF32(RungeKutta method, FloatField field, int maxRows, int dim) {
        this.method = method;
        this.tableau = method.tableau();
        this.interpolant = method.interpolant();
        this.field = field;
        this.fieldWs = field.newWorkspace(maxRows);
        this.maxRows = maxRows;
        this.dim = dim;
        this.s = tableau.stages();
        this.extra = interpolant.extraStages();
        this.fsal = tableau.isFsal();
        this.needsEnd = interpolant.usesEndDerivative();
        int size = Math.multiplyExact(maxRows, dim);
        this.k = new float[s + 1 + extra][size];
        this.stageIn = new float[s][size];
        this.extraIn = extra > 0 ? new float[size] : null;
        this.e3 = method.combinesErrorEstimates() ? Dop853.E3 : null;
        this.err3 = e3 != null ? new float[size] : null;
        this.weights = new double[s + 1 + extra];
    }

    boolean fits(RungeKutta m, FloatField f, int rows, int dim) {
        return m == method && f == field && dim == this.dim && rows <= maxRows;
    }

    FieldWorkspace fieldWorkspace() {
        return fieldWs;
    }

    /** Begins a solve: k_0 = f(t0, y0). Returns the NFE. */
    int start(double t0, float[] y0, int rows, int normLength, BlockNorm blocks) {
        this.rows = rows;
        this.n = rows * dim;
        this.measured = normLength > 0 ? Math.min(normLength, n) : n;
        this.blocks = blocks;
        field.evaluateUnchecked(t0, y0, k[0], rows, fieldWs);
        k0Valid = true;
        endValid = false;
        return 1;
    }

    float[] derivative() {
        return k[0];
    }

    void evaluate(double t, float[] y, float[] out) {
        field.evaluateUnchecked(t, y, out, rows, fieldWs);
    }

    /** The attempt from (t, y) of signed size h ending at tEnd: yOut and, when errOut is non-null, the error. */
    int attempt(double t, double h, double tEnd, float[] y, float[] yOut, float[] errOut) {
        int nfe = 0;
        if (!k0Valid) {
            field.evaluateUnchecked(t, y, k[0], rows, fieldWs);
            k0Valid = true;
            nfe = 1;
        }
        double[] c = tableau.cView();
        System.arraycopy(y, 0, stageIn[0], 0, n);
        for (int i = 1; i < s; i++) {
            StageKernelsF32.combine(y, 0, h, tableau.aRowView(i), i, k, 0, stageIn[i], 0, n);
            field.evaluateUnchecked(t + c[i] * h, stageIn[i], k[i], rows, fieldWs);
        }
        if (fsal) System.arraycopy(stageIn[s - 1], 0, yOut, 0, n);
        else StageKernelsF32.combine(y, 0, h, tableau.bView(), s, k, 0, yOut, 0, n);
        double[] e = tableau.eView();
        if (errOut != null && e != null) StageKernelsF32.errorEstimate(h, e, s, k, 0, errOut, 0, n);
        if (errOut != null && e3 != null) StageKernelsF32.errorEstimate(h, e3, s, k, 0, err3, 0, n);
        this.t = t;
        this.h = h;
        this.tEnd = tEnd;
        this.y = y;
        this.yOut = yOut;
        endValid = false;
        extraValid = false;
        return nfe + s - 1;
    }

    /**
     * The stage inputs Y_0..Y_last of a step from (t, y) of signed size h, as {@link #attempt} computes them (the same
     * kernels on the same buffers, so the same bits), without the stages it does not need: k_1..k_{last−1} are
     * evaluated, k_0 as in {@link #attempt}. Leaves the stepper without a valid attempt. Returns the NFE.
     */
    int stageInputs(double t, double h, float[] y, int last) {
        int nfe = 0;
        if (!k0Valid) {
            field.evaluateUnchecked(t, y, k[0], rows, fieldWs);
            nfe = 1;
        }
        double[] c = tableau.cView();
        System.arraycopy(y, 0, stageIn[0], 0, n);
        for (int i = 1; i <= last; i++) {
            StageKernelsF32.combine(y, 0, h, tableau.aRowView(i), i, k, 0, stageIn[i], 0, n);
            if (i < last) field.evaluateUnchecked(t + c[i] * h, stageIn[i], k[i], rows, fieldWs);
        }
        k0Valid = false;
        endValid = false;
        extraValid = false;
        return nfe + Math.max(0, last - 1);
    }

    /** The scaled error of the last attempt (Hairer's combination for dop853), accumulated in double. */
    double errorRatio(NormKind kind, float[] err, float[] y, float[] yNew, double atol, double rtol) {
        double err5 = scaled(kind, err, y, yNew, atol, rtol, false);
        if (err3 == null) return err5;
        return RungeKutta.combinedError(err5, scaled(kind, err3, y, yNew, atol, rtol, false));
    }

    /** The solve's norm: the block norm, or the built-in one over the measured components. */
    private double scaled(NormKind kind, float[] v, float[] y0, float[] y1, double atol, double rtol, boolean scalar) {
        if (blocks != null) return blocks.measure(v, y0, y1, atol, rtol, scalar);
        return scalar ? ErrorNormsF32.scaledScalar(kind, v, y0, y1, 0, measured, atol, rtol)
                : ErrorNormsF32.scaled(kind, v, y0, y1, 0, measured, atol, rtol);
    }

    /** y(t + θh) inside the last accepted attempt into {@code out[outOff ..)}; returns the NFE it needed. */
    int interpolate(double theta, float[] out, int outOff) {
        int nfe = completeStages();
        interpolant.weights(theta, weights);
        StageKernelsF32.combine(y, 0, h, weights, interpolant.weightCount(), k, 0, out, outOff, n);
        return nfe;
    }

    /** The end derivative and the extra stages the interpolant reads, once per attempt. */
    int completeStages() {
        int nfe = 0;
        if (needsEnd && !endValid) {
            field.evaluateUnchecked(tEnd, yOut, k[s], rows, fieldWs);
            endValid = true;
            nfe = 1;
        }
        if (extra > 0 && !extraValid) {
            for (int j = 0; j < extra; j++) {
                StageKernelsF32.combine(y, 0, h, interpolant.extraARowView(j), s + 1 + j, k, 0, extraIn, 0, n);
                field.evaluateUnchecked(t + interpolant.extraC(j) * h, extraIn, k[s + 1 + j], rows, fieldWs);
            }
            nfe += extra;
            extraValid = true;
        }
        return nfe;
    }

    /** The last attempt becomes the current point; k_0 of the next step is reused when known. */
    void accept() {
        if (fsal) {
            swap(0, s - 1);
            k0Valid = true;
        } else if (endValid) {
            swap(0, s);
            k0Valid = true;
        } else {
            k0Valid = false;
        }
        endValid = false;
        extraValid = false;
    }

    private void swap(int i, int j) {
        float[] tmp = k[i];
        k[i] = k[j];
        k[j] = tmp;
    }

    /**
     * Scaled norm of {@code v} at {@code y} over the measured components, for the initial-step heuristic: the scalar
     * twin, since it runs once per solve, where the JIT may leave the vector kernel's boxes unelided (it allocated 384
     * bytes per solve).
     */
    double norm(NormKind kind, float[] v, float[] y, double atol, double rtol) {
        return scaled(kind, v, y, y, atol, rtol, true);
    }
}
