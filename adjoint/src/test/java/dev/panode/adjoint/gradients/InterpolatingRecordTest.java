package dev.panode.adjoint.gradients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.adjoint.models.Activation;
import dev.panode.adjoint.models.Mlp;
import dev.panode.adjoint.models.TanhField;
import dev.panode.blas.testing.Allocations;
import dev.panode.solvers.FieldWorkspace;
import dev.panode.solvers.OdeMethod;
import dev.panode.solvers.OdeProblem;
import dev.panode.solvers.RungeKutta;
import dev.panode.solvers.SolveOptions;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The interpolating adjoint's forward record (every step's state and stages kept as the forward solve took them)
 * against the re-solved segments it replaces: the same bits for FSAL and non-FSAL methods, adaptive and fixed steps,
 * with the record dropped part-way through the forward solve, and with thinned checkpoints; nothing re-solved when the
 * record holds; its bytes within the budget; nothing allocated once warm. And the backward VJPs' reuse of the forward
 * pass at a repeated point (a field that saves its evaluations): the bits of plain VJPs, with fewer forward passes.
 */
class InterpolatingRecordTest {
    static final int D = 3;
    static final int ROWS = 2;
    static final int N = D * ROWS;
    static final double[] Y0 = {0.4, -0.2, 0.9, -1.0, 0.3, 0.1};
    static final double[] TIMES = {0.0, 0.33, 0.71, 1.3};

    static GradientResult gradient(TanhField f, OdeMethod m, SolveOptions o, Checkpointing cp) {
        return Gradients.of(OdeProblem.of(f, Y0, TIMES), GradientMethodsTest.mse()).method(m).options(o)
                .gradientMethod(InterpolatingAdjoint.of(AdjointNorm.SEMINORM).withCheckpointing(cp))
                .withTimeGradients().compute();
    }

    @Test
    void theRecordGivesTheBitsOfTheReSolvedSegments() {
        SolveOptions adaptive = SolveOptions.builder().rtol(1e-8).atol(1e-10).build();
        SolveOptions torch = adaptive.toBuilder().torchdiffeqCompatible(true).build();
        SolveOptions fixed = SolveOptions.builder().steps(23).build();
        List<Object[]> cases = List.of(new Object[] {RungeKutta.dopri5(), adaptive},
                new Object[] {RungeKutta.dopri5(), torch}, new Object[] {RungeKutta.tsit5(), adaptive},
                new Object[] {RungeKutta.bosh3(), adaptive}, new Object[] {RungeKutta.rk4(), fixed},
                new Object[] {RungeKutta.heun(), fixed}, new Object[] {RungeKutta.dop853(), adaptive.toBuilder().rtol(1e-12).atol(1e-13).build()});
        TanhField f = new TanhField(D, 7);
        for (Object[] c : cases) {
            OdeMethod m = (OdeMethod) c[0];
            SolveOptions o = (SolveOptions) c[1];
            String what = m.name() + (o.torchdiffeqCompatible() ? " (torchdiffeq)" : "");
            GradientResult recorded = gradient(f, m, o, Checkpointing.all());
            int steps = (int) recorded.stats().forwardSteps();
            int s = ((RungeKutta) m).tableau().stages();
            assertTrue(steps > 8, what + ": steps " + steps);
            assertTrue(recorded.stats().stagesSaved(), what);
            assertEquals(0, recorded.stats().stepsRecomputed(), what);
            assertEquals(0, recorded.stats().checkpointBytes(), what);
            assertEquals((long) steps * (s + 1) * N * Double.BYTES, recorded.stats().savedStageBytes(), what);
            // every state fits, the record does not: dropped part-way, segments of one step re-solved
            long slot = (long) N * Double.BYTES;
            GradientResult resolved = gradient(f, m, o, Checkpointing.budget(steps * slot));
            assertFalse(resolved.stats().stagesSaved(), what);
            assertTrue(resolved.stats().stepsRecomputed() >= steps, what + ": " + resolved.stats().stepsRecomputed());
            assertEquals(0, resolved.stats().savedStageBytes(), what);
            GradientSessionTest.assertSameBits(recorded, resolved, what + ": record against re-solved steps");
            // thinned checkpoints (every second or fourth step): the same steps replayed from further back
            GradientResult thinned = gradient(f, m, o, Checkpointing.binomial(steps / 3));
            assertFalse(thinned.stats().stagesSaved(), what);
            GradientSessionTest.assertSameBits(recorded, thinned, what + ": record against thinned checkpoints");
            // a budget that holds the whole record
            GradientResult within = gradient(f, m, o, Checkpointing.budget(steps * (s + 1) * slot));
            assertTrue(within.stats().stagesSaved(), what);
            GradientSessionTest.assertSameBits(recorded, within, what + ": record within a budget");
        }
    }

    @Test
    void aWarmRecordedGradientAllocatesNothing() {
        TanhField f = new TanhField(D, 4);
        SolveOptions o = SolveOptions.builder().rtol(1e-7).atol(1e-9).build();
        try (GradientSession session = Gradients.of(OdeProblem.of(f, Y0, TIMES), GradientMethodsTest.mse())
                .method(RungeKutta.dopri5()).options(o)
                .gradientMethod(InterpolatingAdjoint.of(AdjointNorm.SEMINORM)).session()) {
            session.compute(Y0);
            assertTrue(session.stats().stagesSaved());
            Allocations.assertNoAllocation("interpolating adjoint, forward recorded", 50, 20,
                    () -> session.compute(Y0));
        }
    }

    /** The MLP, its saved forward passes and VJPs counted; with {@code saves} false it hides its saving. */
    static final class Delegating extends UncheckedInnerLoopsTest.Counting {
        final boolean saves;
        int forwardPasses, fromSaved;

        Delegating(Mlp mlp, boolean saves) {
            super(mlp);
            this.saves = saves;
        }

        @Override
        public int savedLength(int rows) {
            return saves ? super.savedLength(rows) : 0;
        }

        @Override
        public void evaluateSavingUnchecked(double t, double[] y, double[] out, double[] saved, int rows,
                                            FieldWorkspace ws) {
            forwardPasses++;
            super.evaluateSavingUnchecked(t, y, out, saved, rows, ws);
        }

        @Override
        public double vjpFromSavedUnchecked(double t, double[] saved, double[] v, double[] yBar, double[] thetaBar,
                                            int rows, boolean wantTime, FieldWorkspace ws) {
            fromSaved++;
            return super.vjpFromSavedUnchecked(t, saved, v, yBar, thetaBar, rows, wantTime, ws);
        }
    }

    @Test
    void aRepeatedPointReusesItsForwardPassWithTheBitsOfPlainVjps() {
        Mlp mlp = GradientSessionTest.mlp(Activation.TANH);
        double[] y0 = GradientSessionTest.Y0;
        double[] times = GradientSessionTest.MULTI;
        for (AdjointNorm norm : AdjointNorm.values()) {
            for (boolean wantTime : new boolean[] {false, true}) {
                Delegating saving = new Delegating(mlp, true);
                Delegating plain = new Delegating(mlp, false);
                GradientResult[] r = new GradientResult[2];
                int k = 0;
                for (Delegating f : List.of(saving, plain)) {
                    GradientRequest q = Gradients.of(OdeProblem.of(f, y0, times), GradientSessionTest.mse(times))
                            .options(GradientSessionTest.DOPRI).gradientMethod(InterpolatingAdjoint.of(norm));
                    r[k++] = (wantTime ? q.withTimeGradients() : q).compute();
                }
                String what = norm + (wantTime ? ", time gradients" : "");
                GradientSessionTest.assertSameBits(r[1], r[0], what);
                assertEquals(0, plain.fromSaved, what);
                long timeEvaluations = wantTime ? times.length - 1 : 0; // g_i·f(t_i, y_i), plain evaluations
                assertEquals(r[0].stats().backwardNfe() - timeEvaluations, saving.fromSaved,
                        what + ": every backward VJP from saved");
                assertTrue(saving.forwardPasses < saving.fromSaved * 5 / 6, what + ": forward passes "
                        + saving.forwardPasses + " for " + saving.fromSaved + " VJPs");
            }
        }
    }
}
