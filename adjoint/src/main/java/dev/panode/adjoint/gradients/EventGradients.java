package dev.panode.adjoint.gradients;

import dev.panode.adjoint.models.DifferentiableField;
import dev.panode.solvers.Event;
import dev.panode.solvers.EventCondition;
import dev.panode.solvers.EventSolution;
import dev.panode.solvers.Events;
import dev.panode.solvers.FieldWorkspace;
import dev.panode.solvers.OdeMethod;
import dev.panode.solvers.SolveOptions;

/**
 * Gradients of a loss that depends on the time and state of a terminating event, L(t*, y(t*)), with respect to y0
 * and the field's parameters θ, by the implicit-function theorem. With g(t*, y(t*)) = 0 the event time moves with the
 * solution, dt* / dp = −(∂g/∂y · ∂y(t*)/∂p)/(∂g/∂t + ∂g/∂y · f), so that dL/dp = w · ∂y(t*)/∂p with
 * w = ∂L/∂y − ((∂L/∂t + ∂L/∂y · f)/(∂g/∂t + ∂g/∂y · f)) ∂g/∂y ({@link Events#eventCotangent}); the last product is an
 * ordinary gradient computation on [t0, t*] with the linear loss ⟨w, y(t*)⟩, by any {@link GradientMethod}.
 *
 * <p>Cost: the event solve, one evaluation of f at the event, the condition's gradient (analytic when the condition is a
 * {@link Differentiable}, else 2(n + 1) evaluations of g by central differences), and one gradient computation on
 * [t0, t*] (which solves forward again, stepping onto t* exactly). Not for tangential crossings (∂g/∂t + ∂g/∂y · f = 0,
 * where t* is not differentiable: an {@link ArithmeticException}).
 *
 * <p>Reference: R. T. Q. Chen, B. Amos, M. Nickel, Learning neural event functions for ordinary differential
 * equations, ICLR 2021 (the same theorem for torchdiffeq's {@code odeint_event}).
 */
public final class EventGradients {
    private EventGradients() {}

    /** An event condition that supplies its own gradient. */
    public interface Differentiable extends EventCondition {
        /** Writes ∂g/∂y at (t, y) to {@code dgdy} ({@code y.length} values) and returns ∂g/∂t. */
        double gradient(double t, double[] y, double[] dgdy);
    }

    /** A loss of the event time and state. */
    @FunctionalInterface
    public interface EventLoss {
        /**
         * Returns L(t*, y*), writes ∂L/∂y* to {@code dLdy} and returns ∂L/∂t* in {@code dLdt[0]}.
         *
         * @param tStar the event time
         * @param yStar the state there, {@code rows·dim} values
         */
        double evaluate(double tStar, double[] yStar, double[] dLdy, double[] dLdt);
    }

    /**
     * The result: the event, the loss and its gradients.
     *
     * @param event    the event solve's result
     * @param loss     L(t*, y*)
     * @param dLdy0    dL/dy0, {@code rows·dim}
     * @param dLdTheta dL/dθ in the field's parameter layout
     * @param dtStarWeight c = (∂L/∂t + ∂L/∂y · f)/(∂g/∂t + ∂g/∂y · f), the part of the loss carried by the moving event time
     */
    public record Result(EventSolution event, double loss, double[] dLdy0, double[] dLdTheta, double dtStarWeight) {}

    /**
     * Solves to the first event and differentiates {@code loss} through it.
     *
     * @throws IllegalStateException when no event happens before t1 (the loss then has no event to depend on)
     */
    public static Result compute(DifferentiableField field, double[] y0, int rows, double t0, double t1, Event event,
                                 EventLoss loss, OdeMethod method, SolveOptions options, GradientMethod gradientMethod) {
        if (loss == null) throw new IllegalArgumentException("loss must be non-null");
        if (gradientMethod == null) throw new IllegalArgumentException("gradientMethod must be non-null");
        EventSolution e = Events.solve(field, y0, rows, t0, t1, method, options, event);
        if (!e.triggered())
            throw new IllegalStateException("no event before t1 = " + t1 + ": the loss has no event time to depend on");
        double tStar = e.time();
        double[] yStar = e.state();
        int n = yStar.length;
        double[] dLdy = new double[n], dLdt = new double[1], f = new double[n], dgdy = new double[n], w = new double[n];
        double value = loss.evaluate(tStar, yStar, dLdy, dLdt);
        field.evaluate(tStar, yStar, f, rows, field.newWorkspace(rows));
        double dgdt = conditionGradient(event.conditions().get(e.condition()), tStar, yStar, dgdy);
        double c = Events.eventCotangent(dLdt[0], dLdy, dgdt, dgdy, f, w);
        Loss linear = (times, states, r, dim, gradients) -> {
            java.util.Arrays.fill(gradients[0], 0.0);
            double acc = 0;
            for (int i = 0; i < n; i++) {
                gradients[1][i] = w[i];
                acc += w[i] * states[1][i];
            }
            return acc;
        };
        GradientResult g = Gradients.compute(field, y0, rows, new double[] {t0, tStar}, linear, method, options,
                gradientMethod);
        return new Result(e, value, g.dLdy0(), g.dLdTheta(), c);
    }

    /** ∂g/∂y into {@code dgdy}, returns ∂g/∂t: the condition's own, or central differences. */
    private static double conditionGradient(EventCondition g, double t, double[] y, double[] dgdy) {
        if (g instanceof Differentiable d) return d.gradient(t, y, dgdy);
        double[] z = y.clone();
        for (int i = 0; i < y.length; i++) {
            double eps = 1e-6 * Math.max(1.0, Math.abs(y[i]));
            z[i] = y[i] + eps;
            double plus = g.value(t, z);
            z[i] = y[i] - eps;
            double minus = g.value(t, z);
            z[i] = y[i];
            dgdy[i] = (plus - minus) / (2 * eps);
        }
        double eps = 1e-6 * Math.max(1.0, Math.abs(t));
        return (g.value(t + eps, y) - g.value(t - eps, y)) / (2 * eps);
    }
}
