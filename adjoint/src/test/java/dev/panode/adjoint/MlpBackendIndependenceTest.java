package dev.panode.adjoint;

import static dev.panode.adjoint.FieldChecking.normwiseRelative;
import static dev.panode.adjoint.FieldChecking.random;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.solvers.FieldWorkspace;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The GEMM dispatcher sends a large batch to OpenBLAS (when loaded) and a single row to the Java kernel, so the same
 * sample evaluated inside a batch of 256 and on its own goes through both backends: results must agree to rounding.
 */
class MlpBackendIndependenceTest {

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

        assertTrue(Arrays.equals(f, fEval), "vjp's fOut is exactly evaluate's f");
        assertSmall(normwiseRelative(f, fRow, f.length), 1e-14, "f");
        assertSmall(normwiseRelative(yBar, yBarRow, yBar.length), 1e-14, "yBar");
        assertSmall(normwiseRelative(thetaBar, thetaBarRows, thetaBar.length), 1e-13, "thetaBar (sum over 256 rows)");
        assertSmall(Math.abs(tBar - tBarRows) / tBarScale, 1e-14, "tBar (relative to Σ|row terms|)");
    }

    private static void assertSmall(double err, double bound, String what) {
        assertTrue(err <= bound, what + ": relative difference " + err + " > " + bound);
    }
}
