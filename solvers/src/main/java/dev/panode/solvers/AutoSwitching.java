package dev.panode.solvers;

/**
 * Automatic stiffness switching: an explicit Runge–Kutta method until the problem turns stiff, then an implicit
 * method, and back when it stops being stiff (as SciML's {@code AutoTsit5(Rodas5P())}). One {@link OdeMethod}: the
 * solver's controller, saving, tstops, observers and events run unchanged; each accepted step is taken by one of the
 * two, and {@link StepView#method()} says which.
 *
 * <p><b>Detection</b> (Hairer and Wanner, Solving ODEs I, §IV.2 / II, §IV.2, the test of DOPRI5): after each accepted
 * explicit step, ρ = ‖k_s − k_{s−1}‖ / ‖g_s − g_{s−1}‖ from the last two stages (derivatives k, inputs g) estimates
 * the dominant eigenvalue's modulus along the step. When h·ρ ≥ {@code stiffFraction} × the method's stability boundary
 * on the negative real axis (computed from its tableau: 3.51 for tsit5, 3.31 for dopri5) the step was limited by
 * stability rather than accuracy; after {@code stiffSteps} such steps in a row the implicit method takes over. While
 * implicit, ρ is bounded by ‖J‖∞ of the method's current Jacobian (an upper bound of the spectral radius, so the test
 * errs towards staying implicit); after {@code nonStiffSteps} accepted steps in a row with h·ρ ≤ stiffFraction ×
 * boundary, the explicit method resumes. Switching costs one evaluation (the new method's f at the switch point).
 *
 * <p>Cost: nothing beyond the two methods' own (the estimate reuses the step's stages). When to use: problems that may
 * or may not be stiff, or stiff only in parts (transients, chemistry that ignites). When not to: known stiff problems
 * (start implicit: the explicit phase spends stiffSteps stability-limited steps), {@link SaveAt#dense()} (not
 * supported), gradients other than the backsolve adjoint.
 *
 * <p>References: E. Hairer, S. P. Nørsett and G. Wanner, Solving ODEs I, 2nd ed., §II.10 and the DOPRI5 code
 * (stiffness detection); L. F. Shampine, Stiffness and nonstiff differential equation solvers II, Appl. Numer. Math. 2
 * (1986); C. Rackauckas and Q. Nie, DifferentialEquations.jl, J. Open Res. Softw. 5 (2017) (the composite algorithm).
 */
public final class AutoSwitching implements OdeMethod {
    private final RungeKutta explicit;
    private final OdeMethod implicit;
    private final String name;
    /**
     * The explicit method's stability boundary, NaN until first asked for: its scan costs a few milliseconds at a
     * JVM's start, where {@link Methods} builds every catalogued method for a command that solves with one of them.
     */
    private volatile double boundary = Double.NaN;
    private final double stiffFraction;
    private final int stiffSteps, nonStiffSteps;

    private AutoSwitching(String name, RungeKutta explicit, OdeMethod implicit, double stiffFraction, int stiffSteps,
                          int nonStiffSteps) {
        if (explicit == null) throw new IllegalArgumentException("explicit must be non-null");
        if (implicit == null) throw new IllegalArgumentException("implicit must be non-null");
        if (!(implicit instanceof Esdirk) && !(implicit instanceof Rosenbrock))
            throw new IllegalArgumentException("implicit must be an Esdirk or Rosenbrock method, got " + implicit.name());
        if (!explicit.isAdaptive()) throw new IllegalArgumentException("explicit must be adaptive, got " + explicit.name());
        if (!(stiffFraction > 0 && stiffFraction <= 1))
            throw new IllegalArgumentException("stiffFraction must be in (0, 1], got " + stiffFraction);
        if (stiffSteps < 1) throw new IllegalArgumentException("stiffSteps must be >= 1, got " + stiffSteps);
        if (nonStiffSteps < 1) throw new IllegalArgumentException("nonStiffSteps must be >= 1, got " + nonStiffSteps);
        this.name = name;
        this.explicit = explicit;
        this.implicit = implicit;
        this.stiffFraction = stiffFraction;
        this.stiffSteps = stiffSteps;
        this.nonStiffSteps = nonStiffSteps;
    }

    /**
     * {@code explicit} until stiffness is detected, then {@code implicit} ({@link Esdirk} or {@link Rosenbrock}); the
     * defaults: stiff at h·ρ ≥ 0.9 × the stability boundary for 10 steps in a row, non-stiff again after 3 steps
     * below it (SciML's defaults for its composite algorithms).
     */
    public static AutoSwitching of(RungeKutta explicit, OdeMethod implicit) {
        return new AutoSwitching(explicit == null || implicit == null ? "?" : explicit.name() + "-" + implicit.name(),
                explicit, implicit, 0.9, 10, 3);
    }

    /** Tsit5 until stiff, then Rodas5P: {@code "tsit5-rodas5p"} (alias {@code "auto"}) in {@link Methods}. */
    public static AutoSwitching tsit5Rodas5p() {
        return of(RungeKutta.tsit5(), Rosenbrock.rodas5p());
    }

    /** The same pair with other switching settings (see the class comment). */
    public AutoSwitching withSwitching(double stiffFraction, int stiffSteps, int nonStiffSteps) {
        return new AutoSwitching(name, explicit, implicit, stiffFraction, stiffSteps, nonStiffSteps);
    }

    /** The explicit method. */
    public RungeKutta explicitMethod() {
        return explicit;
    }

    /** The implicit method. */
    public OdeMethod implicitMethod() {
        return implicit;
    }

    /**
     * The explicit method's stability boundary on the negative real axis: |R(−x)| ≤ 1 for 0 ≤ x ≤ this. Computed at
     * the first call (about 3,500 evaluations of the stability function), then kept.
     */
    public double stabilityBoundary() {
        double b = boundary;
        if (Double.isNaN(b)) {
            b = stabilityBoundary(explicit.tableau());
            boundary = b;
        }
        return b;
    }

    double stiffFraction() {
        return stiffFraction;
    }

    int stiffSteps() {
        return stiffSteps;
    }

    int nonStiffSteps() {
        return nonStiffSteps;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int order() {
        return Math.min(explicit.order(), implicit.order());
    }

    @Override
    public int errorOrder() {
        return Math.min(explicit.errorOrder(), implicit.errorOrder());
    }

    @Override
    public Stepper newStepper(VectorField field, int maxRows, int dim) {
        return new SwitchingStepper(this, field, maxRows, dim);
    }

    @Override
    public String toString() {
        return name;
    }

    /**
     * The largest x with |R(−ξ)| ≤ 1 for all ξ ∈ [0, x], R(z) = 1 + z bᵀ(I − zA)⁻¹𝟙 the stability function of an
     * explicit tableau: scanned in steps of 1e-3, then bisected to 1e-12.
     */
    static double stabilityBoundary(ButcherTableau tab) {
        double x = 0.0;
        while (x < 100 && Math.abs(stability(tab, -(x + 1e-3))) <= 1.0) x += 1e-3;
        double lo = x, hi = x + 1e-3;
        while (hi - lo > 1e-12) {
            double mid = 0.5 * (lo + hi);
            if (Math.abs(stability(tab, -mid)) <= 1.0) lo = mid; else hi = mid;
        }
        return lo;
    }

    private static double stability(ButcherTableau tab, double z) {
        int s = tab.stages();
        double[] g = new double[s];
        double r = 1.0;
        for (int i = 0; i < s; i++) {
            double acc = 1.0;
            for (int j = 0; j < i; j++) acc += z * tab.a(i, j) * g[j];
            g[i] = acc;
            r += z * tab.b(i) * g[i];
        }
        return r;
    }
}
