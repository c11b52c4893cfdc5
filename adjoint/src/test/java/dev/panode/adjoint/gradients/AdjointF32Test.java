package dev.panode.adjoint.gradients;

import static dev.panode.adjoint.testing.ReferenceData.relative;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.adjoint.models.Initialisation;
import dev.panode.adjoint.models.Mlp;
import dev.panode.adjoint.models.MlpArchitecture;
import dev.panode.adjoint.models.MlpF32;
import dev.panode.adjoint.testing.ReferenceData;
import dev.panode.blas.testing.Allocations;
import dev.panode.solvers.RungeKutta;
import dev.panode.solvers.SolveOptions;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The float32 backsolve and interpolating adjoints against the continuous gradient (double backprop at rtol 1e-10) and against the
 * double backsolve adjoint at the same tolerances: both approximate the exact flow's gradient to the tolerance, so the
 * float one must be about as close to it as the double one, plus float rounding.
 */
class AdjointF32Test {
    private static final double U = Math.ulp(1.0f) / 2;

    /**
     * 2→50→50→2 tanh with float parameters, its double twin holding the same (widened) parameters, and {@code rows}
     * initial states in [−2, 2) as floats and widened.
     */
    private record Case(MlpF32 f32, Mlp ref, float[] y0, double[] y0d) {
        static Case of(int rows, long seed) {
            Mlp mlp = Mlp.initialised(MlpArchitecture.mlp3Tanh(2, 50), Initialisation.PYTORCH_DEFAULT, 1001);
            MlpF32 f32 = MlpF32.of(mlp);
            double[] p = new double[f32.parameterCount()];
            for (int i = 0; i < p.length; i++) p[i] = f32.parameters()[i];
            SplittableRandom rnd = new SplittableRandom(seed);
            float[] y0 = new float[rows * 2];
            double[] y0d = new double[y0.length];
            for (int i = 0; i < y0.length; i++) y0d[i] = y0[i] = (float) rnd.nextDouble(-2, 2);
            return new Case(f32, mlp.withParameters(p), y0, y0d);
        }
    }

    @Test
    void theFloatAdjointIsAsCloseToTheFlowsGradientAsTheDoubleOne() {
        Case c = Case.of(16, 7);
        int rows = 16;
        double[] times = {0, 0.5, 1};
        Loss loss = Loss.sumOfSquaresAfterStart();
        GradientResult exact = Gradients.compute(c.ref(), c.y0d(), rows, times, loss, RungeKutta.dopri5(),
                SolveOptions.builder().rtol(1e-10).atol(1e-12).build(), Backprop.storeAll());
        SolveOptions o = SolveOptions.builder().rtol(1e-4).atol(1e-6).build();
        for (int variant = 0; variant < 4; variant++) {
            AdjointNorm norm = AdjointNorm.values()[variant % 2];
            boolean interpolating = variant >= 2;
            GradientResult d = Gradients.compute(c.ref(), c.y0d(), rows, times, loss, RungeKutta.dopri5(), o,
                    interpolating ? InterpolatingAdjoint.of(norm) : BacksolveAdjoint.of(norm));
            GradientResultF32 f = interpolating
                    ? InterpolatingF32.session(c.f32(), rows, RungeKutta.dopri5(), o, norm).compute(c.y0(), times, loss)
                    : BacksolveF32.session(c.f32(), rows, RungeKutta.dopri5(), o, norm).compute(c.y0(), times, loss);
            double e64y = relative(d.dLdy0(), exact.dLdy0()), e64t = relative(d.dLdTheta(), exact.dLdTheta());
            double e32y = relative(f.dLdy0(), exact.dLdy0()), e32t = relative(f.dLdTheta(), exact.dLdTheta());
            // float rounding of the backward solve: every VJP (≤ 12·(K + 4)·u, BackpropF32Test) over its evaluations
            double floor = (f.backwardNfe() + 1) * 12 * (50 + 4) * U;
            System.out.printf((interpolating ? "InterpolatingF32" : "BacksolveF32") + " %s: dL/dy0 %.2e (f64 %.2e), dL/dθ %.2e (f64 %.2e), floor %.2e, backward NFE "
                    + "%d (f64 %d)%n", norm, e32y, e64y, e32t, e64t, floor, f.backwardNfe(), d.stats().backwardNfe());
            assertTrue(e32y <= 10 * e64y + floor, norm + " dL/dy0: " + e32y);
            assertTrue(e32t <= 10 * e64t + floor, norm + " dL/dθ: " + e32t);
            assertTrue(Math.abs(f.loss() - exact.loss()) <= 1e-3 * Math.abs(exact.loss()), norm + " loss");
        }
    }

    @Test
    void theSeminormTakesNoMoreBackwardStepsAndAWarmGradientAllocatesNothing() {
        MlpF32 f32 = MlpF32.of(Mlp.initialised(MlpArchitecture.mlp3Tanh(2, 50), Initialisation.PYTORCH_DEFAULT, 1001));
        SolveOptions o = SolveOptions.builder().rtol(1e-4).atol(1e-6).build();
        float[] y0 = new float[32];
        for (int i = 0; i < y0.length; i++) y0[i] = (float) Math.sin(1.3 * i);
        double[] times = {0, 0.5, 1};
        BacksolveF32 full = BacksolveF32.session(f32, 16, RungeKutta.dopri5(), o, AdjointNorm.FULL);
        BacksolveF32 semi = BacksolveF32.session(f32, 16, RungeKutta.dopri5(), o, AdjointNorm.SEMINORM);
        float[] dy0 = new float[32], dTheta = new float[f32.parameterCount()];
        Loss loss = Loss.sumOfSquaresAfterStart();
        full.computeInto(y0, times, loss, dy0, dTheta);
        semi.computeInto(y0, times, loss, dy0, dTheta);
        assertTrue(semi.lastBackwardNfe() <= full.lastBackwardNfe(),
                semi.lastBackwardNfe() + " > " + full.lastBackwardNfe());
        Allocations.assertNoAllocation("a warm float32 backsolve-adjoint gradient", 1_000, 100,
                () -> semi.computeInto(y0, times, loss, dy0, dTheta));
        Allocations.assertNoAllocation("a warm float32 backsolve-adjoint gradient, full norm", 1_000, 100,
                () -> full.computeInto(y0, times, loss, dy0, dTheta));
        for (AdjointNorm norm : AdjointNorm.values()) {
            InterpolatingF32 interpolating = InterpolatingF32.session(f32, 16, RungeKutta.dopri5(), o, norm);
            interpolating.computeInto(y0, times, loss, dy0, dTheta);
            Allocations.assertNoAllocation("a warm float32 interpolating-adjoint gradient, " + norm, 1_000, 100,
                    () -> interpolating.computeInto(y0, times, loss, dy0, dTheta));
        }
        String m = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> InterpolatingF32.session(f32, 16, RungeKutta.rk4(), o, AdjointNorm.FULL)).getMessage();
        assertTrue(m.contains("rk4"), m);
    }

    /**
     * The float interpolating adjoint sweeps back as the double one does (AdjointSweep): its first interval starts from
     * the forward controller's last proposal, each later one from its predecessor's, and it lands on every
     * observation time. So at the same tolerances it takes the double one's backward steps and evaluations (fewer
     * than the backsolve adjoint's, which selects an initial step per interval), and its gradient is the double one's
     * up to float rounding.
     */
    @Test
    void theFloatInterpolatingAdjointTakesTheDoubleOnesBackwardSteps() {
        Case c = Case.of(64, 11);
        int rows = 64;
        SolveOptions o = SolveOptions.builder().rtol(1e-4).atol(1e-6).torchdiffeqCompatible(true).build();
        double[][] grids = {{0, 1}, {0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1}};
        for (double[] times : grids) {
            Loss loss = times.length == 2 ? Loss.sumOfSquaresAtEnd() : Loss.sumOfSquaresAfterStart();
            GradientResult d = Gradients.compute(c.ref(), c.y0d(), rows, times, loss, RungeKutta.dopri5(), o,
                    InterpolatingAdjoint.of(AdjointNorm.SEMINORM));
            GradientResultF32 f = InterpolatingF32.session(c.f32(), rows, RungeKutta.dopri5(), o, AdjointNorm.SEMINORM)
                    .compute(c.y0(), times, loss);
            GradientResultF32 b = BacksolveF32.session(c.f32(), rows, RungeKutta.dopri5(), o, AdjointNorm.SEMINORM)
                    .compute(c.y0(), times, loss);
            String what = times.length - 1 + " intervals";
            System.out.printf("InterpolatingF32, %s: backward NFE %d, steps %d (f64 %d, %d; BacksolveF32 %d, %d)%n",
                    what, f.backwardNfe(), f.backwardSteps(), d.stats().backwardNfe(), d.stats().backwardSteps(),
                    b.backwardNfe(), b.backwardSteps());
            assertEquals(d.stats().forwardNfe(), f.forwardNfe(), what + " forward NFE");
            assertEquals(d.stats().backwardNfe(), f.backwardNfe(), what + " backward NFE");
            assertEquals(d.stats().backwardSteps(), f.backwardSteps(), what + " backward steps");
            assertTrue(f.backwardNfe() < b.backwardNfe(), what + ": " + f.backwardNfe() + " >= " + b.backwardNfe());
            double floor = (f.forwardNfe() + f.backwardNfe() + 1) * 12 * (50 + 4) * U;
            assertTrue(relative(f.dLdy0(), d.dLdy0()) <= floor, what + " dL/dy0: " + relative(f.dLdy0(), d.dLdy0()));
            assertTrue(relative(f.dLdTheta(), d.dLdTheta()) <= floor,
                    what + " dL/dθ: " + relative(f.dLdTheta(), d.dLdTheta()));
        }
    }
}
