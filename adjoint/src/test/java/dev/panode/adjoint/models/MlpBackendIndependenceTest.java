package dev.panode.adjoint.models;

import static dev.panode.adjoint.testing.FieldChecking.normwiseRelative;
import static dev.panode.adjoint.testing.FieldChecking.random;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.panode.blas.Blas;
import dev.panode.simd.Gemm;
import dev.panode.simd.GemmThresholds;
import dev.panode.solvers.FieldWorkspace;
import dev.panode.solvers.Result;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Results do not depend on which GEMM backend ran: every product forced to the Java kernel, then forced to OpenBLAS,
 * and (with the default dispatch) a sample inside a batch of 256 (OpenBLAS-sized) against the same sample alone
 * (Java-kernel-sized). Agreement is to rounding, not bit for bit: the backends sum in different orders.
 */
class MlpBackendIndependenceTest {

    private record Result(double[] f, double[] yBar, double[] thetaBar, double tBar) {}

    private static Result run(Mlp mlp, int rows, long seed) {
        int d = mlp.dim();
        SplittableRandom rng = new SplittableRandom(seed);
        double[] y = random(rng, rows * d, 1.0);
        double[] v = random(rng, rows * d, 1.0);
        double[] f = new double[rows * d];
        double[] yBar = new double[rows * d];
        double[] thetaBar = new double[mlp.parameterCount()];
        double tBar = mlp.vjp(0.7, y, v, yBar, thetaBar, f, rows, true, mlp.newWorkspace(rows));
        return new Result(f, yBar, thetaBar, tBar);
    }

    @Test
    void forcedJavaKernelAndForcedOpenBlasAgree() {
        assumeTrue(Blas.isAvailable(), "OpenBLAS is not loaded: only the Java kernel can run");
        List<Mlp> nets = List.of(
                Mlp.initialised(MlpArchitecture.mlp3Tanh(32, 256).withTimeInput(true), Initialisation.PYTORCH_DEFAULT, 1),
                Mlp.initialised(new MlpArchitecture(3, List.of(40, 40, 3),
                        List.of(Activation.SOFTPLUS, Activation.SIN, Activation.SIGMOID), true, InputTransform.CUBE),
                        Initialisation.XAVIER_NORMAL, 2),
                Mlp.initialised(MlpArchitecture.of(2, 64, 3, Activation.RELU), Initialisation.HE_NORMAL, 3));
        int[] rows = {64, 17, 300};
        try {
            for (int i = 0; i < nets.size(); i++) {
                Gemm.setThresholds(new GemmThresholds(Long.MAX_VALUE, 1));
                assertEquals(Gemm.Backend.JAVA, Gemm.backendFor(256, 256, 256));
                Result java = run(nets.get(i), rows[i], i);
                Gemm.setThresholds(new GemmThresholds(0, 0));
                assertEquals(Gemm.Backend.OPENBLAS, Gemm.backendFor(1, 1, 1));
                Result blas = run(nets.get(i), rows[i], i);
                String net = "net " + i + ": ";
                assertSmall(normwiseRelative(blas.f(), java.f(), java.f().length), 1e-14, net + "f");
                assertSmall(normwiseRelative(blas.yBar(), java.yBar(), java.yBar().length), 1e-14, net + "yBar");
                assertSmall(normwiseRelative(blas.thetaBar(), java.thetaBar(), java.thetaBar().length), 1e-13,
                        net + "thetaBar");
                assertSmall(Math.abs(blas.tBar() - java.tBar()) / Math.max(1.0, Math.abs(java.tBar())), 1e-12,
                        net + "tBar");
            }
        } finally {
            Gemm.resetThresholds();
        }
    }

    @Test
    void batchOf256AndSingleRowsAgree() {
        Mlp mlp = Mlp.initialised(MlpArchitecture.mlp3Tanh(32, 256).withTimeInput(true),
                Initialisation.PYTORCH_DEFAULT, 3001);
        int rows = 256;
        int d = 32;
        SplittableRandom rng = new SplittableRandom(12);
        double[] y = random(rng, rows * d, 1.0);
        double[] v = random(rng, rows * d, 1.0);
        double[] f = new double[rows * d];
        double[] yBar = new double[rows * d];
        double[] thetaBar = new double[mlp.parameterCount()];
        double tBar = mlp.vjp(0.3, y, v, yBar, thetaBar, f, rows, true, mlp.newWorkspace(rows));

        FieldWorkspace one = mlp.newWorkspace(1);
        double[] fRow = new double[rows * d];
        double[] yBarRow = new double[rows * d];
        double[] thetaBarRows = new double[mlp.parameterCount()];
        double tBarRows = 0.0;
        double tBarScale = 0.0;
        double[] yr = new double[d];
        double[] vr = new double[d];
        double[] fr = new double[d];
        double[] br = new double[d];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(y, r * d, yr, 0, d);
            System.arraycopy(v, r * d, vr, 0, d);
            double tr = mlp.vjp(0.3, yr, vr, br, thetaBarRows, fr, 1, true, one);
            tBarRows += tr;
            tBarScale += Math.abs(tr);
            System.arraycopy(fr, 0, fRow, r * d, d);
            System.arraycopy(br, 0, yBarRow, r * d, d);
        }
        double[] fEval = new double[rows * d];
        mlp.evaluate(0.3, y, fEval, rows, mlp.newWorkspace(rows));

        // not bit for bit: the vector tanh is SVML once compiled and Math.tanh while interpreted (1 ulp apart)
        assertSmall(normwiseRelative(f, fEval, f.length), 1e-15, "vjp's fOut against evaluate's f");
        assertSmall(normwiseRelative(f, fRow, f.length), 1e-14, "f");
        assertSmall(normwiseRelative(yBar, yBarRow, yBar.length), 1e-14, "yBar");
        assertSmall(normwiseRelative(thetaBar, thetaBarRows, thetaBar.length), 1e-13, "thetaBar (sum over 256 rows)");
        assertSmall(Math.abs(tBar - tBarRows) / tBarScale, 1e-14, "tBar (relative to Σ|row terms|)");
    }

    private static void assertSmall(double err, double bound, String what) {
        assertTrue(err <= bound, what + ": relative difference " + err + " > " + bound);
    }
}
