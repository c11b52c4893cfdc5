package dev.panode.adjoint.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.blas.testing.Allocations;
import dev.panode.solvers.FieldWorkspace;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The float MLP against the double {@link Mlp} on the same float-rounded parameters and states. */
class MlpF32Test {

    /**
     * Evaluates both on random states; the float result must be within {@code tol·(1 + |f64|)} of the double one.
     * Returns the largest relative error seen.
     */
    private static double compare(Mlp mlp, int rows, double tol) {
        MlpF32 f32 = MlpF32.of(mlp);
        double[] p = new double[f32.parameterCount()];
        for (int i = 0; i < p.length; i++) p[i] = f32.parameters()[i];
        Mlp rounded = mlp.withParameters(p); // the double model of exactly the float parameters
        SplittableRandom rnd = new SplittableRandom(rows);
        int n = rows * mlp.dim();
        float[] y = new float[n];
        double[] yd = new double[n];
        for (int i = 0; i < n; i++) yd[i] = y[i] = (float) rnd.nextDouble(-2, 2);
        float[] got = new float[n];
        double[] want = new double[n];
        double t = 0.375;
        f32.evaluate(t, y, got, rows, f32.newWorkspace(rows));
        FieldWorkspace ws = rounded.newWorkspace(rows);
        rounded.evaluate(t, yd, want, rows, ws);
        double worst = 0;
        for (int i = 0; i < n; i++) {
            double rel = Math.abs(got[i] - want[i]) / (1 + Math.abs(want[i]));
            assertTrue(rel <= tol, "output " + i + ": f32 " + got[i] + ", f64 " + want[i]);
            worst = Math.max(worst, rel);
        }
        return worst;
    }

    @Test
    void matchesTheDoubleMlpWithinFloatRounding() {
        double worst = 0;
        for (int rows : new int[] {1, 7, 16}) {
            worst = Math.max(worst, compare(Mlp.initialised(MlpArchitecture.mlp3Tanh(2, 50), Initialisation.PYTORCH_DEFAULT, 3), rows, 2e-6));
        }
        worst = Math.max(worst, compare(Mlp.initialised(MlpArchitecture.mlp3Tanh(32, 256), Initialisation.PYTORCH_DEFAULT, 4), 9, 2e-6));
        MlpArchitecture timed = new MlpArchitecture(3, List.of(20, 17, 3),
                List.of(Activation.RELU, Activation.TANH, Activation.IDENTITY), true, InputTransform.NONE);
        worst = Math.max(worst, compare(Mlp.initialised(timed, Initialisation.HE_UNIFORM, 5), 5, 2e-6));
        MlpArchitecture spiral = MlpArchitecture.of(2, 50, 1, Activation.TANH).withInputTransform(InputTransform.CUBE);
        worst = Math.max(worst, compare(Mlp.initialised(spiral, Initialisation.PYTORCH_DEFAULT, 6), 20, 2e-6));
        worst = Math.max(worst, compare(Mlp.initialised(spiral.withTimeInput(true), Initialisation.PYTORCH_DEFAULT, 7),
                3, 2e-6));
        System.out.printf("MlpF32 largest |f32 − f64| / (1 + |f64|): %.2e%n", worst);
    }

    @Test
    void choicesWithoutFloatKernelsAreRefusedByName() {
        MlpArchitecture sin = new MlpArchitecture(2, List.of(4, 2), List.of(Activation.SIN, Activation.IDENTITY), false,
                InputTransform.NONE);
        var e = assertThrows(IllegalArgumentException.class, () -> MlpF32.of(Mlp.initialised(sin, Initialisation.PYTORCH_DEFAULT, 1)));
        assertEquals("activation must be TANH, RELU or IDENTITY in float32, got SIN", e.getMessage());
        MlpArchitecture arch = MlpArchitecture.mlp3Tanh(2, 4);
        float[] bad = new float[arch.parameterCount()];
        bad[3] = Float.NaN;
        e = assertThrows(IllegalArgumentException.class, () -> new MlpF32(arch, bad));
        assertEquals("parameters[3] must be finite, got NaN", e.getMessage());
        MlpF32 f = new MlpF32(arch, new float[arch.parameterCount()]);
        var ws = f.newWorkspace(2);
        e = assertThrows(IllegalArgumentException.class, () -> f.evaluate(0, new float[6], new float[6], 3, ws));
        assertEquals("rows must be in [0, 2], got 3", e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> f.evaluate(0, new float[3], new float[4], 2, ws));
    }

    @Test
    void evaluationAllocatesNothingAfterWarmUp() {
        for (MlpArchitecture arch : new MlpArchitecture[] {MlpArchitecture.mlp3Tanh(2, 50),
                MlpArchitecture.mlp3Tanh(2, 16).withTimeInput(true),
                MlpArchitecture.of(2, 50, 1, Activation.TANH).withInputTransform(InputTransform.CUBE)}) {
            MlpF32 f = MlpF32.of(Mlp.initialised(arch, Initialisation.PYTORCH_DEFAULT, 1));
            int rows = 16;
            float[] y = new float[rows * f.dim()], out = new float[rows * f.dim()];
            for (int i = 0; i < y.length; i++) y[i] = 0.01f * i;
            MlpF32.Workspace ws = f.newWorkspace(rows);
            Allocations.assertNoAllocation("MlpF32 " + arch, () -> f.evaluate(0.5, y, out, rows, ws));
        }
    }
}
