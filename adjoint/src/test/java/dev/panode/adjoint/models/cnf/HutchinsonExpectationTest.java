package dev.panode.adjoint.models.cnf;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.adjoint.models.Activation;
import dev.panode.adjoint.models.SplitMix64;
import dev.panode.solvers.FieldWorkspace;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Hutchinson's estimator is unbiased: over K independent probes the mean of εᵀ(∂f/∂z)ε lies within 4 standard errors
 * (the sample standard deviation over √K) of the exact trace, for each of several rows. With K = 4000 a biased
 * estimator (say, off by a tenth of the standard deviation) would fail; an unbiased one fails with probability about
 * 6e-5 per row, and the seeds are fixed.
 */
class HutchinsonExpectationTest {
    private static final int PROBES = 4000;

    @ParameterizedTest
    @EnumSource(value = TraceEstimator.class, names = {"HUTCHINSON_RADEMACHER", "HUTCHINSON_GAUSSIAN"})
    void meanOverManyProbesIsTheExactTrace(TraceEstimator est) {
        int dim = 4, rows = 3;
        CnfField exact = CnfFieldTest.field(dim, Activation.TANH, TraceEstimator.EXACT, rows, 21, false);
        CnfField hutch = exact.withParameters(exact.parameters(), est, PROBES);
        double t = 0.3;
        double[] y = CnfFieldTest.randomState(rows, dim, new SplitMix64(4));
        double[] out = new double[rows * (dim + 1)];
        exact.evaluate(t, y, out, rows, exact.newWorkspace(rows));

        // PROBES copies of each row, each with its own ε
        double[] ys = new double[PROBES * (dim + 1)];
        double[] outs = new double[ys.length];
        hutch.resampleNoise(new SplitMix64(99));
        FieldWorkspace ws = hutch.newWorkspace(PROBES);
        for (int r = 0; r < rows; r++) {
            for (int k = 0; k < PROBES; k++) System.arraycopy(y, r * (dim + 1), ys, k * (dim + 1), dim + 1);
            hutch.evaluate(t, ys, outs, PROBES, ws);
            double sum = 0.0, sumSq = 0.0;
            for (int k = 0; k < PROBES; k++) {
                double e = -outs[k * (dim + 1) + dim];
                sum += e;
                sumSq += e * e;
            }
            double mean = sum / PROBES;
            double sd = Math.sqrt((sumSq - PROBES * mean * mean) / (PROBES - 1));
            double se = sd / Math.sqrt(PROBES);
            double trace = -out[r * (dim + 1) + dim];
            assertTrue(sd > 1e-3 * Math.abs(trace), est + ": the estimates must vary, sd " + sd);
            assertTrue(Math.abs(mean - trace) <= 4 * se,
                    est + " row " + r + ": mean " + mean + " vs exact " + trace + ", 4 SE = " + 4 * se);
        }
    }
}
