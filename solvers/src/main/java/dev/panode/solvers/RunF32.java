package dev.panode.solvers;

import dev.panode.simd.NormKind;
import dev.panode.simd.VectorApi;

/**
 * One float32 solve: the loop of {@link Solver.Run} on {@code float[]} states, stepping through the same
 * {@link StepControl} (time, step size and the scaled error ratio in double), the same tableaux and interpolants and
 * the same saving rules (save times interpolated inside the step that reaches them, y(t1) stored or interpolated), so
 * that a float solve takes the steps a double solve of the float field would take, to rounding. Explicit
 * {@link RungeKutta} methods only; save policies {@link SaveAt#t1()}, {@link SaveAt#times} and {@link SaveAt#steps()};
 * the built-in RMS and max norms or a {@link BlockNorm}, with scalar tolerances; no observer.
 */
final class RunF32 implements SaveSlots.Interpolation {
    private FloatField field;
    private int rows, dim, n;
    private double t0, t1, dir;
    private RungeKutta method;
    private SolveOptions o;
    private SolverWorkspaceF32 ws;
    private RkStepperF32 st;
    private StepControl control;
    private NormKind kind;
    /** The options' block norm, or null for a built-in norm of {@link #kind}. */
    private BlockNorm blocks;
    private boolean adaptive;
    private final SaveSlots saves = new SaveSlots();
    private Result result;
    private String message;
    private long nfe;
    private double y0Max;
    private FloatStepObserver observer;
    /** The first step's magnitude given by the caller; NaN for the options' dt0 or the initial-step heuristic. */
    private double firstStep = Double.NaN;

    // ---------------------------------------------------------------- entry points (Solver delegates here)

    static SolutionF32 solve(FloatField field, float[] y0, int rows, double t0, double t1, OdeMethod method,
                             SolveOptions options, SolverWorkspaceF32 workspace) {
        VectorApi.require();
        if (options == null) throw new IllegalArgumentException("INVALID_ARGUMENT: options must be non-null");
        String bad = argumentProblem(field, y0, rows, t0, t1, method, options, workspace);
        if (bad != null) {
            String msg = "INVALID_ARGUMENT: " + bad;
            if (options.throwOnFailure()) throw new IllegalArgumentException(msg);
            int d = field != null && y0 != null && rows > 0 ? Math.max(dimOf(field, y0, rows), 0) : 0;
            return new SolutionF32(new double[0], new float[0], 0, Math.max(rows, 0), d, new Stats(0, 0, 0),
                    Result.INVALID_ARGUMENT, msg);
        }
        RunF32 run = new RunF32();
        run.reset(field, y0, rows, dimOf(field, y0, rows), t0, t1, (RungeKutta) TorchdiffeqConventions.method(method,
                options), options, workspace, null, null);
        run.runHeld();
        return run.toSolution();
    }

    static Result solveInto(FloatField field, float[] y0, int rows, double t0, double t1, OdeMethod method,
                            SolveOptions options, SolverWorkspaceF32 workspace, float[] savedStates,
                            FloatStepObserver observer, double dt0) {
        Solver.checkFirstStep(dt0);
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
        RunF32 run = workspace.run;
        if (run == null) workspace.run = run = new RunF32();
        if (workspace.saveTimes.length < saves) workspace.saveTimes = new double[saves];
        run.reset(field, y0, rows, dim, t0, t1, (RungeKutta) TorchdiffeqConventions.method(method, options), options,
                workspace, workspace.saveTimes, savedStates);
        run.observer = observer;
        run.firstStep = dt0;
        try {
            return run.runHeld();
        } finally {
            run.release();
        }
    }

    /** The first invalid argument of a float solve, as a message, or null. */
    static String argumentProblem(FloatField field, float[] y0, int rows, double t0, double t1, OdeMethod method,
                                  SolveOptions o, SolverWorkspaceF32 workspace) {
        if (field == null) return "field must be non-null";
        if (y0 == null) return "y0 must be non-null";
        if (method == null) return "method must be non-null";
        if (workspace == null) return "workspace must be non-null";
        if (rows < 1) return "rows must be >= 1, got " + rows;
        int dim = dimOf(field, y0, rows);
        if (dim < 1) {
            return field.dim() > 0 ? "field.dim() must be >= 1, or -1 for any, got " + field.dim()
                    : "y0.length must be a positive multiple of rows = " + rows + ", got " + y0.length;
        }
        if ((long) rows * dim != y0.length)
            return "y0 must have length rows × dim = " + rows + " × " + dim + " = " + (long) rows * dim + ", got "
                    + y0.length;
        for (int i = 0; i < y0.length; i++)
            if (!Float.isFinite(y0[i]))
                return "y0[" + i + "] (row " + i / dim + ", component " + i % dim + ") must be finite, got " + y0[i];
        if (!(method instanceof RungeKutta))
            return "method must be an explicit Runge–Kutta method in float32 (e.g. dopri5, tsit5, bosh3, rk4), got "
                    + method.name();
        if (o.builtInNormKind() == null && !(o.errorNorm() instanceof BlockNorm))
            return "options.errorNorm must be the built-in RMS or max norm or a BlockNorm in float32, got a custom "
                    + "ErrorNorm";
        if (o.errorNorm() instanceof BlockNorm b && b.componentsMeasured() > (long) rows * dim)
            return "options.errorNorm's blocks must lie inside the state of rows × dim = " + (long) rows * dim
                    + " components, got blocks up to component " + b.componentsMeasured();
        if (o.rtolVecView() != null || o.atolVecView() != null)
            return "per-component tolerances are not supported in float32, got rtol/atol arrays";
        if (o.observer() != null) return "options.observer is not supported in float32, got " + o.observer();
        if (o.saveAt().kind() == SaveAt.Kind.DENSE)
            return "options.saveAt must be t1, times or steps in float32, got " + o.saveAt();
        return Solver.validateSpan(rows, dim, t0, t1, method, o);
    }

    private static int dimOf(FloatField field, float[] y0, int rows) {
        return field.dim() > 0 ? field.dim() : (y0.length % rows == 0 ? y0.length / rows : -1);
    }

    // ---------------------------------------------------------------- the run

    /** Prepares a solve; null output arrays are allocated for the save policy. */
    void reset(FloatField field, float[] y0, int rows, int dim, double t0, double t1, RungeKutta method,
               SolveOptions o, SolverWorkspaceF32 ws, double[] outTimes, float[] outStates) {
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
        this.blocks = o.errorNorm() instanceof BlockNorm b ? b : null;
        this.kind = blocks != null ? blocks.kind() : o.builtInNormKind();
        this.adaptive = o.controller().isAdaptive();
        saves.reset(o.saveAt(), t0, t1, n, outTimes, outStates, false);
        this.result = null;
        this.message = "";
        this.nfe = 0;
        System.arraycopy(y0, 0, ws.y, 0, n);
        this.y0Max = maxAbs(y0, n);
        this.observer = null;
        this.firstStep = Double.NaN;
    }

    /** Drops the references to the caller's objects. */
    void release() {
        field = null;
        method = null;
        o = null;
        saves.release();
        observer = null;
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
        float[] y = ws.y, yNew = ws.yNew, err = adaptive ? ws.err : null;
        nfe += st.start(t0, y, rows, ws.normLength, blocks);
        if (!allFinite(st.derivative(), n)) {
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
        double atol = o.atol(), rtol = o.rtol();
        while (control.running() && control.propose()) {
            double t = control.t(), hStep = control.hStep(), tNew = control.tNew();
            nfe += st.attempt(t, hStep, tNew, y, yNew, err);
            double ratio = !allFinite(yNew, n) ? Double.NaN
                    : adaptive ? st.errorRatio(kind, err, y, yNew, atol, rtol) : 0.0;
            if (control.decide(ratio)) {
                if (observer != null) observer.onAcceptedStep(t, hStep, tNew, y, yNew);
                nfe += saves.inStep(t, hStep, tNew, yNew, this);
                st.accept();
                float[] tmp = y;
                y = yNew;
                yNew = tmp;
            }
        }
        return finish(y);
    }

    /** Hairer, Nørsett and Wanner I §II.4, as {@link Solver.Run}: the norms in double, the probe state in float. */
    private double initialStep(float[] y0) {
        float[] f0 = st.derivative();
        double atol = o.atol(), rtol = o.rtol();
        double d0 = st.norm(kind, y0, y0, atol, rtol);
        double d1 = st.norm(kind, f0, y0, atol, rtol);
        double h0 = StepControl.initialGuess(d0, d1);
        float[] y1 = ws.yNew, f1 = ws.scratch, diff = ws.err;
        float sh = (float) (dir * h0);
        for (int i = 0; i < n; i++) y1[i] = y0[i] + sh * f0[i];
        st.evaluate(t0 + dir * h0, y1, f1);
        for (int i = 0; i < n; i++) diff[i] = f1[i] - f0[i];
        double d2 = st.norm(kind, diff, y0, atol, rtol) / h0;
        return StepControl.initialStep(h0, d1, d2, method.errorOrder());
    }

    @Override
    public long interpolate(double theta, Object states, int offset) {
        return st.interpolate(theta, (float[]) states, offset);
    }

    private Result finish(float[] y) {
        Result r = control.result();
        this.result = r;
        this.message = Solver.outcomeMessage(control, r, maxAbs(y, n), y0Max, o.dtMin());
        ws.recordStats(nfe, control.accepted(), control.rejected());
        ws.recordProposal(adaptive && r == Result.SUCCESSFUL ? control.proposal() : Double.NaN);
        if (r != Result.SUCCESSFUL && o.throwOnFailure()) throw new SolveException(toSolution().widened());
        return r;
    }

    SolutionF32 toSolution() {
        return new SolutionF32(saves.times(), (float[]) saves.states(), saves.count(), rows, dim,
                new Stats(nfe, control.accepted(), control.rejected()), result, message);
    }

    private static double maxAbs(float[] v, int n) {
        double m = 0.0;
        for (int i = 0; i < n; i++) m = Math.max(m, Math.abs(v[i]));
        return m;
    }

    private static boolean allFinite(float[] v, int n) {
        float acc = 0.0f;
        for (int i = 0; i < n; i++) acc += v[i] * 0.0f;
        return acc == 0.0f;
    }
}
