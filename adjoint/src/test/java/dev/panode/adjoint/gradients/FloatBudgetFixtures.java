package dev.panode.adjoint.gradients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.adjoint.models.Activation;
import dev.panode.adjoint.models.Initialisation;
import dev.panode.adjoint.models.InputTransform;
import dev.panode.adjoint.models.Mlp;
import dev.panode.adjoint.models.MlpArchitecture;
import dev.panode.solvers.SolveOptions;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/** The problems and the bitwise comparison the float32 gradients' checkpointing tests share. */
final class FloatBudgetFixtures {
    static final SolveOptions TD = SolveOptions.builder().rtol(1e-4).atol(1e-6).torchdiffeqCompatible(true).build();
    static final SolveOptions TIGHT = TD.toBuilder().rtol(1e-6).atol(1e-8).build();
    static final SolveOptions LANDING = SolveOptions.builder().rtol(1e-4).atol(1e-6).build();
    static final Mlp SMALL = Mlp.initialised(MlpArchitecture.mlp3Tanh(2, 50), Initialisation.PYTORCH_DEFAULT, 1001);
    /** A field of t too (its first-stage times must be retraced, not only its states). */
    static final Mlp TIMED = Mlp.initialised(new MlpArchitecture(3, List.of(20, 17, 3),
            List.of(Activation.RELU, Activation.TANH, Activation.IDENTITY), true, InputTransform.NONE),
            Initialisation.HE_UNIFORM, 5);

    private FloatBudgetFixtures() {
    }

    /** n floats uniform in [−2, 2). */
    static float[] floats(SplittableRandom rnd, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) rnd.nextDouble(-2, 2);
        return x;
    }

    /** {@code points} equally spaced times from 0 to t1. */
    static double[] grid(int points, double t1) {
        double[] g = new double[points];
        for (int k = 0; k < points; k++) g[k] = t1 * k / (points - 1);
        return g;
    }

    /** The loss, ∂L/∂y0 and ∂L/∂θ bit for bit, and the same forward steps and NFE. */
    static void sameBits(GradientResultF32 want, GradientResultF32 got, String what) {
        assertEquals(Double.doubleToLongBits(want.loss()), Double.doubleToLongBits(got.loss()), "loss of " + what);
        assertTrue(Arrays.equals(want.dLdy0(), got.dLdy0()), "dL/dy0 of " + what);
        assertTrue(Arrays.equals(want.dLdTheta(), got.dLdTheta()), "dL/dθ of " + what);
        assertEquals(want.steps(), got.steps(), "steps of " + what);
        assertEquals(want.forwardNfe(), got.forwardNfe(), "forward NFE of " + what);
    }
}
