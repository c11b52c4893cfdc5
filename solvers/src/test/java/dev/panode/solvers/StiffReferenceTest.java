package dev.panode.solvers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The implicit methods against the IVP Test Set's reference solutions (RADAU5 at tol 1.1e-18): HIRES at t = 321.8122,
 * Van der Pol with ε = 1e-6 at t = 2, Robertson at t = 1e11, at rtol 1e-8. Each final state must be within 10·rtol
 * relative in every component. The step, evaluation, Jacobian and factorisation counts are printed.
 */
class StiffReferenceTest {
    private static final List<OdeMethod> METHODS = List.of(Esdirk.kvaerno5(), Rosenbrock.rodas5p());

    private static Solution solve(VectorField f, double[] y0, double t1, OdeMethod m, SolveOptions o) {
        return Solver.solve(f, y0, 1, 0.0, t1, m, o);
    }

    private static void check(String problem, VectorField f, double[] y0, double t1, double[] ref, double rtol,
                              double[] atol) {
        for (OdeMethod m : METHODS) {
            SolveOptions o = SolveOptions.builder().rtol(rtol).atol(atol).maxSteps(200_000).build();
            Solution s = solve(f, y0, t1, m, o);
            double err = StiffProblems.maxRelativeError(s.lastState(), 0, ref);
            Stats st = s.stats();
            System.out.printf("[StiffReferenceTest] %-9s %-8s rtol %.0e: max rel error %.2e, steps %d (+%d rejected), "
                            + "nfe %d, Jacobians %d, LUs %d%n", problem, m.name(), rtol, err, st.accepted(), st.rejected(),
                    st.nfe(), st.jacobians(), st.factorisations());
            assertTrue(err <= 10 * rtol, problem + " " + m.name() + ": relative error " + err + " > 10·rtol");
            assertTrue(st.jacobians() > 0 && st.factorisations() >= st.jacobians(), st.toString());
        }
    }

    @Test
    void hires() {
        check("HIRES", StiffProblems.HIRES, StiffProblems.HIRES_Y0, StiffProblems.HIRES_T1, StiffProblems.HIRES_REF,
                1e-8, fill(8, 1e-14));
    }

    @Test
    void vanDerPolStiff() {
        check("VDPOL", StiffProblems.VDPOL, StiffProblems.VDPOL_Y0, 2.0, StiffProblems.VDPOL_REF, 1e-8,
                fill(2, 1e-12));
    }

    @Test
    void robertson() {
        check("ROBER", StiffProblems.ROBER, StiffProblems.ROBER_Y0, StiffProblems.ROBER_T1, StiffProblems.ROBER_REF,
                1e-8, new double[] {1e-20, 1e-24, 1e-20});
    }

    private static double[] fill(int n, double v) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, v);
        return a;
    }
}
