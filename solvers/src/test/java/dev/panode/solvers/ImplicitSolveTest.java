package dev.panode.solvers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.blas.testing.Allocations;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The implicit methods inside the ordinary solve: finite-difference Jacobians against analytic ones, batches of rows
 * (block-diagonal Jacobian, one LU per row), saving at times through the dense output, CVODE's cvRoberts_dns setting,
 * explicit methods on the same stiff problem, bad input, and no allocation per step.
 */
class ImplicitSolveTest {
    private static final List<OdeMethod> METHODS = List.of(Esdirk.kvaerno5(), Rosenbrock.rodas5p());

    @Test
    void finiteDifferenceJacobiansGiveTheSameAnswer() {
        SolveOptions o = SolveOptions.builder().rtol(1e-7).atol(1e-12).build();
        for (OdeMethod m : METHODS) {
            Solution analytic = Solver.solve(StiffProblems.HIRES, StiffProblems.HIRES_Y0, 1, 0, StiffProblems.HIRES_T1, m, o);
            Solution fd = Solver.solve(StiffProblems.withoutJacobian(StiffProblems.HIRES), StiffProblems.HIRES_Y0, 1, 0,
                    StiffProblems.HIRES_T1, m, o);
            double errA = StiffProblems.maxRelativeError(analytic.lastState(), 0, StiffProblems.HIRES_REF);
            double errF = StiffProblems.maxRelativeError(fd.lastState(), 0, StiffProblems.HIRES_REF);
            System.out.printf("[ImplicitSolveTest] HIRES %s rtol 1e-7: analytic J %.1e (%s), differences %.1e (%s)%n",
                    m.name(), errA, analytic.stats(), errF, fd.stats());
            assertTrue(errA < 1e-6 && errF < 1e-6, m.name() + ": " + errA + ", " + errF);
            // differences cost dim = 8 evaluations per Jacobian (and Rodas5P one more per step for ∂f/∂t)
            assertTrue(fd.stats().nfe() >= analytic.stats().nfe() - 50 + 8 * fd.stats().jacobians() / 2, fd.stats().toString());
        }
    }

    @Test
    void eachRowOfABatchIsSolvedWithItsOwnJacobian() {
        // three Van der Pol oscillators of different stiffness-relevant states in one batch, differenced Jacobians
        double[] y0 = {2, 0, 1.5, -0.3, -1.0, 0.7};
        VectorField f = StiffProblems.withoutJacobian(StiffProblems.VDPOL);
        SolveOptions o = SolveOptions.builder().rtol(1e-7).atol(1e-9).saveAt(SaveAt.times(0.5, 1.0)).build();
        for (OdeMethod m : METHODS) {
            Solution batch = Solver.solve(f, y0, 3, 0, 1.0, m, o);
            for (int r = 0; r < 3; r++) {
                double[] one = {y0[2 * r], y0[2 * r + 1]};
                Solution single = Solver.solve(StiffProblems.VDPOL, one, 1, 0, 1.0, m,
                        SolveOptions.builder().rtol(1e-10).atol(1e-12).saveAt(SaveAt.times(0.5, 1.0)).build());
                for (int k = 0; k < 2; k++) {
                    double[] b = batch.state(k), s = single.state(k);
                    assertEquals(s[0], b[2 * r], 1e-5 * (1 + Math.abs(s[0])), m.name() + " row " + r + " y1 at save " + k);
                    assertEquals(s[1], b[2 * r + 1], 1e-5 * (1 + Math.abs(s[1])), m.name() + " row " + r + " y2 at save " + k);
                }
            }
        }
    }

    @Test
    void savedTimesInsideStepsComeFromTheDenseOutput() {
        // y' = A y with a stiff mode: the saved states between steps against expm(A t) y0
        double[] a = {-0.1, 2.0, 0.0, -2.0, -0.1, 0.5, 0.0, 0.0, -1000.0};
        double[] y0 = {1.0, 0.0, 0.5};
        double[] times = {0.05, 0.37, 0.9, 1.45, 2.0};
        for (OdeMethod m : METHODS) {
            Solution s = Solver.solve(Problems.linear(a, 3), y0, 1, 0, 2.0, m,
                    SolveOptions.builder().rtol(1e-8).atol(1e-10).saveAt(SaveAt.times(times)).build());
            assertTrue(s.stats().accepted() < 200, m.name() + " took " + s.stats().accepted() + " steps");
            for (int k = 0; k < times.length; k++) {
                double err = Problems.maxAbsDiff(s.state(k), Problems.linearExact(a, 3, y0, times[k]));
                assertTrue(err < 1e-5, m.name() + " at t = " + times[k] + ": " + err);
            }
        }
    }

    /**
     * SUNDIALS' cvRoberts_dns example: Robertson, rtol 1e-4, atol (1e-8, 1e-14, 1e-6), output at 0.4·10^k up to 4e10.
     * CVODE (BDF, analytic Jacobian) reports 509 steps, 729 RHS evaluations, 11 Jacobians there. Each output must be
     * within 10·(rtol·|y| + atol) of a tight reference in every component.
     */
    @Test
    void cvodeRobertsDenseSetting() {
        double[] times = new double[12];
        for (int k = 0; k < 12; k++) times[k] = 0.4 * Math.pow(10, k);
        double[] atol = {1e-8, 1e-14, 1e-6};
        Solution ref = Solver.solve(StiffProblems.ROBER, StiffProblems.ROBER_Y0, 1, 0, 4e10, Rosenbrock.rodas5p(),
                SolveOptions.builder().rtol(1e-11).atol(new double[] {1e-18, 1e-22, 1e-18}).saveAt(SaveAt.times(times))
                        .maxSteps(1_000_000).build());
        for (OdeMethod m : METHODS) {
            for (VectorField f : List.of(StiffProblems.ROBER, StiffProblems.withoutJacobian(StiffProblems.ROBER))) {
                Solution s = Solver.solve(f, StiffProblems.ROBER_Y0, 1, 0, 4e10, m,
                        SolveOptions.builder().rtol(1e-4).atol(atol).saveAt(SaveAt.times(times)).build());
                Stats st = s.stats();
                System.out.printf("[ImplicitSolveTest] cvRoberts_dns setting, %s, %s Jacobian: steps %d (+%d rejected), "
                                + "nfe %d, Jacobians %d, LUs %d (CVODE: 509 steps, 729 RHS, 11 Jacobians)%n", m.name(),
                        f instanceof JacobianField ? "analytic" : "difference", st.accepted(), st.rejected(), st.nfe(),
                        st.jacobians(), st.factorisations());
                for (int k = 0; k < times.length; k++) {
                    double[] y = s.state(k), r = ref.state(k);
                    for (int i = 0; i < 3; i++) {
                        double bound = 10 * (1e-4 * Math.abs(r[i]) + atol[i]);
                        assertTrue(Math.abs(y[i] - r[i]) <= bound, m.name() + " t = " + times[k] + " y" + (i + 1) + " = "
                                + y[i] + ", reference " + r[i]);
                    }
                }
            }
        }
    }

    @Test
    void explicitMethodsCrawlOnTheStiffProblem() {
        SolveOptions o = SolveOptions.builder().rtol(1e-6).atol(1e-10).maxSteps(100_000).throwOnFailure(false).build();
        Solution explicit = Solver.solve(StiffProblems.HIRES, StiffProblems.HIRES_Y0, 1, 0, StiffProblems.HIRES_T1,
                RungeKutta.dopri5(), o);
        Solution implicit = Solver.solve(StiffProblems.HIRES, StiffProblems.HIRES_Y0, 1, 0, StiffProblems.HIRES_T1,
                Esdirk.kvaerno5(), o);
        System.out.printf("[ImplicitSolveTest] HIRES rtol 1e-6: dopri5 %s; kvaerno5 %s%n", explicit.stats(), implicit.stats());
        assertTrue(explicit.stats().accepted() > 5 * implicit.stats().accepted(), explicit.stats() + " vs " + implicit.stats());
    }

    @Test
    void denseTrajectoryIsRefusedWithTheReason() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Solver.solve(StiffProblems.VDPOL,
                StiffProblems.VDPOL_Y0, 1, 0, 1, Esdirk.kvaerno5(), SolveOptions.builder().saveAt(SaveAt.dense()).build()));
        assertTrue(e.getMessage().contains("SaveAt.dense() needs a RungeKutta method, got kvaerno5"), e.getMessage());
    }

    @Test
    void stepsAllocateNothingAfterWarmUp() {
        for (OdeMethod m : METHODS) {
            for (VectorField f : List.of(StiffProblems.ROBER, StiffProblems.withoutJacobian(StiffProblems.ROBER))) {
                SolverWorkspace ws = new SolverWorkspace();
                double[] y0 = {1, 0, 0, 0.9, 1e-5, 0.1};
                SolveOptions shortOpts = SolveOptions.builder().rtol(1e-6).atol(new double[] {1e-10, 1e-14, 1e-10})
                        .saveAt(SaveAt.times(0.3, 1.0)).build();
                SolveOptions longOpts = shortOpts.toBuilder().saveAt(SaveAt.times(0.3, 1e6)).build();
                for (int i = 0; i < 300; i++) {
                    Solver.solve(f, y0, 2, 0, 1.0, m, shortOpts, ws);
                    Solver.solve(f, y0, 2, 0, 1e6, m, longOpts, ws);
                }
                long shortSteps = Solver.solve(f, y0, 2, 0, 1.0, m, shortOpts, ws).stats().accepted();
                long longSteps = Solver.solve(f, y0, 2, 0, 1e6, m, longOpts, ws).stats().accepted();
                assertTrue(longSteps > shortSteps + 20, longSteps + " vs " + shortSteps);
                Allocations.assertSameBytes(m.name() + (f instanceof JacobianField ? "" : ", differenced J")
                                + ": bytes of a short and a long solve must be equal",
                        () -> Solver.solve(f, y0, 2, 0, 1.0, m, shortOpts, ws),
                        () -> Solver.solve(f, y0, 2, 0, 1e6, m, longOpts, ws), 0, 1);
            }
        }
    }
}
