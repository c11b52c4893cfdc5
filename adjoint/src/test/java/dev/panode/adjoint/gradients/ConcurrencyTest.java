package dev.panode.adjoint.gradients;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.panode.adjoint.models.Initialisation;
import dev.panode.adjoint.models.Mlp;
import dev.panode.adjoint.models.MlpArchitecture;
import dev.panode.solvers.RungeKutta;
import dev.panode.solvers.SaveAt;
import dev.panode.solvers.Solution;
import dev.panode.solvers.SolveOptions;
import dev.panode.solvers.Solver;
import dev.panode.solvers.SolverWorkspace;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * 8 threads each run 1000 solves and 1000 gradients sharing the method, the options and the field (an MLP whose
 * parameters are only read); each thread has its own {@link SolverWorkspace}. Every result is bitwise equal to the
 * sequential one.
 */
class ConcurrencyTest {
    private static final int THREADS = 8, ITERATIONS = 1000, VARIANTS = 5, ROWS = 2;
    private static final Mlp FIELD = Mlp.initialised(MlpArchitecture.mlp3Tanh(2, 8), Initialisation.PYTORCH_DEFAULT, 7);
    private static final RungeKutta METHOD = RungeKutta.dopri5();
    private static final SolveOptions OPTIONS = SolveOptions.builder().rtol(1e-6).atol(1e-8)
            .saveAt(SaveAt.times(0.25, 0.5, 1.0)).build();
    private static final double[] TIMES = {0, 0.5, 1.0};
    private static final GradientMethod[] GRADIENTS = {new Backprop(Checkpointing.binomial(3)),
            InterpolatingAdjoint.of(AdjointNorm.SEMINORM), BacksolveAdjoint.of(AdjointNorm.SEMINORM)};

    private static double[] y0(int variant) {
        return new double[] {1.0 + 0.1 * variant, -0.5, 0.3 * variant, 0.7 - 0.05 * variant};
    }

    /** Everything one solve and one gradient produce, flattened. */
    private static double[] run(int variant, SolverWorkspace ws) {
        double[] y0 = y0(variant);
        Solution s = Solver.solve(FIELD, y0, ROWS, 0, 1, METHOD, OPTIONS, ws);
        GradientResult g = Gradients.compute(FIELD, y0, ROWS, TIMES, Loss.sumOfSquaresAfterStart(), METHOD, OPTIONS,
                GRADIENTS[variant % GRADIENTS.length]);
        double[] states = s.states();
        double[] out = new double[states.length + 1 + g.dLdy0().length + g.dLdTheta().length];
        System.arraycopy(states, 0, out, 0, states.length);
        out[states.length] = g.loss();
        System.arraycopy(g.dLdy0(), 0, out, states.length + 1, g.dLdy0().length);
        System.arraycopy(g.dLdTheta(), 0, out, states.length + 1 + g.dLdy0().length, g.dLdTheta().length);
        return out;
    }

    @Test
    void sharedSolverFieldAndOptionsGiveBitwiseTheSequentialResults() throws Exception {
        double[][] sequential = new double[VARIANTS][];
        SolverWorkspace seqWs = new SolverWorkspace();
        for (int v = 0; v < VARIANTS; v++) sequential[v] = run(v, seqWs);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<Integer>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    SolverWorkspace ws = new SolverWorkspace();
                    for (int i = 0; i < ITERATIONS; i++) {
                        int v = (thread + i) % VARIANTS;
                        double[] r = run(v, ws);
                        assertArrayEquals(sequential[v], r, 0.0,
                                "thread " + thread + ", iteration " + i + ", variant " + v);
                        for (int j = 0; j < r.length; j++) {
                            if (Double.doubleToRawLongBits(r[j]) != Double.doubleToRawLongBits(sequential[v][j])) {
                                throw new AssertionError("bitwise difference: thread " + thread + ", iteration " + i
                                        + ", entry " + j);
                            }
                        }
                    }
                    return ITERATIONS;
                }));
            }
            int done = 0;
            for (Future<Integer> f : futures) done += f.get();
            assertEquals(THREADS * ITERATIONS, done);
        } finally {
            pool.shutdownNow();
        }
    }
}
