package dev.panode.solvers;

import dev.panode.simd.StateKernels;
import dev.panode.simd.VectorApi;
import java.util.Arrays;

/**
 * The entry point: solves dy/dt = f(t, y) for a batch of {@code rows} samples from t0 to t1 (forwards or backwards)
 * with any {@link OdeMethod}.
 *
 * <pre>{@code
 * Solution sol = Solver.solve(field, y0, rows, 0.0, 1.0, RungeKutta.dopri5(),
 *         SolveOptions.builder().rtol(1e-6).atol(1e-8).saveAt(0.25, 0.5, 1.0).build());
 * }</pre>
 *
 * <p>One step size is shared by the batch (torchdiffeq's behaviour): the scaled error norm runs over all
 * {@code rows × dim} components. Adaptive control follows docs/ALGORITHMS.md §2–3: a step is accepted iff its scaled error norm
 * is ≤ 1; a NaN or infinite attempt is rejected and the step cut; save times are interpolated, never stepped onto;
 * tstops are stepped onto exactly. See {@link SolveOptions} for the default and the torchdiffeq-compatible conventions.
 *
 * <p>Failures: invalid arguments give {@link Result#INVALID_ARGUMENT} (an {@link IllegalArgumentException} by default);
 * stepping failures ({@link Result#MAX_STEPS_REACHED}, {@link Result#DT_MIN_REACHED}, {@link Result#NONFINITE_STATE})
 * throw a {@link SolveException} carrying the partial solution by default, or are returned with
 * {@code throwOnFailure(false)}.
 *
 * <p>Allocation: the solve allocates its {@link Solution} (and, when no workspace is given, a
 * {@link SolverWorkspace}); with {@link SaveAt#t1()} or {@link SaveAt#times} the steps themselves allocate nothing
 * (provided the field and observer do not).
 */
public final class Solver {
    private Solver() {}

    /**
     * Solves a problem with dopri5 at torchdiffeq's default tolerances (rtol 1e-7, atol 1e-9), saving at every time
     * of its grid: the one-line call, as {@code odeint(func, y0, t)}.
     */
    public static Solution solve(OdeProblem<?> problem) {
        return solve(problem, RungeKutta.dopri5(), SolveOptions.defaults());
    }

    /** Solves a problem with {@code method} and {@code options}, saving at every time of its grid. */
    public static Solution solve(OdeProblem<?> problem, OdeMethod method, SolveOptions options) {
        return solve(problem, method, options, new SolverWorkspace());
    }

    /**
     * Solves a problem, reusing {@code workspace} (one per thread). The problem's grid is where the solution is
     * saved, t_0 included, so {@code options} must leave {@link SolveOptions.Builder#saveAt} unset; for dense output
     * or every step, use the span form {@link #solve(VectorField, double[], int, double, double, OdeMethod,
     * SolveOptions)}.
     *
     * @throws IllegalArgumentException when an argument is null or the options choose their own save policy
     */
    public static Solution solve(OdeProblem<?> problem, OdeMethod method, SolveOptions options,
                                 SolverWorkspace workspace) {
        if (problem == null) throw new IllegalArgumentException("INVALID_ARGUMENT: problem must be non-null");
        return solve(problem.field(), problem.y0View(), problem.rows(), problem.t0(), problem.t1(), method,
                onGrid(options, problem.timesView()), workspace);
    }

    /** The options of a problem-centred solve: {@code options} saving at the problem's grid, which they must not set. */
    private static SolveOptions onGrid(SolveOptions options, double[] times) {
        if (options == null) throw new IllegalArgumentException("INVALID_ARGUMENT: options must be non-null");
        if (options.hasExplicitSaveAt()) {
            throw new IllegalArgumentException("INVALID_ARGUMENT: options.saveAt must be left unset: a problem is saved "
                    + "at its time grid; got " + options.saveAt());
        }
        return options.toBuilder().saveAt(SaveAt.times(times)).build();
    }

    /** Solves with a fresh workspace. */
    public static Solution solve(VectorField field, double[] y0, int rows, double t0, double t1, OdeMethod method,
                                 SolveOptions options) {
        return solve(field, y0, rows, t0, t1, method, options, new SolverWorkspace());
    }

    /**
     * Solves, reusing {@code workspace} (one per thread).
     *
     * @param field     the vector field
     * @param y0        the initial states, {@code rows × dim} row-major; not modified
     * @param rows      the number of samples in the batch, ≥ 1
     * @param t0        the initial time
     * @param t1        the final time; t1 &lt; t0 solves backwards
     * @param method    e.g. {@link RungeKutta#dopri5()}
     * @param options   the options, e.g. {@link SolveOptions#defaults()}
     * @param workspace scratch reused across solves
     */
    public static Solution solve(VectorField field, double[] y0, int rows, double t0, double t1, OdeMethod method,
                                 SolveOptions options, SolverWorkspace workspace) {
        VectorApi.require();
        if (options == null) throw new IllegalArgumentException("INVALID_ARGUMENT: options must be non-null");
        String bad = argumentProblem(field, y0, rows, t0, t1, method, options, workspace);
        int dim = bad == null ? dimOf(field, y0, rows) : -1;
        if (bad != null) {
            String msg = "INVALID_ARGUMENT: " + bad;
            if (options.throwOnFailure()) throw new IllegalArgumentException(msg);
            int r = Math.max(rows, 0), d = Math.max(dim, 0);
            return new Solution(new double[0], new double[0], 0, r, d, new Stats(0, 0, 0), Result.INVALID_ARGUMENT,
                    msg, null);
        }
        OdeMethod m = TorchdiffeqConventions.method(method, options);
        Run run = new Run();
        run.reset(field, y0, rows, dim, t0, t1, m, options, workspace, null, null);
        run.runHeld();
        return run.toSolution();
    }

    /**
     * Solves as {@link #solve(VectorField, double[], int, double, double, OdeMethod, SolveOptions, SolverWorkspace)}
     * does, but writes the saved states into {@code savedStates} (save i at offset {@code i·rows·dim}) instead of
     * returning a {@link Solution}, and leaves the statistics in the workspace ({@link SolverWorkspace#lastNfe()},
     * {@link SolverWorkspace#lastAccepted()}, {@link SolverWorkspace#lastRejected()}). Once the workspace has seen a
     * solve of this shape, a successful call allocates nothing on the heap (provided the field and the observer do
     * not): this is the entry point of loops that solve the same problem many times, such as gradient sessions.
     *
     * <p>Only {@link SaveAt#t1()} and {@link SaveAt#times} are supported: their number of saves is known in advance.
     * Invalid arguments and stepping failures are reported as by {@code solve} (an exception carrying the partial
     * {@link Solution} when {@code throwOnFailure}, which allocates); otherwise the result code is returned.
     *
     * @param savedStates receives the saved states; length at least saves × rows × dim
     * @return the outcome, {@link Result#SUCCESSFUL} when every save was reached
     * @throws IllegalArgumentException if {@code savedStates} is null or too short, or the save policy is not T1 or
     *                                  TIMES
     */
    public static Result solveInto(VectorField field, double[] y0, int rows, double t0, double t1, OdeMethod method,
                                   SolveOptions options, SolverWorkspace workspace, double[] savedStates) {
        return solveInto(field, y0, rows, t0, t1, method, options, workspace, savedStates, Double.NaN);
    }

    /**
     * {@link #solveInto(VectorField, double[], int, double, double, OdeMethod, SolveOptions, SolverWorkspace,
     * double[])} with the first step's magnitude given: an adaptive solve starts with {@code dt0} (clipped to the
     * options' [dtMin, dtMax]) instead of the options' dt0 or the initial-step heuristic, which then costs no
     * evaluation. For a solve that continues an earlier one past a jump in its state (the next observation interval
     * of an adjoint sweep), from that solve's {@link SolverWorkspace#lastStepProposal()}. Ignored by fixed-step
     * controllers.
     *
     * @param dt0 the first step's magnitude, finite and {@code > 0}; NaN for the options' choice
     * @throws IllegalArgumentException as the other overload, and if {@code dt0} is neither NaN nor finite and
     *                                  {@code > 0}
     */
    public static Result solveInto(VectorField field, double[] y0, int rows, double t0, double t1, OdeMethod method,
                                   SolveOptions options, SolverWorkspace workspace, double[] savedStates,
                                   double dt0) {
        checkFirstStep(dt0);
        if (options == null) throw new IllegalArgumentException("INVALID_ARGUMENT: options must be non-null");
        SaveAt.Kind kind = options.saveAt().kind();
        if (kind != SaveAt.Kind.T1 && kind != SaveAt.Kind.TIMES) {
            throw new IllegalArgumentException("INVALID_ARGUMENT: solveInto needs SaveAt.t1() or SaveAt.times(...), "
                    + "got " + options.saveAt());
        }
        String bad = argumentProblem(field, y0, rows, t0, t1, method, options, workspace);
        if (bad != null) {
            if (options.throwOnFailure()) throw new IllegalArgumentException("INVALID_ARGUMENT: " + bad);
            if (workspace != null) workspace.recordStats(0, 0, 0);
            return Result.INVALID_ARGUMENT;
        }
        int dim = dimOf(field, y0, rows);
        int saves = kind == SaveAt.Kind.T1 ? 1 : options.saveAt().timeCount();
        long needed = (long) saves * rows * dim;
        if (savedStates == null || savedStates.length < needed) {
            throw new IllegalArgumentException("INVALID_ARGUMENT: savedStates must have length >= saves × rows × dim = "
                    + saves + " × " + rows + " × " + dim + " = " + needed + ", got "
                    + (savedStates == null ? null : savedStates.length));
        }
        OdeMethod m = TorchdiffeqConventions.method(method, options);
        Run run = workspace.run;
        if (run == null) workspace.run = run = new Run();
        if (workspace.saveTimes.length < saves) workspace.saveTimes = new double[saves];
        run.reset(field, y0, rows, dim, t0, t1, m, options, workspace, workspace.saveTimes, savedStates);
        run.firstStep = dt0;
        Result r;
        try {
            r = run.runHeld();
        } finally {
            run.release();
        }
        return r;
    }

    // ---------------------------------------------------------------- float32

    /**
     * Solves a float32 problem with dopri5 at torchdiffeq's float32 tolerances (rtol 1e-4, atol 1e-6,
     * {@link SolveOptions#float32Defaults()}), saving at every time of its grid.
     */
    public static SolutionF32 solve(OdeProblemF32<?> problem) {
        return solve(problem, RungeKutta.dopri5(), SolveOptions.float32Defaults());
    }

    /** Solves a float32 problem with {@code method} and {@code options}, saving at every time of its grid. */
    public static SolutionF32 solve(OdeProblemF32<?> problem, OdeMethod method, SolveOptions options) {
        return solve(problem, method, options, new SolverWorkspaceF32());
    }

    /**
     * Solves a float32 problem, reusing {@code workspace} (one per thread): states and stages in float, time, step
     * size and error norms in double, through the same step control, tableaux and saving rules as the double solve
     * (docs/FLOAT32.md). Explicit {@link RungeKutta} methods; the built-in RMS or max norm with scalar tolerances; no
     * observer. Cost per step: the method's evaluations of the float field plus a few float passes over the state.
     * When not to use: tolerances near float's precision (rtol below about 1e-6), or states whose increments fall
     * below 2⁻²⁴ of their size; solve those in double.
     *
     * @throws IllegalArgumentException when an argument is null or the options choose their own save policy
     */
    public static SolutionF32 solve(OdeProblemF32<?> problem, OdeMethod method, SolveOptions options,
                                    SolverWorkspaceF32 workspace) {
        if (problem == null) throw new IllegalArgumentException("INVALID_ARGUMENT: problem must be non-null");
        return RunF32.solve(problem.field(), problem.y0View(), problem.rows(), problem.t0(), problem.t1(), method,
                onGrid(options, problem.timesView()), workspace);
    }

    /**
     * The span form of the float32 solve, for any save policy but dense output: as
     * {@link #solve(VectorField, double[], int, double, double, OdeMethod, SolveOptions, SolverWorkspace)} on
     * {@code float[]} states.
     */
    public static SolutionF32 solve(FloatField field, float[] y0, int rows, double t0, double t1, OdeMethod method,
                                    SolveOptions options, SolverWorkspaceF32 workspace) {
        return RunF32.solve(field, y0, rows, t0, t1, method, options, workspace);
    }

    /**
     * The float32 {@link #solveInto(VectorField, double[], int, double, double, OdeMethod, SolveOptions,
     * SolverWorkspace, double[])}: the saved states go into {@code savedStates}, the statistics into the workspace,
     * and once the workspace has seen a solve of this shape a successful call allocates nothing.
     */
    public static Result solveInto(FloatField field, float[] y0, int rows, double t0, double t1, OdeMethod method,
                                   SolveOptions options, SolverWorkspaceF32 workspace, float[] savedStates) {
        return RunF32.solveInto(field, y0, rows, t0, t1, method, options, workspace, savedStates, null, Double.NaN);
    }

    /**
     * As {@link #solveInto(FloatField, float[], int, double, double, OdeMethod, SolveOptions, SolverWorkspaceF32,
     * float[])}, showing every accepted step to {@code observer} (null for none): how the float gradient methods
     * record a solve.
     */
    public static Result solveInto(FloatField field, float[] y0, int rows, double t0, double t1, OdeMethod method,
                                   SolveOptions options, SolverWorkspaceF32 workspace, float[] savedStates,
                                   FloatStepObserver observer) {
        return RunF32.solveInto(field, y0, rows, t0, t1, method, options, workspace, savedStates, observer,
                Double.NaN);
    }

    /**
     * The float32 {@link #solveInto(VectorField, double[], int, double, double, OdeMethod, SolveOptions,
     * SolverWorkspace, double[], double)}: an adaptive solve starts with {@code dt0} (clipped to the options'
     * [dtMin, dtMax]) instead of the options' dt0 or the initial-step heuristic, which then costs no evaluation; for
     * a solve that continues an earlier one, from its {@link SolverWorkspaceF32#lastStepProposal()}.
     *
     * @param dt0 the first step's magnitude, finite and {@code > 0}; NaN for the options' choice
     * @throws IllegalArgumentException as the other overloads, and if {@code dt0} is neither NaN nor finite and
     *                                  {@code > 0}
     */
    public static Result solveInto(FloatField field, float[] y0, int rows, double t0, double t1, OdeMethod method,
                                   SolveOptions options, SolverWorkspaceF32 workspace, float[] savedStates,
                                   double dt0) {
        return RunF32.solveInto(field, y0, rows, t0, t1, method, options, workspace, savedStates, null, dt0);
    }

    /** A caller's first step for {@code solveInto}: NaN (the options' choice) or finite and {@code > 0}. */
    static void checkFirstStep(double dt0) {
        if (!Double.isNaN(dt0) && !(dt0 > 0 && Double.isFinite(dt0)))
            throw new IllegalArgumentException("INVALID_ARGUMENT: dt0 must be NaN or finite and > 0, got " + dt0);
    }

    /** The first invalid argument of a solve, as a message, or null. */
    private static String argumentProblem(VectorField field, double[] y0, int rows, double t0, double t1,
                                          OdeMethod method, SolveOptions options, SolverWorkspace workspace) {
        if (field == null) return "field must be non-null";
        if (y0 == null) return "y0 must be non-null";
        if (method == null) return "method must be non-null";
        if (workspace == null) return "workspace must be non-null";
        if (rows < 1) return "rows must be >= 1, got " + rows;
        return validate(field, y0, rows, dimOf(field, y0, rows), t0, t1, method, options);
    }

    /** The state dimension: the field's, or derived from y0 and rows (−1 when y0 does not divide). */
    private static int dimOf(VectorField field, double[] y0, int rows) {
        return field.dim() > 0 ? field.dim() : (y0.length % rows == 0 ? y0.length / rows : -1);
    }

    private static String validate(VectorField field, double[] y0, int rows, int dim, double t0, double t1,
                                   OdeMethod method, SolveOptions o) {
        String stateBad = checkInitialState(field.dim(), y0, rows, dim);
        return stateBad != null ? stateBad : validateSpan(rows, dim, t0, t1, method, o);
    }

    /**
     * The checks of a solve that do not look at the state (times, save times, tstops, tolerances, the method against
     * the controller, the heap), shared by the double and float solves. Returns the first violation, or null.
     */
    static String validateSpan(int rows, int dim, double t0, double t1, OdeMethod method, SolveOptions o) {
        if (!Double.isFinite(t0)) return "t0 must be finite, got " + t0;
        if (!Double.isFinite(t1)) return "t1 must be finite, got " + t1;
        if (t0 == t1) return "t0 and t1 must differ, got t0 = t1 = " + t0;
        if (!Double.isFinite(t1 - t0))
            return "t1 - t0 must be finite, got t0 = " + t0 + ", t1 = " + t1 + " (the span overflows a double)";
        double dir = Math.signum(t1 - t0);
        SaveAt sa = o.saveAt();
        long heapDoubles = HeapCheck.sum(workspaceDoubles(method, rows, dim),
                HeapCheck.doubles(sa.kind() == SaveAt.Kind.TIMES ? sa.timeCount() : 1, rows, dim));
        if (!HeapCheck.fits(heapDoubles))
            return HeapCheck.problem(sa.kind() == SaveAt.Kind.TIMES ? "saving " + sa.timeCount() + " save times of "
                    + "rows × dim = " + rows + " × " + dim + " doubles" : "a solve of rows × dim = " + rows + " × " + dim
                    + " doubles", heapDoubles);
        if (sa.kind() == SaveAt.Kind.TIMES) {
            int k = sa.timeCount();
            for (int i = 0; i < k; i++) {
                double s = sa.time(i);
                if (dir * (s - t0) < 0 || dir * (s - t1) > 0)
                    return "save times must lie in [" + Math.min(t0, t1) + ", " + Math.max(t0, t1) + "], got times["
                            + i + "] = " + s;
            }
            if (k > 1 && Math.signum(sa.time(1) - sa.time(0)) != dir)
                return "save times must be " + (dir > 0 ? "increasing" : "decreasing") + " for t0 = " + t0 + ", t1 = "
                        + t1 + "; times[0] = " + sa.time(0) + ", times[1] = " + sa.time(1);
        }
        if (sa.kind() == SaveAt.Kind.DENSE && method.interpolant() == null)
            return "SaveAt.dense() needs a RungeKutta method, got " + method.name();
        double[] ts = o.tstopsView();
        for (int i = 0; i < ts.length; i++)
            if (dir * (ts[i] - t0) < 0 || dir * (ts[i] - t1) > 0)
                return "tstops must lie in [" + Math.min(t0, t1) + ", " + Math.max(t0, t1) + "], got tstops[" + i
                        + "] = " + ts[i];
        if (ts.length > 1 && Math.signum(ts[1] - ts[0]) != dir)
            return "tstops must be " + (dir > 0 ? "increasing" : "decreasing") + " for t0 = " + t0 + ", t1 = " + t1;
        String tolBad = checkTolLength("rtol", o.rtolVecView(), rows, dim);
        if (tolBad == null) tolBad = checkTolLength("atol", o.atolVecView(), rows, dim);
        if (tolBad != null) return tolBad;
        StepSizeController c = o.controller();
        String controllerBad = checkController(c, method);
        if (controllerBad != null) return controllerBad;
        if (method.requiresUniformSteps()) {
            if (c.isAdaptive()) return method.name() + " needs uniform steps: use ConstantStep";
            if (ts.length > 0) return method.name() + " needs uniform steps, so tstops are not supported";
            double dt = c.fixedStep(t0, t1);
            double ratio = Math.abs(t1 - t0) / dt;
            if (Math.abs(ratio - Math.rint(ratio)) > 1e-9 * Math.max(1.0, ratio))
                return method.name() + " needs uniform steps, but dt = " + dt + " does not divide |t1 - t0| = "
                        + Math.abs(t1 - t0) + ": use ConstantStep.steps(n)";
        }
        return null;
    }

    /**
     * About how many doubles a solve's workspace takes: y, y_new, the error and scratch, and for a Runge–Kutta method
     * its stages and stage inputs (the field's own workspace is checked by the field).
     */
    static long workspaceDoubles(OdeMethod method, int rows, int dim) {
        long perState = 4;
        if (method instanceof RungeKutta rk) {
            perState += 2L * rk.tableau().stages() + 1 + rk.interpolant().extraStages();
        }
        return HeapCheck.doubles(perState, rows, dim);
    }

    /**
     * The checks of the initial state that {@link Solver} and {@link PerSampleSolver} share: {@code dim} (derived from
     * {@code fieldDim} or from y0 and rows) is valid, y0 has length rows × dim and is finite. Returns the message of
     * the first violation, or null.
     */
    static String checkInitialState(int fieldDim, double[] y0, int rows, int dim) {
        if (dim < 1) {
            return fieldDim > 0 ? "field.dim() must be >= 1, or -1 for any, got " + fieldDim
                    : "y0.length must be a positive multiple of rows = " + rows + ", got " + y0.length;
        }
        if ((long) rows * dim != y0.length)
            return "y0 must have length rows × dim = " + rows + " × " + dim + " = " + (long) rows * dim
                    + ", got " + y0.length;
        if (StateKernels.allFinite(y0, 0, y0.length)) return null;
        for (int i = 0; i < y0.length; i++)
            if (!Double.isFinite(y0[i]))
                return "y0[" + i + "] (row " + i / dim + ", component " + i % dim + ") must be finite, got " + y0[i];
        return null;
    }

    static String checkTolLength(String name, double[] v, int rows, int dim) {
        if (v == null || v.length == dim || v.length == rows * dim) return null;
        return name + " per component must have length dim = " + dim + " or rows × dim = " + rows * dim + ", got "
                + v.length;
    }

    /** Null when the controller can drive the method, else why not (an adaptive controller needs an error estimate). */
    static String checkController(StepSizeController c, OdeMethod method) {
        if (!c.isAdaptive() || method.isAdaptive()) return null;
        return "controller " + c.getClass().getSimpleName() + " needs a method with an error estimate, but "
                + method.name() + " has none: use ConstantStep (SolveOptions.Builder.dt or steps), or an embedded "
                + "method such as dopri5, tsit5, bosh3 or dop853";
    }

    /**
     * One solve's state. {@link #solve} makes a fresh one per call; {@link #solveInto} reuses the workspace's, whose
     * output arrays then belong to the caller. The stepping buffers belong to the workspace.
     */
    static final class Run implements SaveSlots.Interpolation {
        private VectorField field;
        private int rows, dim, n;
        private double t0, t1, dir;
        private OdeMethod method;
        private SolveOptions o;
        private SolverWorkspace ws;
        private Stepper st;
        private StepControl control;
        private ErrorNorm norm;
        private double[] atolVec, rtolVec;
        private boolean adaptive;
        private SaveAt saveAt;
        // output
        private final SaveSlots saves = new SaveSlots();
        private DenseTrajectory dense;
        private Result result;
        private String message;
        private long nfe;
        /** The caller's initial state, for the failure message's max |y0| (only computed on failure). */
        private double[] y0;
        /** The first step's magnitude when the caller chose it (adaptive only), else NaN. */
        private double firstStep;

        /** Prepares a solve; null output arrays are allocated for the save policy. */
        void reset(VectorField field, double[] y0, int rows, int dim, double t0, double t1, OdeMethod method,
                   SolveOptions o, SolverWorkspace ws, double[] outTimes, double[] outStates) {
            this.field = field;
            this.rows = rows;
            this.dim = dim;
            this.n = rows * dim;
            this.t0 = t0;
            this.t1 = t1;
            this.dir = t1 > t0 ? 1.0 : -1.0;
            this.method = method;
            this.o = o;
            this.ws = ws;
            ws.prepare(method, field, rows, dim);
            this.st = ws.stepper;
            this.control = ws.control.configure(o.controller(), method.errorOrder(), o);
            this.norm = o.errorNorm();
            boolean perComponent = ws.expandTolerances(o.atol(), o.rtol(), o.atolVecView(), o.rtolVecView(), rows, dim);
            this.atolVec = perComponent ? ws.atolVec : null;
            this.rtolVec = perComponent ? ws.rtolVec : null;
            st.useTolerances(norm, o.atol(), o.rtol(), atolVec, rtolVec);
            this.adaptive = o.controller().isAdaptive();
            this.saveAt = o.saveAt();
            saves.reset(saveAt, t0, t1, n, outTimes, outStates, true);
            this.dense = saveAt.kind() == SaveAt.Kind.DENSE
                    ? new DenseTrajectory(method.interpolant(), n, t0, t1, dir) : null;
            this.result = null;
            this.message = "";
            this.nfe = 0;
            this.firstStep = Double.NaN;
            System.arraycopy(y0, 0, ws.y, 0, n);
            this.y0 = y0;
        }

        /** Drops the references to the caller's objects (a reused run must not keep them alive). */
        void release() {
            field = null;
            method = null;
            o = null;
            saveAt = null;
            saves.release();
            dense = null;
            norm = null;
            y0 = null;
            control.release();
        }

        /**
         * {@link #run} with the field's parameters {@linkplain FieldWorkspace#holdParameters held}: they cannot change
         * during the solve, so the field checks what it derived from them once.
         */
        Result runHeld() {
            FieldWorkspace fw = st.fieldWorkspace();
            fw.holdParameters();
            try {
                return run();
            } finally {
                fw.releaseParameters();
            }
        }

        Result run() {
            double[] y = ws.y, yNew = ws.yNew, err = adaptive ? ws.err : null;
            nfe += st.start(t0, y, rows);
            if (!StateKernels.allFinite(st.derivative(), 0, n)) {
                control.fail(Result.NONFINITE_STATE, "f(t0, y0) is not finite at t0 = " + t0);
                return finish(y);
            }
            saves.start(y);
            double h0 = o.controller().fixedStep(t0, t1);
            if (adaptive) {
                h0 = Double.isNaN(firstStep) ? o.dt0() : firstStep;
                if (Double.isNaN(h0)) {
                    h0 = initialStep(y);
                    nfe++;
                }
            }
            control.start(t0, t1, h0, o.tstopsView());
            StepObserver observer = o.observer();
            while (control.running() && control.propose()) {
                double t = control.t(), hStep = control.hStep(), tNew = control.tNew();
                nfe += st.attempt(t, hStep, tNew, y, yNew, err);
                double ratio = !StateKernels.allFinite(yNew, 0, n) ? Double.NaN : adaptive
                        ? st.errorRatio(norm, err, y, yNew, rows, dim, o.atol(), o.rtol(), atolVec, rtolVec) : 0.0;
                if (control.decide(ratio)) {
                    if (observer != null) {
                        try {
                            observer.onAcceptedStep(st);
                        } catch (EventLocator.Stop event) {
                            saveUpToEvent(event, t, hStep, tNew, yNew);
                            control.stop();
                            st.accept();
                            return finish(event.state);
                        }
                    }
                    saveInStep(t, hStep, tNew, yNew);
                    st.accept();
                    double[] tmp = y;
                    y = yNew;
                    yNew = tmp;
                }
            }
            return finish(y);
        }

        /**
         * Hairer, Nørsett and Wanner I §II.4 (torchdiffeq's {@code _select_initial_step}); one evaluation, of the
         * components the field reads and the norm measures only ({@link Stepper#probeComponents}): a seminorm's
         * adjoint skips its parameter quadratures here, with the same step size.
         */
        private double initialStep(double[] y0) {
            double[] f0 = st.derivative();
            double atol = o.atol(), rtol = o.rtol();
            double d0 = norm.measure(y0, y0, y0, rows, dim, atol, rtol, atolVec, rtolVec);
            double d1 = norm.measure(f0, y0, y0, rows, dim, atol, rtol, atolVec, rtolVec);
            double h0 = StepControl.initialGuess(d0, d1);
            double[] y1 = ws.yNew, f1 = ws.scratch, diff = ws.err;
            double sh = dir * h0;
            int m = Math.min(n, st.probeComponents());
            for (int i = 0; i < m; i++) y1[i] = y0[i] + sh * f0[i];
            st.evaluateLeading(t0 + sh, y1, f1, m);
            for (int i = 0; i < m; i++) diff[i] = f1[i] - f0[i];
            double d2 = norm.measure(diff, y0, y0, rows, dim, atol, rtol, atolVec, rtolVec) / h0;
            return StepControl.initialStep(h0, d1, d2, method.errorOrder());
        }

        private void saveInStep(double t, double hStep, double tNew, double[] yNew) {
            if (dense != null) {
                nfe += st.completeStages();
                dense.record(t, hStep, tNew, st.yBefore(), st.stages());
            }
            nfe += saves.inStep(t, hStep, tNew, yNew, this);
        }

        @Override
        public long interpolate(double theta, Object states, int offset) {
            return st.interpolate(theta, (double[]) states, offset);
        }

        /**
         * A terminating event inside the step just accepted: saves the requested times at or before the event time
         * (the step's interpolant), then appends the event point (t*, y*) unless it is a requested time already
         * saved. The dense trajectory records the whole step.
         */
        private void saveUpToEvent(EventLocator.Stop event, double t, double hStep, double tNew, double[] yNew) {
            double tStar = event.time;
            if (saveAt.kind() == SaveAt.Kind.TIMES) {
                nfe += saves.timesUpTo(tStar, event.state, t, hStep, tNew, yNew, this);
                if (saves.lastSavedAt(tStar)) return;
            } else if (dense != null) {
                nfe += st.completeStages();
                dense.record(t, hStep, tNew, st.yBefore(), st.stages());
            }
            saves.append(tStar, event.state);
        }

        /**
         * Ends the run with the step control's outcome: its message (a collapsed step size gets the advice fitted to
         * this solve, {@link Solver#collapseHint}, from the current state {@code y}), the statistics in the workspace,
         * and on failure a {@link SolveException} carrying the partial solution unless the options say not to throw.
         */
        private Result finish(double[] y) {
            Result r = control.result();
            this.result = r;
            this.message = r == Result.SUCCESSFUL ? ""
                    : outcomeMessage(control, r, maxAbs(y, n), maxAbs(y0, n), o.dtMin());
            ws.recordStats(nfe, control.accepted(), control.rejected(), st.jacobianEvaluations());
            ws.recordProposal(adaptive && r == Result.SUCCESSFUL ? control.proposal() : Double.NaN);
            if (r != Result.SUCCESSFUL && o.throwOnFailure()) throw new SolveException(toSolution());
            return r;
        }

        /** The outcome as a {@link Solution} over this run's output arrays. */
        Solution toSolution() {
            return new Solution(saves.times(), (double[]) saves.states(), saves.count(), rows, dim, new Stats(nfe, control.accepted(),
                    control.rejected(), st.jacobianEvaluations(), st.factorisations()), result, message, dense);
        }
    }

    /**
     * The message of a solve's outcome: "" on success, else the step control's message with its advice (for a
     * collapsed step size, {@link #collapseHint} from max |y| at the end and max |y0|).
     */
    static String outcomeMessage(StepControl control, Result r, double yMax, double y0Max, double dtMin) {
        return r == Result.SUCCESSFUL ? "" : r.describe(control.message(), r == Result.DT_MIN_REACHED
                ? collapseHint(control.t(), yMax, y0Max, dtMin) : r.hint());
    }

    /**
     * The advice for {@link Result#DT_MIN_REACHED}, fitted to the solve: an explicit method's step size collapses at a
     * singularity (a finite-time blow-up, such as y' = y² at t = 1/y0) or where the problem turns stiff; lowering
     * dtMin is offered only when dtMin is above 0.
     *
     * @param t     where the step size collapsed
     * @param yMax  max |y| there
     * @param y0Max max |y0|
     * @param dtMin the solve's dtMin
     */
    static String collapseHint(double t, double yMax, double y0Max, double dtMin) {
        double growth = yMax / Math.max(y0Max, Double.MIN_NORMAL);
        boolean growing = growth > 10;
        String blowUp = "the solution may blow up near t = " + t + " (max |y| = " + yMax
                + (growing ? String.format(java.util.Locale.ROOT, ", %.3g times max |y0|", growth) : "") + ")";
        if (dtMin > 0 && !growing) return "lower dtMin = " + dtMin + " or loosen rtol/atol; " + blowUp
                + " or the problem is stiff there";
        return blowUp + ", or the problem is stiff there; " + (dtMin > 0 ? "lower dtMin = " + dtMin + ", " : "")
                + "loosen rtol/atol, end the solve before t = " + t + ", or check the vector field";
    }

    /** max |v_i| (NaN if any is NaN), in four independent chains: max does not depend on the order. */
    static double maxAbs(double[] v, int n) {
        double m0 = 0.0, m1 = 0.0, m2 = 0.0, m3 = 0.0;
        int i = 0;
        for (; i + 4 <= n; i += 4) {
            m0 = Math.max(m0, Math.abs(v[i]));
            m1 = Math.max(m1, Math.abs(v[i + 1]));
            m2 = Math.max(m2, Math.abs(v[i + 2]));
            m3 = Math.max(m3, Math.abs(v[i + 3]));
        }
        for (; i < n; i++) m0 = Math.max(m0, Math.abs(v[i]));
        return Math.max(Math.max(m0, m1), Math.max(m2, m3));
    }
}
