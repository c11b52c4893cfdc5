package dev.panode.solvers;

import dev.panode.simd.NormKind;

/**
 * Everything about a solve except the problem and the method: save policy, step-size controller, tolerances, norm,
 * step bounds, forced stops, failure behaviour, convention and observer. Immutable, validated when built; share freely.
 *
 * <h2>Conventions</h2>
 * <ul>
 *   <li><b>Default</b> (as diffrax and Hipparchus): the method as given (dopri5 with Dormand–Prince's b̂), and steps
 *       are shortened to land exactly on t1 and on tstops.</li>
 *   <li><b>torchdiffeq-compatible</b> ({@link Builder#torchdiffeqCompatible}, collected in
 *       {@link TorchdiffeqConventions}): dopri5 with Shampine's b̂, and the solver never shortens a step to
 *       land on t1 or a save time: it steps past t1 and interpolates back, as torchdiffeq does. tstops still force
 *       steps (torchdiffeq's {@code step_t}). With the {@link IController#torchdiffeq()} controller and the
 *       initial-step heuristic below this reproduces torchdiffeq's NFE. The last accepted step then ends beyond t1
 *       (observers see it); y(t1) is interpolated inside it.</li>
 * </ul>
 * The initial step, in both conventions, is the heuristic of Hairer, Nørsett and Wanner (I, §II.4) with the exponent
 * 1/q, q = errorOrder + 1 of the method (1/5 for dopri5 and tsit5), which is exactly torchdiffeq's choice
 * ({@code order − 1} passed to a {@code 1/(order+1)} exponent). It costs one evaluation and uses the same
 * {@link ErrorNorm} as step acceptance.
 *
 * <p>Defaults: {@link SaveAt#t1()}, {@link IController#torchdiffeq()}, rtol 1e-7, atol 1e-9 (torchdiffeq's),
 * RMS norm over the batch, automatic first step, dtMin 0, dtMax ∞, maxSteps 100 000, no tstops, throw on failure.
 */
public final class SolveOptions {
    private static final ErrorNorm RMS = ErrorNorm.rms();
    private static final ErrorNorm MAX = ErrorNorm.max();
    private static final SolveOptions DEFAULTS = builder().build();
    private static final SolveOptions FLOAT32_DEFAULTS = builder().rtol(1e-4).atol(1e-6).build();

    private final SaveAt saveAt;
    private final StepSizeController controller;
    private final double rtol, atol;
    private final double[] rtolVec, atolVec;
    private final ErrorNorm norm;
    private final double dt0, dtMin, dtMax;
    private final long maxSteps;
    private final double[] tstops;
    private final boolean throwOnFailure;
    private final boolean torchdiffeq;
    private final StepObserver observer;
    private final boolean saveAtExplicit;

    private SolveOptions(Builder b) {
        this.saveAt = b.saveAt;
        this.controller = b.controller;
        this.rtol = b.rtol;
        this.atol = b.atol;
        this.rtolVec = b.rtolVec;
        this.atolVec = b.atolVec;
        this.norm = b.norm;
        this.dt0 = b.dt0;
        this.dtMin = b.dtMin;
        this.dtMax = b.dtMax;
        this.maxSteps = b.maxSteps;
        this.tstops = b.tstops;
        this.throwOnFailure = b.throwOnFailure;
        this.torchdiffeq = b.torchdiffeq;
        this.observer = b.observer;
        this.saveAtExplicit = b.saveAtExplicit;
    }

    /** The defaults (see the class comment). */
    public static SolveOptions defaults() {
        return DEFAULTS;
    }

    /**
     * The defaults with torchdiffeq's float32 tolerances, rtol 1e-4 and atol 1e-6 (what its float32 users run and
     * what the float32 benchmarks use): the default of the float32 solve {@link Solver#solve(OdeProblemF32)}. Tighter
     * tolerances approach float's own precision (2⁻²⁴ ≈ 6·10⁻⁸ relative) and buy steps, not accuracy.
     */
    public static SolveOptions float32Defaults() {
        return FLOAT32_DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.saveAt = saveAt;
        b.controller = controller;
        b.rtol = rtol;
        b.atol = atol;
        b.rtolVec = rtolVec;
        b.atolVec = atolVec;
        b.norm = norm;
        b.dt0 = dt0;
        b.dtMin = dtMin;
        b.dtMax = dtMax;
        b.maxSteps = maxSteps;
        b.tstops = tstops;
        b.throwOnFailure = throwOnFailure;
        b.torchdiffeq = torchdiffeq;
        b.observer = observer;
        b.saveAtExplicit = saveAtExplicit;
        b.tolerancesSet = controller.isAdaptive() && (rtolVec != null || atolVec != null || rtol != 1e-7 || atol != 1e-9
                || norm != RMS);
        b.stepBoundsSet = controller.isAdaptive() && (!Double.isNaN(dt0) || dtMin != 0 || dtMax != Double.POSITIVE_INFINITY);
        return b;
    }

    /** What to save. */
    public SaveAt saveAt() { return saveAt; }
    /** The step-size controller. */
    public StepSizeController controller() { return controller; }
    /** The scalar relative tolerance (used where no per-component one is given). */
    public double rtol() { return rtol; }
    /** The scalar absolute tolerance (used where no per-component one is given). */
    public double atol() { return atol; }
    /** Per-component relative tolerances (length dim or rows·dim), or null. A copy. */
    public double[] rtolPerComponent() { return rtolVec == null ? null : rtolVec.clone(); }
    /** Per-component absolute tolerances (length dim or rows·dim), or null. A copy. */
    public double[] atolPerComponent() { return atolVec == null ? null : atolVec.clone(); }
    /** The error norm for step acceptance and the initial step. */
    public ErrorNorm errorNorm() { return norm; }
    /** The first step magnitude, or NaN for the automatic choice. */
    public double dt0() { return dt0; }
    /** The smallest step magnitude. */
    public double dtMin() { return dtMin; }
    /** The largest step magnitude. */
    public double dtMax() { return dtMax; }
    /** The largest number of attempted steps. */
    public long maxSteps() { return maxSteps; }
    /** A copy of the forced stop times. */
    public double[] tstops() { return tstops.clone(); }
    /** Whether a failure throws (default) or returns the partial solution. */
    public boolean throwOnFailure() { return throwOnFailure; }
    /** Whether the torchdiffeq-compatible convention is on. */
    public boolean torchdiffeqCompatible() { return torchdiffeq; }
    /** The step observer, or null. */
    public StepObserver observer() { return observer; }

    /** The kind of a built-in batch norm ({@link Builder#norm}), or null for a custom {@link ErrorNorm}. */
    NormKind builtInNormKind() { return norm == RMS ? NormKind.RMS : norm == MAX ? NormKind.MAX : null; }
    double[] rtolVecView() { return rtolVec; }
    double[] atolVecView() { return atolVec; }
    double[] tstopsView() { return tstops; }
    /**
     * True when the caller chose the save policy ({@link Builder#saveAt}) rather than leaving its default. Entry
     * points that save on a problem's own time grid refuse such options instead of overriding them.
     */
    public boolean hasExplicitSaveAt() { return saveAtExplicit; }

    /** Builds {@link SolveOptions}; every setter validates its argument and names it in the exception. */
    public static final class Builder {
        private SaveAt saveAt = SaveAt.t1();
        private StepSizeController controller = IController.torchdiffeq();
        private double rtol = 1e-7, atol = 1e-9;
        private double[] rtolVec, atolVec;
        private ErrorNorm norm = RMS;
        private double dt0 = Double.NaN, dtMin = 0.0, dtMax = Double.POSITIVE_INFINITY;
        private long maxSteps = 100_000;
        private double[] tstops = new double[0];
        private boolean throwOnFailure = true;
        private boolean torchdiffeq = false;
        private StepObserver observer;
        private boolean saveAtExplicit, tolerancesSet, stepBoundsSet;

        private Builder() {}

        /** What to save ({@link SaveAt#t1()} by default). */
        public Builder saveAt(SaveAt saveAt) {
            if (saveAt == null) throw bad("saveAt must be non-null");
            this.saveAt = saveAt;
            this.saveAtExplicit = true;
            return this;
        }

        /** Saves at the given times; shorthand for {@code saveAt(SaveAt.times(times))}. */
        public Builder saveAt(double... times) {
            return saveAt(SaveAt.times(times));
        }

        /** The step-size controller ({@link IController#torchdiffeq()} by default). */
        public Builder controller(StepSizeController controller) {
            if (controller == null) throw bad("controller must be non-null");
            this.controller = controller;
            return this;
        }

        /** Constant steps of size dt; shorthand for {@code controller(ConstantStep.of(dt))}. */
        public Builder dt(double dt) {
            return controller(ConstantStep.of(dt));
        }

        /** n equal steps; shorthand for {@code controller(ConstantStep.steps(n))}. */
        public Builder steps(int n) {
            return controller(ConstantStep.steps(n));
        }

        /** Relative tolerance, finite and &gt; 0. */
        public Builder rtol(double rtol) {
            if (!(rtol > 0 && Double.isFinite(rtol))) throw bad("rtol must be finite and > 0, got " + rtol);
            this.rtol = rtol;
            this.rtolVec = null;
            this.tolerancesSet = true;
            return this;
        }

        /** Absolute tolerance, finite and &gt; 0. */
        public Builder atol(double atol) {
            if (!(atol > 0 && Double.isFinite(atol))) throw bad("atol must be finite and > 0, got " + atol);
            this.atol = atol;
            this.atolVec = null;
            this.tolerancesSet = true;
            return this;
        }

        /** Per-component relative tolerances: length dim (shared by the batch) or rows·dim; each finite and &gt; 0. */
        public Builder rtol(double[] rtol) {
            this.rtolVec = checkVec("rtol", rtol);
            this.tolerancesSet = true;
            return this;
        }

        /** Per-component absolute tolerances: length dim (shared by the batch) or rows·dim; each finite and &gt; 0. */
        public Builder atol(double[] atol) {
            this.atolVec = checkVec("atol", atol);
            this.tolerancesSet = true;
            return this;
        }

        /** The norm kind of the default scaled norm (RMS by default). */
        public Builder norm(NormKind kind) {
            if (kind == null) throw bad("norm must be non-null");
            this.norm = kind == NormKind.RMS ? RMS : MAX;
            this.tolerancesSet = true;
            return this;
        }

        /** A custom error norm, used for step acceptance and in the initial-step heuristic (e.g. a seminorm). */
        public Builder errorNorm(ErrorNorm norm) {
            if (norm == null) throw bad("errorNorm must be non-null");
            this.norm = norm;
            this.tolerancesSet = true;
            return this;
        }

        /** The first step magnitude (its sign follows the direction of integration), finite and &gt; 0. */
        public Builder dt0(double dt0) {
            if (!(dt0 > 0 && Double.isFinite(dt0))) throw bad("dt0 must be finite and > 0, got " + dt0);
            this.dt0 = dt0;
            this.stepBoundsSet = true;
            return this;
        }

        /** The smallest step magnitude the controller may choose, finite and ≥ 0 (0 by default). */
        public Builder dtMin(double dtMin) {
            if (!(dtMin >= 0 && Double.isFinite(dtMin))) throw bad("dtMin must be finite and >= 0, got " + dtMin);
            if (dtMin > dtMax) throw bad("dtMin must be <= dtMax = " + dtMax + ", got " + dtMin);
            this.dtMin = dtMin;
            this.stepBoundsSet = true;
            return this;
        }

        /** The largest step magnitude, &gt; 0 (∞ by default). */
        public Builder dtMax(double dtMax) {
            if (!(dtMax > 0)) throw bad("dtMax must be > 0, got " + dtMax);
            if (dtMax < dtMin) throw bad("dtMax must be >= dtMin = " + dtMin + ", got " + dtMax);
            this.dtMax = dtMax;
            this.stepBoundsSet = true;
            return this;
        }

        /** The largest number of attempted steps (accepted + rejected), ≥ 1. */
        public Builder maxSteps(long maxSteps) {
            if (maxSteps < 1) throw bad("maxSteps must be >= 1, got " + maxSteps);
            this.maxSteps = maxSteps;
            return this;
        }

        /** Times steps must land on exactly (e.g. discontinuities), strictly monotone in the direction of integration. */
        public Builder tstops(double... tstops) {
            if (tstops == null) throw bad("tstops must be non-null");
            for (int i = 0; i < tstops.length; i++) {
                if (!Double.isFinite(tstops[i])) throw bad("tstops[" + i + "] must be finite, got " + tstops[i]);
                if (i > 0 && (tstops[i] == tstops[i - 1]
                        || Math.signum(tstops[i] - tstops[i - 1]) != Math.signum(tstops[1] - tstops[0])))
                    throw bad("tstops must be strictly monotone; tstops[" + (i - 1) + "] = " + tstops[i - 1]
                            + ", tstops[" + i + "] = " + tstops[i]);
            }
            this.tstops = tstops.clone();
            return this;
        }

        /** Throw a {@link SolveException} (default) or return the partial solution with its result code. */
        public Builder throwOnFailure(boolean throwOnFailure) {
            this.throwOnFailure = throwOnFailure;
            return this;
        }

        /** torchdiffeq-compatible convention (see {@link SolveOptions}); off by default. */
        public Builder torchdiffeqCompatible(boolean on) {
            this.torchdiffeq = on;
            return this;
        }

        /** Called after every accepted step; null for none. */
        public Builder observer(StepObserver observer) {
            this.observer = observer;
            return this;
        }

        /**
         * The immutable options.
         *
         * @throws IllegalArgumentException when the options contradict themselves: tolerances, an error norm or step
         *                                  bounds (dt0, dtMin, dtMax) given with a constant-step controller, which
         *                                  would ignore them
         */
        public SolveOptions build() {
            if (!controller.isAdaptive() && tolerancesSet) {
                throw bad("rtol, atol and the error norm belong to an adaptive controller, but the controller is "
                        + controller + ", which takes no tolerance: remove them, or choose an adaptive controller");
            }
            if (!controller.isAdaptive() && stepBoundsSet) {
                throw bad("dt0, dtMin and dtMax belong to an adaptive controller, but the controller is " + controller
                        + ", whose steps are fixed: remove them, or choose an adaptive controller");
            }
            return new SolveOptions(this);
        }

        private static double[] checkVec(String name, double[] v) {
            if (v == null || v.length == 0) throw bad(name + " must be a non-empty array, got " + (v == null ? null : "[]"));
            for (int i = 0; i < v.length; i++)
                if (!(v[i] > 0 && Double.isFinite(v[i])))
                    throw bad(name + "[" + i + "] must be finite and > 0, got " + v[i]);
            return v.clone();
        }

        private static IllegalArgumentException bad(String message) {
            return new IllegalArgumentException("INVALID_ARGUMENT: " + message);
        }
    }
}
