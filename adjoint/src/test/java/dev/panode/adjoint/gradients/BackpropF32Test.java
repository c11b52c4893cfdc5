package dev.panode.adjoint.gradients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.adjoint.models.Activation;
import dev.panode.adjoint.models.Initialisation;
import dev.panode.adjoint.models.InputTransform;
import dev.panode.adjoint.models.Mlp;
import dev.panode.adjoint.models.MlpArchitecture;
import dev.panode.adjoint.models.MlpF32;
import dev.panode.blas.testing.Allocations;
import dev.panode.solvers.FieldWorkspace;
import dev.panode.solvers.OdeMethod;
import dev.panode.solvers.RungeKutta;
import dev.panode.solvers.SaveAt;
import dev.panode.solvers.SolveOptions;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The float VJP of {@link MlpF32} and {@link BackpropF32} against their double counterparts on the same float-rounded
 * model and states.
 */
class BackpropF32Test {
    private static final double U = Math.ulp(1.0f) / 2;

    private static Mlp rounded(Mlp mlp, MlpF32 f32) {
        double[] p = new double[f32.parameterCount()];
        for (int i = 0; i < p.length; i++) p[i] = f32.parameters()[i];
        return mlp.withParameters(p);
    }

    private static float[] floats(SplittableRandom rnd, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) rnd.nextDouble(-2, 2);
        return x;
    }

    private static double[] widen(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) d[i] = x[i];
        return d;
    }

    /** max|got − want| / max|want|. */
    private static double relative(float[] got, double[] want) {
        double num = 0, den = 0;
        for (int i = 0; i < want.length; i++) {
            num = Math.max(num, Math.abs(got[i] - want[i]));
            den = Math.max(den, Math.abs(want[i]));
        }
        return num / den;
    }

    /**
     * Each entry of a VJP is a chain of three products of at most K = max width terms (each with a float error of at
     * most K·u relative to the sum of |terms|), and of the tanh derivative (2 ulp): the max-norm error relative to
     * the largest entry is bounded by about 3·(K + 4)·u times the cancellation in the sums, for which a factor 4 is
     * allowed.
     */
    private static void vjpMatches(Mlp mlp, int rows) {
        MlpF32 f32 = MlpF32.of(mlp);
        Mlp ref = rounded(mlp, f32);
        SplittableRandom rnd = new SplittableRandom(rows);
        int n = rows * mlp.dim(), p = f32.parameterCount();
        float[] y = floats(rnd, n), v = floats(rnd, n);
        float[] yBar = new float[n], thetaBar = new float[p], f = new float[n];
        f32.vjp(0.25, y, v, yBar, thetaBar, f, rows, f32.newWorkspace(rows));
        double[] yBarD = new double[n], thetaBarD = new double[p], fD = new double[n];
        FieldWorkspace ws = ref.newWorkspace(rows);
        ref.vjp(0.25, widen(y), widen(v), yBarD, thetaBarD, fD, rows, false, ws);
        double bound = 12 * (mlp.architecture().maxWidth() + 4) * U * Math.sqrt(rows);
        double ey = relative(yBar, yBarD), et = relative(thetaBar, thetaBarD), ef = relative(f, fD);
        System.out.printf("MlpF32.vjp %s × %d rows: yBar %.2e, thetaBar %.2e, f %.2e (bound %.2e)%n",
                mlp.architecture(), rows, ey, et, ef, bound);
        assertTrue(ey <= bound, "yBar: " + ey);
        assertTrue(et <= bound, "thetaBar: " + et);
        assertTrue(ef <= bound, "f: " + ef);
    }

    @Test
    void theFloatVjpMatchesTheDoubleOne() {
        vjpMatches(Mlp.initialised(MlpArchitecture.mlp3Tanh(2, 50), Initialisation.PYTORCH_DEFAULT, 3), 1);
        vjpMatches(Mlp.initialised(MlpArchitecture.mlp3Tanh(2, 50), Initialisation.PYTORCH_DEFAULT, 3), 16);
        vjpMatches(Mlp.initialised(MlpArchitecture.mlp3Tanh(32, 256), Initialisation.PYTORCH_DEFAULT, 4), 9);
        MlpArchitecture timed = new MlpArchitecture(3, List.of(20, 17, 3),
                List.of(Activation.RELU, Activation.TANH, Activation.IDENTITY), true, InputTransform.NONE);
        vjpMatches(Mlp.initialised(timed, Initialisation.HE_UNIFORM, 5), 5);
        MlpArchitecture spiral = MlpArchitecture.of(2, 50, 1, Activation.TANH).withInputTransform(InputTransform.CUBE);
        vjpMatches(Mlp.initialised(spiral, Initialisation.PYTORCH_DEFAULT, 6), 20);
        vjpMatches(Mlp.initialised(spiral.withTimeInput(true), Initialisation.PYTORCH_DEFAULT, 7), 3);
    }

    /**
     * Backprop through the float solve against backprop through the double solve of the same float-rounded model
     * (storeAll), on the same steps. The float gradient differs by (a) the forward states' rounding (≤ the rounding
     * bound of the float solve, ~(N + 1)·2u relative), carried through the Jacobians, and (b) the rounding of every
     * VJP and of the cotangent sums, ≤ 12·(K + 4)·u relative per VJP (theFloatVjpMatchesTheDoubleOne's bound) over
     * the N·s VJPs of the reverse pass. With the flow's amplification of at most e^{L|T|}, measured as the growth G of
     * the double solve, the bound is G·(N·s + 1)·12·(K + 4)·u relative to the largest gradient entry.
     */
    private static void gradientMatches(Mlp mlp, int rows, OdeMethod method, SolveOptions options, double[] times,
                                        Loss loss) {
        MlpF32 f32 = MlpF32.of(mlp);
        Mlp ref = rounded(mlp, f32);
        SplittableRandom rnd = new SplittableRandom(7);
        float[] y0 = floats(rnd, rows * mlp.dim());
        GradientResultF32 got = BackpropF32.session(f32, rows, method, options).compute(y0, times, loss);
        GradientResult want = Gradients.compute(ref, widen(y0), rows, times, loss, method, options,
                Backprop.storeAll());
        String what = method.name() + " " + java.util.Arrays.toString(times) + " rows " + rows;
        assertEquals(want.stats().forwardNfe(), got.forwardNfe(), "forward NFE of " + what);
        long steps = got.steps();
        int s = ((RungeKutta) method).tableau().stages();
        double perVjp = 12 * (mlp.architecture().maxWidth() + 4) * U;
        double bound = (steps * s + 1) * perVjp;
        double ey = relative(got.dLdy0(), want.dLdy0()), et = relative(got.dLdTheta(), want.dLdTheta());
        double el = Math.abs(got.loss() - want.loss()) / Math.abs(want.loss());
        System.out.printf("BackpropF32 %s: loss %.2e, dL/dy0 %.2e, dL/dθ %.2e (bound %.2e, %d steps, backward NFE "
                + "%d vs %d)%n", what, el, ey, et, bound, steps, got.backwardNfe(), want.stats().backwardNfe());
        assertTrue(el <= bound, "loss of " + what + ": " + el);
        assertTrue(ey <= bound, "dL/dy0 of " + what + ": " + ey);
        assertTrue(et <= bound, "dL/dθ of " + what + ": " + et);
    }

    @Test
    void backpropThroughTheFloatSolveMatchesTheDoubleGradient() {
        Mlp mlp = Mlp.initialised(MlpArchitecture.mlp3Tanh(2, 50), Initialisation.PYTORCH_DEFAULT, 1001);
        SolveOptions td = SolveOptions.builder().rtol(1e-4).atol(1e-6).torchdiffeqCompatible(true).build();
        SolveOptions landing = SolveOptions.builder().rtol(1e-4).atol(1e-6).build();
        gradientMatches(mlp, 16, RungeKutta.dopri5(), td, new double[] {0, 1}, Loss.sumOfSquaresAtEnd());
        gradientMatches(mlp, 16, RungeKutta.dopri5(), td, new double[] {0, 0.3, 0.7, 1}, Loss.sumOfSquaresAfterStart());
        gradientMatches(mlp, 16, RungeKutta.tsit5(), landing, new double[] {0, 0.5, 1}, Loss.sumOfSquaresAfterStart());
        gradientMatches(mlp, 1, RungeKutta.bosh3(), landing, new double[] {0, 1}, Loss.sumOfSquaresAtEnd());
        SolveOptions fixed = SolveOptions.builder().steps(8).build();
        gradientMatches(mlp, 16, RungeKutta.rk4(), fixed, new double[] {0, 0.3, 1}, Loss.sumOfSquaresAfterStart());
        gradientMatches(mlp, 4, RungeKutta.midpoint(), fixed, new double[] {0, 1}, Loss.sumOfSquaresAtEnd());
        MlpArchitecture timed = new MlpArchitecture(3, List.of(20, 17, 3),
                List.of(Activation.RELU, Activation.TANH, Activation.IDENTITY), true, InputTransform.NONE);
        gradientMatches(Mlp.initialised(timed, Initialisation.HE_UNIFORM, 5), 5, RungeKutta.dopri5(), landing,
                new double[] {0, 0.5, 1}, Loss.sumOfSquaresAfterStart());
        MlpArchitecture spiral = MlpArchitecture.of(2, 50, 1, Activation.TANH).withInputTransform(InputTransform.CUBE);
        // the spiral demo's model and initialisation (weights N(0, 0.1²)): y³ of states up to 2 in magnitude
        gradientMatches(Mlp.initialised(spiral, Initialisation.XAVIER_NORMAL, 6, 0.1 / Math.sqrt(2.0 / 52)), 20,
                RungeKutta.dopri5(), td,
                new double[] {0, 0.2, 0.4, 0.6}, Loss.sumOfSquaresAfterStart());
    }

    /**
     * FSAL: a step's last stage is the next step's first evaluation, so the observations inside a step seed it into
     * the next step's first VJP — one VJP per step fewer than stages seeded, and still the double gradient (the bound
     * of {@link #gradientMatches}); with a time column too (the two stages' times must agree).
     */
    @Test
    void aStepsLastStageJoinsTheNextStepsFirstVjp() {
        SolveOptions td = SolveOptions.builder().rtol(1e-4).atol(1e-6).torchdiffeqCompatible(true).build();
        double[] grid = new double[41];
        for (int k = 0; k < grid.length; k++) grid[k] = k / 20.0;
        Mlp mlp = Mlp.initialised(MlpArchitecture.mlp3Tanh(2, 50), Initialisation.PYTORCH_DEFAULT, 1001);
        MlpArchitecture timed = new MlpArchitecture(3, List.of(20, 17, 3),
                List.of(Activation.RELU, Activation.TANH, Activation.IDENTITY), true, InputTransform.NONE);
        for (Mlp m : List.of(mlp, Mlp.initialised(timed, Initialisation.HE_UNIFORM, 5))) {
            gradientMatches(m, 16, RungeKutta.dopri5(), td, grid, Loss.sumOfSquaresAfterStart());
            float[] y0 = floats(new SplittableRandom(7), 16 * m.dim());
            for (StageSaving saving : List.of(StageSaving.ALWAYS, StageSaving.NEVER)) {
                GradientResultF32 got = BackpropF32.session(MlpF32.of(m), 16, RungeKutta.dopri5(), td, saving)
                        .compute(y0, grid, Loss.sumOfSquaresAfterStart());
                // six live stages a step, the seventh only in the last step (no next step to take its seeds)
                assertTrue(got.steps() >= 2, "steps " + got.steps());
                assertEquals(6 * got.steps() + 1, got.backwardNfe(), "backward NFE of " + saving);
            }
        }
    }

    /** Saved stage evaluations and stages rebuilt inside the VJPs: the same bits of loss and gradients. */
    private static void savedStagesGiveTheSameBits(Mlp mlp, int rows, OdeMethod method, SolveOptions options,
                                                   double[] times, Loss loss) {
        MlpF32 f32 = MlpF32.of(mlp);
        float[] y0 = floats(new SplittableRandom(11), rows * mlp.dim());
        BackpropF32 saving = BackpropF32.session(f32, rows, method, options, StageSaving.ALWAYS);
        BackpropF32 rebuilding = BackpropF32.session(f32, rows, method, options, StageSaving.NEVER);
        assertTrue(saving.stagesSaved());
        assertTrue(!rebuilding.stagesSaved());
        String what = method.name() + " " + java.util.Arrays.toString(times) + " rows " + rows;
        for (int call = 0; call < 2; call++) { // the second call reuses the recorded blocks
            GradientResultF32 a = saving.compute(y0, times, loss);
            GradientResultF32 b = rebuilding.compute(y0, times, loss);
            assertEquals(Double.doubleToLongBits(b.loss()), Double.doubleToLongBits(a.loss()), "loss of " + what);
            assertTrue(java.util.Arrays.equals(b.dLdy0(), a.dLdy0()), "dL/dy0 of " + what);
            assertTrue(java.util.Arrays.equals(b.dLdTheta(), a.dLdTheta()), "dL/dθ of " + what);
            assertEquals(b.backwardNfe(), a.backwardNfe(), "backward NFE of " + what);
        }
    }

    @Test
    void savedStagesGiveTheBitsOfRebuiltStages() {
        Mlp mlp = Mlp.initialised(MlpArchitecture.mlp3Tanh(2, 50), Initialisation.PYTORCH_DEFAULT, 1001);
        SolveOptions td = SolveOptions.builder().rtol(1e-4).atol(1e-6).torchdiffeqCompatible(true).build();
        SolveOptions landing = SolveOptions.builder().rtol(1e-4).atol(1e-6).build();
        savedStagesGiveTheSameBits(mlp, 16, RungeKutta.dopri5(), td, new double[] {0, 1}, Loss.sumOfSquaresAtEnd());
        savedStagesGiveTheSameBits(mlp, 3, RungeKutta.dopri5(), td, new double[] {0, 0.3, 0.7, 1},
                Loss.sumOfSquaresAfterStart());
        savedStagesGiveTheSameBits(mlp, 5, RungeKutta.tsit5(), landing, new double[] {0, 0.5, 1},
                Loss.sumOfSquaresAfterStart());
        savedStagesGiveTheSameBits(mlp, 4, RungeKutta.rk4(), SolveOptions.builder().steps(8).build(),
                new double[] {0, 0.3, 1}, Loss.sumOfSquaresAfterStart());
        MlpArchitecture timed = new MlpArchitecture(3, List.of(20, 17, 3),
                List.of(Activation.RELU, Activation.TANH, Activation.IDENTITY), true, InputTransform.NONE);
        savedStagesGiveTheSameBits(Mlp.initialised(timed, Initialisation.HE_UNIFORM, 5), 5, RungeKutta.dopri5(),
                landing, new double[] {0, 0.5, 1}, Loss.sumOfSquaresAfterStart());
        savedStagesGiveTheSameBits(Mlp.initialised(MlpArchitecture.mlp3Tanh(4, 40), Initialisation.PYTORCH_DEFAULT, 9),
                37, RungeKutta.dopri5(), td, new double[] {0, 1}, Loss.sumOfSquaresAtEnd());
    }

    @Test
    void theSessionChoosesToSaveByCost() {
        SolveOptions o = SolveOptions.builder().rtol(1e-4).atol(1e-6).build();
        MlpF32 small = MlpF32.of(Mlp.initialised(MlpArchitecture.mlp3Tanh(2, 50), Initialisation.PYTORCH_DEFAULT, 1));
        assertTrue(BackpropF32.session(small, 16, RungeKutta.dopri5(), o).stagesSaved(), "one step's stages in cache");
        assertTrue(!BackpropF32.session(small, 16, RungeKutta.dopri5(), o, StageSaving.NEVER).stagesSaved());
        MlpF32 wide = MlpF32.of(Mlp.initialised(MlpArchitecture.mlp3Tanh(32, 256), Initialisation.PYTORCH_DEFAULT, 1));
        assertTrue(BackpropF32.session(wide, 256, RungeKutta.dopri5(), o).stagesSaved(), "150 multiply–adds a float");
        MlpF32 eight = MlpF32.of(Mlp.initialised(MlpArchitecture.mlp3Tanh(2, 8), Initialisation.PYTORCH_DEFAULT, 1));
        assertTrue(BackpropF32.session(eight, 4096, RungeKutta.dopri5(), o).stagesSaved(), "5 multiply–adds a float");
        MlpArchitecture bottleneck = new MlpArchitecture(2, List.of(1, 2), List.of(Activation.TANH,
                Activation.IDENTITY), false, InputTransform.NONE);
        MlpF32 narrow = MlpF32.of(Mlp.initialised(bottleneck, Initialisation.PYTORCH_DEFAULT, 1));
        assertTrue(!BackpropF32.session(narrow, 16384, RungeKutta.dopri5(), o).stagesSaved(),
                "1.3 multiply–adds a float");
        assertEquals("stageSaving must be non-null", assertThrows(IllegalArgumentException.class,
                () -> BackpropF32.session(small, 1, RungeKutta.dopri5(), o, null)).getMessage());
    }

    @Test
    void aWarmFloatGradientAllocatesNothing() {
        Mlp mlp = Mlp.initialised(MlpArchitecture.mlp3Tanh(2, 50), Initialisation.PYTORCH_DEFAULT, 1001);
        MlpF32 f32 = MlpF32.of(mlp);
        BackpropF32 session = BackpropF32.session(f32, 16, RungeKutta.dopri5(),
                SolveOptions.builder().rtol(1e-4).atol(1e-6).torchdiffeqCompatible(true).build());
        float[] y0 = floats(new SplittableRandom(3), 32);
        double[] times = {0, 0.5, 1};
        float[] dy0 = new float[32], dTheta = new float[f32.parameterCount()];
        Loss loss = Loss.sumOfSquaresAfterStart();
        session.computeInto(y0, times, loss, dy0, dTheta);
        Allocations.assertNoAllocation("a warm float32 backprop gradient", 1_000, 100,
                () -> session.computeInto(y0, times, loss, dy0, dTheta));
        BackpropF32 rebuilding = BackpropF32.session(f32, 16, RungeKutta.dopri5(),
                SolveOptions.builder().rtol(1e-4).atol(1e-6).torchdiffeqCompatible(true).build(), StageSaving.NEVER);
        rebuilding.computeInto(y0, times, loss, dy0, dTheta);
        Allocations.assertNoAllocation("a warm float32 backprop gradient rebuilding its stages", 1_000, 100,
                () -> rebuilding.computeInto(y0, times, loss, dy0, dTheta));
        // batch 1: the single-row forward and VJP kernels
        BackpropF32 one = BackpropF32.session(f32, 1, RungeKutta.dopri5(),
                SolveOptions.builder().rtol(1e-4).atol(1e-6).torchdiffeqCompatible(true).build());
        float[] y1 = {0.5f, -0.25f}, dy1 = new float[2];
        one.computeInto(y1, times, loss, dy1, dTheta);
        Allocations.assertNoAllocation("a warm float32 batch-1 backprop gradient", 1_000, 100,
                () -> one.computeInto(y1, times, loss, dy1, dTheta));
    }

    @Test
    void badSessionsAreRefusedByName() {
        MlpF32 f32 = MlpF32.of(Mlp.initialised(MlpArchitecture.mlp3Tanh(2, 8), Initialisation.PYTORCH_DEFAULT, 1));
        SolveOptions o = SolveOptions.defaults();
        String m = assertThrows(IllegalArgumentException.class,
                () -> BackpropF32.session(f32, 1, RungeKutta.dop853Dense(), o)).getMessage();
        assertTrue(m.contains("dop853-dense"), m);
        m = assertThrows(IllegalArgumentException.class, () -> BackpropF32.session(f32, 0, RungeKutta.dopri5(), o))
                .getMessage();
        assertTrue(m.contains("rows must be >= 1, got 0"), m);
        m = assertThrows(IllegalArgumentException.class, () -> BackpropF32.session(f32, 1, RungeKutta.dopri5(),
                o.toBuilder().saveAt(SaveAt.t1()).build())).getMessage();
        assertTrue(m.contains("options.saveAt"), m);
        BackpropF32 session = BackpropF32.session(f32, 1, RungeKutta.dopri5(), o);
        m = assertThrows(IllegalArgumentException.class, () -> session.computeInto(new float[3], new double[] {0, 1},
                Loss.sumOfSquaresAtEnd(), new float[2], new float[f32.parameterCount()])).getMessage();
        assertTrue(m.contains("y0 must have length rows × dim = 2, got 3"), m);
    }
}
