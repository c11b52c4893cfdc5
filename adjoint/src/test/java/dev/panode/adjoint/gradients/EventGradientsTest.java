package dev.panode.adjoint.gradients;

import dev.panode.adjoint.models.LinearField;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.solvers.Esdirk;
import dev.panode.solvers.Event;
import dev.panode.solvers.Events;
import dev.panode.solvers.OdeMethod;
import dev.panode.solvers.Rosenbrock;
import dev.panode.solvers.RungeKutta;
import dev.panode.solvers.SolveOptions;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Gradients through a terminating event by the implicit-function theorem, against central differences of whole event
 * solves: a damped oscillator y' = A·y (θ = A) stops when y_0 falls through 0; L = t*² + 0.5·y_1(t*)². Every gradient
 * method with dopri5 and with the implicit methods (backprop by the implicit steps' discrete adjoint; the continuous
 * adjoints solve the adjoint system by the same implicit method, its Jacobian from VJPs).
 */
class EventGradientsTest {
    private static final double[] A = {0.0, 1.0, -1.3, -0.15};
    private static final double[] Y0 = {1.0, 0.2, 0.8, -0.1}; // two samples; the condition watches the first
    private static final Event EVENT = Event.of((t, y) -> y[0], Event.Direction.FALLING);
    private static final EventGradients.EventLoss LOSS = (t, y, dLdy, dLdt) -> {
        java.util.Arrays.fill(dLdy, 0.0);
        dLdy[1] = y[1];
        dLdy[3] = 2 * y[3];
        dLdt[0] = 2 * t;
        return t * t + 0.5 * y[1] * y[1] + y[3] * y[3];
    };

    private static double loss(LinearField f, double[] y0, OdeMethod m, SolveOptions o) {
        var e = Events.solve(f, y0, 2, 0, 10, m, o, EVENT);
        double[] dLdy = new double[4], dLdt = new double[1];
        return LOSS.evaluate(e.time(), e.state(), dLdy, dLdt);
    }

    @Test
    void gradientsMatchFiniteDifferencesOfEventSolves() {
        SolveOptions o = SolveOptions.builder().rtol(1e-10).atol(1e-12).build();
        record Case(OdeMethod method, GradientMethod gradient) {}
        List<Case> cases = List.of(new Case(RungeKutta.dopri5(), Backprop.storeAll()),
                new Case(RungeKutta.dopri5(), BacksolveAdjoint.of(AdjointNorm.FULL)),
                new Case(RungeKutta.dopri5(), InterpolatingAdjoint.of(AdjointNorm.FULL)),
                new Case(Esdirk.kvaerno5(), BacksolveAdjoint.of(AdjointNorm.FULL)),
                new Case(Rosenbrock.rodas5p(), BacksolveAdjoint.of(AdjointNorm.FULL)),
                new Case(Esdirk.kvaerno5(), Backprop.storeAll()),
                new Case(Rosenbrock.rodas5p(), Backprop.storeAll()),
                new Case(Esdirk.kvaerno5(), InterpolatingAdjoint.of(AdjointNorm.FULL)),
                new Case(Rosenbrock.rodas5p(), InterpolatingAdjoint.of(AdjointNorm.FULL)));
        // the reference: central differences of dopri5 event solves at a tight tolerance (the implicit methods' lower-order
        // dense output makes differences of their own event solves too noisy to serve as the oracle)
        LinearField ref = new LinearField(A, 2);
        double[] fdY0 = new double[4], fdTheta = new double[4];
        double eps = 1e-6;
        for (int j = 0; j < 4; j++) {
            double[] p = Y0.clone(), q = Y0.clone();
            p[j] += eps;
            q[j] -= eps;
            fdY0[j] = (loss(ref, p, RungeKutta.dopri5(), o) - loss(ref, q, RungeKutta.dopri5(), o)) / (2 * eps);
            double saved = ref.parameters()[j];
            ref.parameters()[j] = saved + eps;
            double plus = loss(ref, Y0, RungeKutta.dopri5(), o);
            ref.parameters()[j] = saved - eps;
            double minus = loss(ref, Y0, RungeKutta.dopri5(), o);
            ref.parameters()[j] = saved;
            fdTheta[j] = (plus - minus) / (2 * eps);
        }
        for (Case c : cases) {
            LinearField f = new LinearField(A, 2);
            EventGradients.Result r = EventGradients.compute(f, Y0, 2, 0, 10, EVENT, LOSS, c.method(), o, c.gradient());
            double worst = 0;
            for (int j = 0; j < 4; j++) {
                assertEquals(fdY0[j], r.dLdy0()[j], 1e-6 * (1 + Math.abs(fdY0[j])), c + " dL/dy0[" + j + "]");
                assertEquals(fdTheta[j], r.dLdTheta()[j], 1e-6 * (1 + Math.abs(fdTheta[j])), c + " dL/dθ[" + j + "]");
                worst = Math.max(worst, Math.max(Math.abs(fdY0[j] - r.dLdy0()[j]), Math.abs(fdTheta[j] - r.dLdTheta()[j])));
            }
            System.out.printf("[EventGradientsTest] %s / %s: t* = %.12f, L = %.12f, max |IFT − FD| = %.1e%n",
                    c.method().name(), c.gradient().getClass().getSimpleName(), r.event().time(), r.loss(), worst);
        }
    }

    @Test
    void noEventIsAClearError() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> EventGradients.compute(
                new LinearField(A, 2), Y0, 2, 0, 0.1, EVENT, LOSS, RungeKutta.dopri5(), SolveOptions.defaults(),
                Backprop.storeAll()));
        assertTrue(e.getMessage().contains("no event before t1 = 0.1"), e.getMessage());
    }
}
