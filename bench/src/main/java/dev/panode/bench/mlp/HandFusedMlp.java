package dev.panode.bench.mlp;

import dev.panode.adjoint.models.FieldChecks;
import dev.panode.adjoint.models.InputTransform;
import dev.panode.adjoint.models.Mlp;
import dev.panode.adjoint.models.MlpArchitecture;
import dev.panode.blas.Transpose;
import dev.panode.simd.ActivationKernel;
import dev.panode.simd.ColumnSums;
import dev.panode.simd.Gemm;

/**
 * The baseline of {@link MlpDuetBenchmark}: the MLP's evaluation and VJP as one hand-fused class, the way {@code Mlp}
 * ran before it became a composition of layers (the same GEMMs and bias-and-activation kernels, the same argument
 * checks, no {@code Layer} calls, no time view). Only for architectures without time input or input transform (the
 * reference shapes). Not part of the library: a benchmark's reference point.
 */
final class HandFusedMlp {
    private final double[] theta;
    private final int layers;
    private final int dim;
    private final int[] ins;
    private final int[] outs;
    private final int[] wOff;
    private final int[] bOff;
    private final ActivationKernel[] act;

    /** The same network and parameters as {@code mlp}. */
    HandFusedMlp(Mlp mlp) {
        MlpArchitecture a = mlp.architecture();
        if (a.timeInput() || a.inputTransform() != InputTransform.NONE) {
            throw new IllegalArgumentException("mlp must have no time input and no input transform, got " + a);
        }
        this.theta = mlp.parameters();
        this.layers = a.layerCount();
        this.dim = a.dim();
        this.ins = new int[layers];
        this.outs = new int[layers];
        this.wOff = new int[layers];
        this.bOff = new int[layers];
        this.act = new ActivationKernel[layers];
        for (int l = 0; l < layers; l++) {
            ins[l] = a.inputs(l);
            outs[l] = a.outputs(l);
            wOff[l] = a.weightOffset(l);
            bOff[l] = a.biasOffset(l);
            act[l] = a.activations().get(l).kernel();
        }
    }

    /** Every layer's pre-activation and output, and two cotangent buffers. */
    static final class Workspace {
        final HandFusedMlp owner;
        final int maxRows;
        final double[][] pre;
        final double[][] out;
        final double[] gradA;
        final double[] gradB;

        Workspace(HandFusedMlp m, int maxRows) {
            this.owner = m;
            this.maxRows = maxRows;
            pre = new double[m.layers][];
            out = new double[m.layers][];
            int widest = m.dim;
            for (int l = 0; l < m.layers; l++) {
                pre[l] = new double[maxRows * m.outs[l]];
                out[l] = new double[maxRows * m.outs[l]];
                widest = Math.max(widest, m.outs[l]);
            }
            gradA = new double[maxRows * widest];
            gradB = new double[maxRows * widest];
        }
    }

    Workspace newWorkspace(int maxRows) {
        return new Workspace(this, maxRows);
    }

    void evaluate(double t, double[] y, double[] dyOut, int rows, Workspace ws) {
        Workspace w = check(ws, rows);
        FieldChecks.length("y", y, rows, dim);
        FieldChecks.length("dyOut", dyOut, rows, dim);
        FieldChecks.distinct("dyOut", dyOut, "y", y);
        if (rows == 0) return;
        forward(y, dyOut, rows, w, false);
    }

    double vjp(double t, double[] y, double[] v, double[] yBar, double[] thetaBar, double[] fOut, int rows,
               boolean wantTime, Workspace ws) {
        Workspace w = check(ws, rows);
        FieldChecks.vjpArguments(y, v, yBar, thetaBar, fOut, rows, dim, theta.length);
        if (rows == 0) return 0.0;
        double[] result = fOut != null ? fOut : w.out[layers - 1];
        forward(y, result, rows, w, true);
        return backward(y, v, result, yBar, thetaBar, rows, w);
    }

    private void forward(double[] y, double[] result, int rows, Workspace w, boolean keepPre) {
        double[] x = y;
        for (int l = 0; l < layers; l++) {
            int in = ins[l];
            int out = outs[l];
            double[] a = l == layers - 1 ? result : w.out[l];
            double[] u = keepPre ? w.pre[l] : a;
            Gemm.dgemm(Transpose.NO, Transpose.YES, rows, out, in, 1.0, x, 0, in, theta, wOff[l], in, 0.0, u, 0, out);
            act[l].biasActivate(u, 0, theta, bOff[l], rows, out, u, 0, a, 0);
            x = a;
        }
    }

    private double backward(double[] y, double[] v, double[] result, double[] yBar, double[] thetaBar, int rows,
                            Workspace w) {
        double[] ub;
        int last = layers - 1;
        if (act[last] == ActivationKernel.IDENTITY) {
            ub = v;
        } else {
            ub = w.gradA;
            System.arraycopy(v, 0, ub, 0, rows * dim);
            act[last].derivativeTimes(w.pre[last], 0, result, 0, ub, 0, rows * dim);
        }
        // the Mlp keeps a VJP of fewer rows than the row rule on the Java kernels (for one row and a narrow input's
        // block, the Java GEMM's bits; for two or three rows of a wide layer its W̄ is added row by row instead)
        boolean java = Gemm.thresholds().javaVjp(rows);
        for (int l = last; l >= 0; l--) {
            int in = ins[l];
            int out = outs[l];
            double[] xPrev = l > 0 ? w.out[l - 1] : y;
            if (thetaBar != null) {
                if (java) {
                    Gemm.dgemmJava(Transpose.YES, Transpose.NO, out, in, rows, 1.0, ub, 0, out, xPrev, 0, in, 1.0,
                            thetaBar, wOff[l], in);
                } else {
                    Gemm.dgemm(Transpose.YES, Transpose.NO, out, in, rows, 1.0, ub, 0, out, xPrev, 0, in, 1.0,
                            thetaBar, wOff[l], in);
                }
                ColumnSums.accumulate(ub, 0, rows, out, thetaBar, bOff[l]);
            }
            double[] next = l == 0 ? yBar : (ub == w.gradA ? w.gradB : w.gradA);
            if (java) {
                Gemm.dgemmJava(Transpose.NO, Transpose.NO, rows, in, out, 1.0, ub, 0, out, theta, wOff[l], in, 0.0,
                        next, 0, in);
            } else {
                Gemm.dgemm(Transpose.NO, Transpose.NO, rows, in, out, 1.0, ub, 0, out, theta, wOff[l], in, 0.0, next,
                        0, in);
            }
            if (l > 0) act[l - 1].derivativeTimes(w.pre[l - 1], 0, w.out[l - 1], 0, next, 0, rows * in);
            ub = next;
        }
        return 0.0;
    }

    private Workspace check(Workspace w, int rows) {
        if (w == null || w.owner != this) throw new IllegalArgumentException("ws must come from newWorkspace, got " + w);
        if (rows < 0 || rows > w.maxRows) {
            throw new IllegalArgumentException("rows must be in [0, " + w.maxRows + "] for this workspace, got " + rows);
        }
        return w;
    }
}
