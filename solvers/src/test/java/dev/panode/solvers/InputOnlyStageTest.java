package dev.panode.solvers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A stage that only feeds later stage inputs (b_i = 0, no dense-output weight: dopri5's k_1, dop853's k_1 .. k_4) is evaluated for the
 * components the step reads ({@link VectorField#evaluateLeadingUnchecked}) when the field reads fewer than all. A
 * field that writes NaN into the components it was told nobody reads must give the bits of the full evaluation: adaptive
 * and torchdiffeq-style steps, save times inside steps, dense output, forwards and backwards.
 */
class InputOnlyStageTest {
    /** y'' = −y as (y, v), and two quadratures of it: q0' = y², q1' = sin(t)·v. */
    static class Quadratures implements VectorField {
        int leadingCalls;

        @Override
        public void evaluate(double t, double[] s, double[] out, int rows, FieldWorkspace ws) {
            out[0] = s[1];
            out[1] = -s[0];
            out[2] = s[0] * s[0];
            out[3] = Math.sin(t) * s[1];
        }

        @Override
        public int dim() {
            return 4;
        }

        @Override
        public int componentsRead() {
            return 2;
        }
    }

    /** The same field, telling the truth about what a leading evaluation leaves: NaN where nobody should read. */
    static final class LeadingOnly extends Quadratures {
        @Override
        public void evaluateLeadingUnchecked(double t, double[] s, double[] out, int leading, int rows,
                                             FieldWorkspace ws) {
            evaluate(t, s, out, rows, ws);
            for (int j = leading; j < out.length; j++) out[j] = Double.NaN;
            leadingCalls++;
        }
    }

    @Test
    void theDenseOutputsWeighTheStagesTheyShould() {
        assertFalse(RungeKutta.dopri5().interpolant().weighs(1));
        assertFalse(RungeKutta.dopri5Torchdiffeq().interpolant().weighs(1));
        assertTrue(RungeKutta.dopri5().interpolant().weighs(2));
        assertTrue(RungeKutta.tsit5().interpolant().weighs(1));
        // the FSAL stage has b = 0 but is the next step's k_0
        assertTrue(RungeKutta.dopri5().interpolant().weighs(6));
    }

    @Test
    void aLeadingEvaluationGivesTheBitsOfAFullOne() {
        double[] y0 = {1.0, 0.3, 0.0, 0.0};
        SolveOptions adaptive = SolveOptions.builder().rtol(1e-7).atol(1e-9).build();
        SolveOptions torch = adaptive.toBuilder().torchdiffeqCompatible(true).build();
        List<OdeMethod> methods = List.of(RungeKutta.dopri5(), RungeKutta.dopri5Torchdiffeq(), RungeKutta.tsit5(),
                RungeKutta.bosh3(), RungeKutta.dop853());
        for (OdeMethod m : methods) {
            for (SolveOptions base : List.of(adaptive, torch)) {
                for (int kind = 0; kind < 3; kind++) {
                    for (double t1 : new double[] {4.0, -4.0}) {
                        double u = Math.signum(t1);
                        SaveAt at = kind == 0 ? SaveAt.times(0.0, 0.37 * u, 1.1 * u, 2.9 * u, t1)
                                : kind == 1 ? SaveAt.dense() : SaveAt.t1();
                        SolveOptions o = base.toBuilder().saveAt(at).build();
                        String what = m.name() + " " + at + (o.torchdiffeqCompatible() ? " torchdiffeq" : "") + " to " + t1;
                        Solution[] both = solveBothWays(y0, t1, m, o, what, 0);
                        Solution full = both[0], skipped = both[1];
                        if (full.hasDenseOutput()) {
                            double[] a = new double[4], b = new double[4];
                            for (int q = 0; q <= 37; q++) {
                                full.evaluate(t1 * q / 37, a);
                                skipped.evaluate(t1 * q / 37, b);
                                assertArrayEquals(a, b, 0.0, what + " at " + t1 * q / 37);
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * Under a norm of the components the field reads (a seminorm), the initial-step heuristic's probe evaluation is a
     * leading one too ({@link Stepper#probeComponents}): the same step sizes and states as the full evaluation, one
     * leading call more per solve than the input-only stages make. Under the full norm the probe stays full.
     */
    @Test
    void theInitialStepsProbeUnderASeminormEvaluatesTheMeasuredComponentsOnly() {
        double[] y0 = {1.0, 0.3, 0.0, 0.0};
        BlockNorm semi = BlockNorm.of(dev.panode.simd.NormKind.RMS, new int[] {0}, new int[] {2});
        SolveOptions seminorm = SolveOptions.builder().rtol(1e-7).atol(1e-9).errorNorm(semi).build();
        SolveOptions full = seminorm.toBuilder().errorNorm(ErrorNorm.rms()).build();
        List<OdeMethod> methods = List.of(RungeKutta.dopri5(), RungeKutta.dopri5Torchdiffeq(), RungeKutta.tsit5(),
                RungeKutta.bosh3(), RungeKutta.dop853());
        for (OdeMethod m : methods) {
            for (SolveOptions base : List.of(seminorm, full)) {
                for (boolean torch : new boolean[] {false, true}) {
                    for (double t1 : new double[] {4.0, -4.0}) {
                        SolveOptions o = base.toBuilder().torchdiffeqCompatible(torch).saveAt(SaveAt.t1()).build();
                        boolean semiNorm = base == seminorm;
                        String what = m.name() + (semiNorm ? " seminorm" : " full norm")
                                + (torch ? " torchdiffeq" : "") + " to " + t1;
                        solveBothWays(y0, t1, m, o, what, semiNorm ? 1 : 0);
                    }
                }
            }
        }
    }

    /**
     * Solves with every component evaluated and with {@link LeadingOnly}; asserts the same states and statistics, and
     * as many leading calls as the method has input-only stages per attempt (dopri5's k_1; dop853's k_1 .. k_4: b_1 ..
     * b_4 = 0, and its cubic Hermite output weighs b) plus {@code probes}. Returns both solutions, the full one first.
     */
    private static Solution[] solveBothWays(double[] y0, double t1, OdeMethod m, SolveOptions o, String what,
                                            int probes) {
        Solution full = Solver.solve(new Quadratures(), y0, 1, 0.0, t1, m, o);
        LeadingOnly leading = new LeadingOnly();
        Solution skipped = Solver.solve(leading, y0, 1, 0.0, t1, m, o);
        assertEquals(Result.SUCCESSFUL, skipped.result(), what);
        assertArrayEquals(full.states(), skipped.states(), 0.0, what);
        assertEquals(full.stats(), skipped.stats(), what);
        int inputOnly = m.name().startsWith("dopri5") ? 1 : m.name().equals("dop853") ? 4 : 0;
        long attempts = full.stats().accepted() + full.stats().rejected();
        assertEquals(inputOnly * attempts + probes, leading.leadingCalls, what);
        return new Solution[] {full, skipped};
    }
}
