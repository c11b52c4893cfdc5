package dev.panode.adjoint.models;

import dev.panode.solvers.FieldWorkspace;

/**
 * Gives any {@link DifferentiableField} its own copy of the parameters on every step: the "ResNet as an ODE" form
 * of a neural ODE (for instance an MLP whose weights differ from layer to layer).
 *
 * <p>Each evaluation copies the step's block θ_n into the base field's live parameter vector and then calls the base
 * field, so the cost over the base field is one copy of P doubles. Because of that copy, the base field must not be
 * used by anything else (another thread, another solve) while this one is in use; one wrapper per thread. For a
 * field written with explicit parameter blocks, implement {@link PerStepField} directly instead.
 */
public final class PerStepParameters implements PerStepField {
    private final DifferentiableField base;
    private final int steps;
    private final int p;
    private final double[] theta;

    private PerStepParameters(DifferentiableField base, int steps) {
        this.base = base;
        this.steps = steps;
        this.p = base.parameterCount();
        this.theta = new double[Math.multiplyExact(steps, p)];
        double[] initial = base.parameters();
        for (int n = 0; n < steps; n++) System.arraycopy(initial, 0, theta, n * p, p);
    }

    /** A per-step field over {@code steps} steps, every θ_n initialised to the base field's current parameters. */
    public static PerStepParameters replicate(DifferentiableField base, int steps) {
        if (base == null) throw new IllegalArgumentException("base must be non-null");
        if (base.dim() < 1) throw new IllegalArgumentException("base must declare its dimension, got " + base.dim());
        if (steps < 1) throw new IllegalArgumentException("steps must be >= 1, got " + steps);
        if (base.parameters() == null || base.parameters().length != base.parameterCount()) {
            throw new IllegalArgumentException("base.parameters() must have parameterCount() = " + base.parameterCount()
                    + " entries");
        }
        return new PerStepParameters(base, steps);
    }

    /** The wrapped field. */
    public DifferentiableField base() {
        return base;
    }

    @Override
    public int steps() {
        return steps;
    }

    @Override
    public int parametersPerStep() {
        return p;
    }

    @Override
    public double[] parameters() {
        return theta;
    }

    @Override
    public int dim() {
        return base.dim();
    }

    @Override
    public FieldWorkspace newWorkspace(int maxRows) {
        return new Scratch(base.newWorkspace(maxRows), p);
    }

    @Override
    public void evaluate(double[] th, int thetaOff, double t, double[] y, double[] dyOut, int rows, FieldWorkspace ws) {
        System.arraycopy(th, thetaOff, base.parameters(), 0, p);
        base.evaluate(t, y, dyOut, rows, ((Scratch) ws).base);
    }

    @Override
    public void evaluateUnchecked(double[] th, int thetaOff, double t, double[] y, double[] dyOut, int rows,
                                  FieldWorkspace ws) {
        System.arraycopy(th, thetaOff, base.parameters(), 0, p);
        base.evaluateUnchecked(t, y, dyOut, rows, ((Scratch) ws).base);
    }

    @Override
    public void vjp(double[] th, int thetaOff, double t, double[] y, double[] v, double[] yBar,
                    double[] thetaBar, int thetaBarOff, int rows, FieldWorkspace ws) {
        vjp(th, thetaOff, t, y, v, yBar, thetaBar, thetaBarOff, rows, ws, true);
    }

    @Override
    public void vjpUnchecked(double[] th, int thetaOff, double t, double[] y, double[] v, double[] yBar,
                             double[] thetaBar, int thetaBarOff, int rows, FieldWorkspace ws) {
        vjp(th, thetaOff, t, y, v, yBar, thetaBar, thetaBarOff, rows, ws, false);
    }

    /** The base field's VJP at θ_n, its checked or unchecked form, its θ̄ added into the block at thetaBarOff. */
    private void vjp(double[] th, int thetaOff, double t, double[] y, double[] v, double[] yBar,
                     double[] thetaBar, int thetaBarOff, int rows, FieldWorkspace ws, boolean checked) {
        Scratch s = (Scratch) ws;
        System.arraycopy(th, thetaOff, base.parameters(), 0, p);
        double[] own = thetaBar == null ? null : s.thetaBar;
        if (own != null) java.util.Arrays.fill(own, 0.0);
        if (checked) base.vjp(t, y, v, yBar, own, null, rows, false, s.base);
        else base.vjpUnchecked(t, y, v, yBar, own, null, rows, false, s.base);
        if (own != null) {
            for (int i = 0; i < p; i++) thetaBar[thetaBarOff + i] += own[i];
        }
    }

    private static final class Scratch implements FieldWorkspace {
        final FieldWorkspace base;
        final double[] thetaBar;

        Scratch(FieldWorkspace base, int p) {
            this.base = base;
            this.thetaBar = new double[p];
        }
    }
}
