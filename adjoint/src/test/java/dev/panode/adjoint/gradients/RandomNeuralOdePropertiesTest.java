package dev.panode.adjoint.gradients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.adjoint.models.Initialisation;
import dev.panode.adjoint.models.Mlp;
import dev.panode.adjoint.models.MlpArchitecture;
import dev.panode.solvers.Result;
import dev.panode.solvers.RungeKutta;
import dev.panode.solvers.SaveAt;
import dev.panode.solvers.Solution;
import dev.panode.solvers.SolveOptions;
import dev.panode.solvers.Solver;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Random small MLP fields (random width, activations' weights, tolerances, save times and methods) either solve with
 * the error against a tight dop853 reference within a multiple of the tolerance, or end with a documented failure
 * code; and gradients on random small problems equal central finite differences.
 */
class RandomNeuralOdePropertiesTest {
    static final double TOLERANCE_MULTIPLE = 1000;
    static final EnumSet<Result> DOCUMENTED_FAILURES =
            EnumSet.of(Result.MAX_STEPS_REACHED, Result.DT_MIN_REACHED, Result.NONFINITE_STATE);

    static Mlp randomMlp(SplittableRandom rnd, int dim) {
        MlpArchitecture arch = MlpArchitecture.mlp3Tanh(dim, rnd.nextInt(3, 9));
        return Mlp.initialised(arch, Initialisation.PYTORCH_DEFAULT, rnd.nextLong(), rnd.nextDouble(0.5, 2.0));
    }

    static double[] sortedTimes(SplittableRandom rnd, double t1, int k) {
        double[] s = new double[k];
        for (int i = 0; i < k - 1; i++) s[i] = rnd.nextDouble(0.05, t1 - 0.05);
        s[k - 1] = t1;
        Arrays.sort(s);
        for (int i = 1; i < k; i++) if (s[i] <= s[i - 1]) s[i] = Math.nextUp(s[i - 1]);
        return s;
    }

    @Property(tries = 60)
    void randomMlpFieldsSolveAccuratelyOrFailWithADocumentedCode(@ForAll long seed,
                                                                 @ForAll @IntRange(min = 1, max = 3) int rows) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int dim = rnd.nextInt(1, 4);
        Mlp f = randomMlp(rnd, dim);
        double[] y0 = new double[rows * dim];
        for (int i = 0; i < y0.length; i++) y0[i] = rnd.nextDouble(-1.5, 1.5);
        double t1 = rnd.nextDouble(0.3, 2.0);
        double[] save = sortedTimes(rnd, t1, rnd.nextInt(1, 4));
        double rtol = Math.pow(10, rnd.nextDouble(-9, -3)), atol = rtol * Math.pow(10, rnd.nextDouble(-3, 0));
        RungeKutta[] methods = {RungeKutta.dopri5(), RungeKutta.tsit5(), RungeKutta.bosh3()};
        RungeKutta m = methods[rnd.nextInt(methods.length)];
        long maxSteps = rnd.nextInt(4) == 0 ? rnd.nextInt(1, 15) : 100_000;
        SolveOptions o = SolveOptions.builder().rtol(rtol).atol(atol).saveAt(SaveAt.times(save)).maxSteps(maxSteps)
                .throwOnFailure(false).build();
        String what = m.name() + " dim=" + dim + " rows=" + rows + " rtol=" + rtol + " atol=" + atol + " maxSteps="
                + maxSteps + " save=" + Arrays.toString(save);

        Solution s = Solver.solve(f, y0, rows, 0, t1, m, o);

        for (double v : s.states()) assertTrue(Double.isFinite(v), what + ": non-finite state returned");
        if (!s.isSuccess()) {
            assertTrue(DOCUMENTED_FAILURES.contains(s.result()), what + ": undocumented result " + s.result());
            return;
        }
        Solution ref = Solver.solve(f, y0, rows, 0, t1, RungeKutta.dop853Dense(),
                SolveOptions.builder().rtol(1e-12).atol(1e-12).saveAt(SaveAt.times(save)).build());
        assertEquals(save.length, s.size());
        for (int i = 0; i < save.length; i++) {
            double[] want = ref.state(i), got = s.state(i);
            for (int j = 0; j < want.length; j++) {
                double allowed = TOLERANCE_MULTIPLE * (atol + rtol * Math.abs(want[j])) + 1e-10;
                assertTrue(Math.abs(want[j] - got[j]) <= allowed, what + ": error " + Math.abs(want[j] - got[j])
                        + " at t = " + save[i] + ", component " + j + " exceeds " + allowed);
            }
        }
    }

    /** Σ_{i≥1} |y(t_i)|², the loss of {@link Loss#sumOfSquaresAfterStart()}, by a plain solve. */
    static double loss(Mlp f, double[] y0, int rows, double[] times, RungeKutta m, SolveOptions o) {
        double[] obs = Arrays.copyOfRange(times, 1, times.length);
        Solution s = Solver.solve(f, y0, rows, times[0], times[times.length - 1], m,
                o.toBuilder().saveAt(SaveAt.times(obs)).build());
        double l = 0;
        for (double v : s.states()) l += v * v;
        return l;
    }

    @Property(tries = 25)
    void gradientsEqualFiniteDifferencesOnRandomSmallProblems(@ForAll long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int dim = rnd.nextInt(1, 3), rows = rnd.nextInt(1, 3);
        Mlp f = randomMlp(rnd, dim);
        double[] y0 = new double[rows * dim];
        for (int i = 0; i < y0.length; i++) y0[i] = rnd.nextDouble(-1, 1);
        double t1 = rnd.nextDouble(0.3, 1.5);
        double[] times = new double[1 + rnd.nextInt(1, 3)];
        System.arraycopy(sortedTimes(rnd, t1, times.length - 1), 0, times, 1, times.length - 1);
        boolean exact = rnd.nextBoolean();
        // backprop through fixed rk4 steps is the exact gradient of the discrete map; the interpolating adjoint at a
        // tight tolerance approximates the gradient of the exact flow
        RungeKutta m = exact ? RungeKutta.rk4() : RungeKutta.dopri5();
        SolveOptions o = exact ? SolveOptions.builder().steps(16).build()
                : SolveOptions.builder().rtol(1e-11).atol(1e-11).build();
        GradientMethod g = exact ? new Backprop(Checkpointing.binomial(rnd.nextInt(2, 6)))
                : InterpolatingAdjoint.of(AdjointNorm.SEMINORM);
        GradientResult r = Gradients.compute(f, y0, rows, times, Loss.sumOfSquaresAfterStart(), m, o, g);
        double tol = exact ? 1e-6 : 2e-5;
        double eps = 1e-5;
        String what = (exact ? "backprop rk4" : "interpolating adjoint dopri5") + " dim=" + dim + " rows=" + rows
                + " times=" + Arrays.toString(times);
        assertEquals(loss(f, y0, rows, times, m, o), r.loss(), 1e-12 * (1 + Math.abs(r.loss())), what + ": loss");
        for (int i = 0; i < y0.length; i++) {
            double[] up = y0.clone(), down = y0.clone();
            up[i] += eps;
            down[i] -= eps;
            double fd = (loss(f, up, rows, times, m, o) - loss(f, down, rows, times, m, o)) / (2 * eps);
            assertEquals(fd, r.dLdy0()[i], tol * (1 + Math.abs(fd)), what + ": dL/dy0[" + i + "]");
        }
        double[] theta = f.parameters();
        for (int probe = 0; probe < 4; probe++) {
            int j = rnd.nextInt(theta.length);
            double[] up = theta.clone(), down = theta.clone();
            up[j] += eps;
            down[j] -= eps;
            double fd = (loss(f.withParameters(up), y0, rows, times, m, o)
                    - loss(f.withParameters(down), y0, rows, times, m, o)) / (2 * eps);
            assertEquals(fd, r.dLdTheta()[j], tol * (1 + Math.abs(fd)), what + ": dL/dθ[" + j + "]");
        }
    }
}
