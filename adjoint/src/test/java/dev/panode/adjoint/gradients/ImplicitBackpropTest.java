package dev.panode.adjoint.gradients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.adjoint.models.DifferentiableField;
import dev.panode.adjoint.models.LinearField;
import dev.panode.blas.testing.Allocations;
import dev.panode.solvers.Esdirk;
import dev.panode.solvers.OdeMethod;
import dev.panode.solvers.Rosenbrock;
import dev.panode.solvers.RungeKutta;
import dev.panode.solvers.SolveOptions;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Backprop through the implicit methods (the discrete adjoints {@link EsdirkReverse} and {@link RosenbrockReverse}):
 * one step against central differences of the replayed step, whole solves against central differences of the
 * discrete solve (constant steps) and against the continuous gradient (backsolve adjoint, tight tolerances), on a
 * stiff linear problem and nonlinear ones (Robertson, Van der Pol μ = 1000, the non-autonomous Prothero–Robinson).
 */
class ImplicitBackpropTest {
    /** Stiff linear: eigenvalues about −1 and −400 per sample; θ = A. */
    private static final double[] A = {-1.0, 0.5, 2.0, -400.0};

    private static StepReversal reversal(OdeMethod m, DifferentiableField f, int rows, SolveOptions o, boolean frozen) {
        return m instanceof Esdirk e ? new EsdirkReverse(f, e, rows, f.dim(), o)
                : new RosenbrockReverse(f, (Rosenbrock) m, rows, f.dim(), o, frozen);
    }

    /** @param fd the relative step of the central differences */
    private record Case(String name, Supplier<DifferentiableField> field, double[] y, double t, double h, double fd) {}

    private static List<Case> cases() {
        return List.of(
                new Case("linear", () -> new LinearField(A.clone(), 2), new double[] {1.0, 0.3, -0.5, 0.8}, 0.2, 0.05,
                        1e-6),
                new Case("robertson", StiffFields::robertson, new double[] {0.98, 3.1e-5, 0.02}, 0.3, 0.05,
                        1e-6),
                new Case("vanDerPol", () -> StiffFields.vanDerPol(1000), new double[] {1.9, -0.7, -1.2, 0.95}, 0.0, 0.01,
                        1e-6),
                // a wider step: the stepper's forward difference in t carries rounding noise of about 1e-9 per step
                new Case("protheroRobinson", () -> StiffFields.protheroRobinson(1000, 2), new double[] {0.3, 0.1}, 0.4,
                        0.1, 1e-4));
    }

    /** ⟨w, step(y)⟩ for the given parameters (restored after). */
    private static double project(OdeMethod m, Case c, double[] y, double[] theta, double[] w, SolveOptions o) {
        DifferentiableField f = c.field().get();
        System.arraycopy(theta, 0, f.parameters(), 0, theta.length);
        int rows = y.length / f.dim();
        double[] out = new double[y.length];
        reversal(m, f, rows, o, false).advance(c.t(), c.h(), y, out);
        double acc = 0;
        for (int j = 0; j < y.length; j++) acc += w[j] * out[j];
        return acc;
    }

    @Test
    void oneStepMatchesDifferencesOfTheReplayedStep() {
        SolveOptions o = SolveOptions.builder().rtol(1e-10).atol(1e-12).build();
        for (OdeMethod m : List.of(Esdirk.kvaerno5(), Rosenbrock.rodas5p())) {
            for (Case c : cases()) {
                DifferentiableField f = c.field().get();
                int n = c.y().length, rows = n / f.dim(), pc = f.parameterCount();
                double[] w = new double[n];
                for (int j = 0; j < n; j++) w[j] = 0.7 - 0.35 * j;
                double[] theta0 = f.parameters().clone();
                double[][] grads = new double[2][];
                for (int frozen = 0; frozen < (m instanceof Rosenbrock ? 2 : 1); frozen++) {
                    StepReversal rev = reversal(m, f, rows, o, frozen == 1);
                    double[] yBar = w.clone(), thetaBar = new double[pc];
                    rev.beginReverse();
                    rev.reverse(c.t(), c.h(), c.y(), yBar, thetaBar, null, 0);
                    double[] g = new double[n + pc];
                    System.arraycopy(yBar, 0, g, 0, n);
                    System.arraycopy(thetaBar, 0, g, n, pc);
                    grads[frozen] = g;
                }
                double[] fd = new double[n + pc];
                double scale = 0;
                for (int j = 0; j < n + pc; j++) {
                    double[] yp = c.y().clone(), ym = c.y().clone(), tp = theta0.clone(), tm = theta0.clone();
                    double e;
                    if (j < n) {
                        e = c.fd() * Math.max(1e-3, Math.abs(yp[j]));
                        yp[j] += e;
                        ym[j] -= e;
                    } else {
                        e = c.fd() * Math.abs(tp[j - n]);
                        tp[j - n] += e;
                        tm[j - n] -= e;
                    }
                    fd[j] = (project(m, c, yp, tp, w, o) - project(m, c, ym, tm, w, o)) / (2 * e);
                    scale = Math.max(scale, Math.abs(fd[j]) * (j < n ? 1 : Math.abs(theta0[j - n])));
                }
                double err = 0, frozenErr = 0;
                for (int j = 0; j < n + pc; j++) {
                    double unit = j < n ? 1 : Math.abs(theta0[j - n]); // relative to a relative change of θ
                    err = Math.max(err, Math.abs(grads[0][j] - fd[j]) * unit / scale);
                    if (grads[1] != null) frozenErr = Math.max(frozenErr, Math.abs(grads[1][j] - fd[j]) * unit / scale);
                }
                System.out.printf("[ImplicitBackpropTest] one step %s %s: max rel. error %.2e%s%n", m.name(), c.name(),
                        err, grads[1] == null ? "" : String.format(", frozen J %.2e", frozenErr));
                assertTrue(err < 1e-6, m.name() + " " + c.name() + ": " + err);
                if (grads[1] != null && !c.name().equals("robertson")) {
                    assertTrue(frozenErr > 100 * err, m.name() + " " + c.name() + " frozen J " + frozenErr);
                }
            }
        }
    }

    private record Solve(String name, Supplier<DifferentiableField> field, double[] y0, double[] times) {}

    private static List<Solve> solves() {
        return List.of(
                new Solve("linear", () -> new LinearField(A.clone(), 2), new double[] {1.0, 0.3, -0.5, 0.8},
                        new double[] {0, 0.5, 1}),
                // on the slow manifold: with constant steps Kvaerno5's Newton iteration cannot ride out the initial
                // transient from a state off it (an adaptive solve rejects and shrinks the step)
                new Solve("robertson", StiffFields::robertson, new double[] {0.98, 3.3e-5, 0.02},
                        new double[] {0, 0.5, 1}),
                // on the slow branch until t ≈ 0.5, before the relaxation jump (constant steps cannot take it)
                new Solve("vanDerPol", () -> StiffFields.vanDerPol(1000), new double[] {2, -2.0 / 3, 1.8, 1.8 / (1 - 3.24)},
                        new double[] {0, 0.2, 0.4}),
                new Solve("protheroRobinson", () -> StiffFields.protheroRobinson(1000, 2), new double[] {0.3, 0.1},
                        new double[] {0, 0.5, 1}));
    }

    /** Max over y0 and θ of |g − reference|, relative to the largest reference entry (θ entries per relative change). */
    private static double relativeError(double[] g, double[] ref, double[] theta, int n) {
        double scale = 0, err = 0;
        for (int j = 0; j < ref.length; j++) scale = Math.max(scale, Math.abs(ref[j]) * (j < n ? 1 : Math.abs(theta[j - n])));
        for (int j = 0; j < ref.length; j++) err = Math.max(err, Math.abs(g[j] - ref[j]) * (j < n ? 1 : Math.abs(theta[j - n])));
        return err / scale;
    }

    private static double[] gradient(GradientSession s, double[] y0) {
        s.compute(y0);
        double[] g = new double[y0.length + s.dLdTheta().length];
        System.arraycopy(s.dLdy0(), 0, g, 0, y0.length);
        System.arraycopy(s.dLdTheta(), 0, g, y0.length, s.dLdTheta().length);
        return g;
    }

    @Test
    void wholeSolvesMatchDifferencesOfTheDiscreteSolve() {
        SolveOptions o = SolveOptions.builder().steps(32).build();
        // Kvaerno5 with a tight Newton tolerance: differences of the discrete solve see the forward's Newton error
        for (OdeMethod m : List.of(Esdirk.kvaerno5().withNewton(20, 0.05, 0.3).withNewtonTolerance(1e-6),
                Rosenbrock.rodas5p())) {
            for (Solve c : solves()) {
                DifferentiableField f = c.field().get();
                int n = c.y0().length, rows = n / f.dim(), pc = f.parameterCount();
                double[] theta = f.parameters();
                double[] theta0 = theta.clone();
                try (GradientSession s = Gradients.session(f, rows, c.times(), Loss.sumOfSquaresAfterStart(), m, o,
                        Backprop.storeAll(), false)) {
                    double[] g = gradient(s, c.y0());
                    double[] fd = new double[n + pc];
                    for (int j = 0; j < n + pc; j++) {
                        double[] yp = c.y0().clone(), ym = c.y0().clone();
                        double e, lp, lm;
                        if (j < n) {
                            e = 1e-6 * Math.max(1e-3, Math.abs(yp[j]));
                            yp[j] += e;
                            ym[j] -= e;
                            lp = s.compute(yp);
                            lm = s.compute(ym);
                        } else {
                            e = 1e-6 * Math.abs(theta0[j - n]);
                            theta[j - n] = theta0[j - n] + e;
                            lp = s.compute(yp);
                            theta[j - n] = theta0[j - n] - e;
                            lm = s.compute(ym);
                            theta[j - n] = theta0[j - n];
                        }
                        fd[j] = (lp - lm) / (2 * e);
                    }
                    double err = relativeError(g, fd, theta0, n);
                    System.out.printf("[ImplicitBackpropTest] 32 steps %s %s: max rel. error vs differences %.2e, %s%n",
                            m.name(), c.name(), err, s.stats());
                    assertTrue(err < 1e-5, m.name() + " " + c.name() + ": " + err);
                }
            }
        }
    }

    @Test
    void adaptiveSolvesAgreeWithTheContinuousGradient() {
        // the reference: backprop through dopri5 at rtol 1e-11 (the problems are mildly stiff over [0, 1])
        SolveOptions tight = SolveOptions.builder().rtol(1e-11).atol(1e-13).build();
        SolveOptions o = SolveOptions.builder().rtol(1e-8).atol(1e-10).build();
        for (Solve c : solves()) {
            DifferentiableField f = c.field().get();
            int n = c.y0().length, rows = n / f.dim();
            double[] r = flat(Gradients.compute(f, c.y0(), rows, c.times(), Loss.sumOfSquaresAfterStart(),
                    RungeKutta.dopri5(), tight, Backprop.storeAll()), n);
            for (OdeMethod m : List.of(Esdirk.kvaerno5(), Rosenbrock.rodas5p())) {
                // not the backsolve adjoint: these problems are dissipative, so y integrated backwards blows up
                for (GradientMethod gm : List.of(Backprop.storeAll(), InterpolatingAdjoint.of(AdjointNorm.FULL))) {
                    GradientResult b = Gradients.compute(f, c.y0(), rows, c.times(), Loss.sumOfSquaresAfterStart(), m,
                            o, gm);
                    double err = relativeError(flat(b, n), r, f.parameters(), n);
                    System.out.printf("[ImplicitBackpropTest] rtol 1e-8 %s %s %s: max rel. error vs dopri5 at 1e-11 "
                            + "%.2e, %s%n", m.name(), c.name(), gm.getClass().getSimpleName(), err, b.stats());
                    // the discrete gradient is off the continuous one by the solution's own error (at rtol 1e-8)
                    assertTrue(err < 1e-4, m.name() + " " + c.name() + " " + gm + ": " + err);
                }
            }
        }
    }

    private static double[] flat(GradientResult g, int n) {
        double[] r = new double[n + g.dLdTheta().length];
        System.arraycopy(g.dLdy0(), 0, r, 0, n);
        System.arraycopy(g.dLdTheta(), 0, r, n, g.dLdTheta().length);
        return r;
    }

    @Test
    void linearGradientMatchesBackpropThroughDopri5() {
        SolveOptions o = SolveOptions.builder().rtol(1e-10).atol(1e-12).build();
        double[] y0 = {1.0, 0.3, -0.5, 0.8};
        double[] times = {0, 0.5, 1};
        GradientResult ref = Gradients.compute(new LinearField(A.clone(), 2), y0, 2, times,
                Loss.sumOfSquaresAfterStart(), RungeKutta.dopri5(), o, Backprop.storeAll());
        for (OdeMethod m : List.of(Esdirk.kvaerno5(), Rosenbrock.rodas5p())) {
            GradientResult g = Gradients.compute(new LinearField(A.clone(), 2), y0, 2, times,
                    Loss.sumOfSquaresAfterStart(), m, o, Backprop.storeAll());
            assertEquals(ref.loss(), g.loss(), 1e-9 * ref.loss(), m.name());
            for (int j = 0; j < 4; j++) {
                assertEquals(ref.dLdy0()[j], g.dLdy0()[j], 1e-7, m.name() + " dL/dy0[" + j + "]");
                assertEquals(ref.dLdTheta()[j], g.dLdTheta()[j], 1e-7, m.name() + " dL/dθ[" + j + "]");
            }
        }
    }

    @Test
    void binomialCheckpointingGivesTheSameGradient() {
        SolveOptions o = SolveOptions.builder().rtol(1e-7).atol(1e-9).build();
        double[] y0 = {2, -0.66};
        double[] times = {0, 0.3, 0.6};
        for (OdeMethod m : List.of(Esdirk.kvaerno5(), Rosenbrock.rodas5p())) {
            GradientResult all = Gradients.compute(StiffFields.vanDerPol(1000), y0, 1, times,
                    Loss.sumOfSquaresAfterStart(), m, o, Backprop.storeAll());
            GradientResult few = Gradients.compute(StiffFields.vanDerPol(1000), y0, 1, times,
                    Loss.sumOfSquaresAfterStart(), m, o, new Backprop(Checkpointing.binomial(3)));
            assertTrue(few.stats().stepsRecomputed() > 0, m.name());
            // recomputed states are the replay's (stages solved exactly), the stored ones the forward solve's (Newton
            // stopped at its tolerance; Rosenbrock's forward Jacobian by differences, the replay's from VJPs): the
            // gradients agree to about those differences
            double tol = m instanceof Esdirk ? 1e-6 : 1e-9;
            for (int j = 0; j < 2; j++) {
                assertEquals(all.dLdy0()[j], few.dLdy0()[j], tol * Math.abs(all.dLdy0()[j]) + 1e-12, m.name());
            }
            assertEquals(all.dLdTheta()[0], few.dLdTheta()[0], tol * Math.abs(all.dLdTheta()[0]), m.name());
            System.out.printf("[ImplicitBackpropTest] binomial(3) %s: dL/dμ %.15g vs stored %.15g, %d steps recomputed%n",
                    m.name(), few.dLdTheta()[0], all.dLdTheta()[0], few.stats().stepsRecomputed());
        }
    }

    @Test
    void gradientsAllocateNothingAfterWarmUp() {
        SolveOptions o = SolveOptions.builder().rtol(1e-6).atol(1e-8).build();
        double[] y0 = {1.0, 0.3, -0.5, 0.8};
        for (OdeMethod m : List.of(Esdirk.kvaerno5(), Rosenbrock.rodas5p())) {
            try (GradientSession s = Gradients.session(new LinearField(A.clone(), 2), 2, new double[] {0, 0.5, 1},
                    Loss.sumOfSquaresAfterStart(), m, o, Backprop.storeAll(), false)) {
                Allocations.assertNoAllocation("backprop through " + m.name(), 200, 20, () -> s.compute(y0));
            }
        }
    }
}
