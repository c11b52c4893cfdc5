package dev.panode.bench.solvers;

import dev.panode.bench.suite.PanodeBenchmark;
import dev.panode.solvers.AutoSwitching;
import dev.panode.solvers.Esdirk;
import dev.panode.solvers.JacobianField;
import dev.panode.solvers.OdeMethod;
import dev.panode.solvers.Rosenbrock;
import dev.panode.solvers.RungeKutta;
import dev.panode.solvers.SolveOptions;
import dev.panode.solvers.Solution;
import dev.panode.solvers.Solver;
import dev.panode.solvers.SolverWorkspace;
import dev.panode.solvers.problems.IvpTestSet;
import dev.panode.solvers.problems.ReferenceProblem;
import org.hipparchus.ode.ODEState;
import org.hipparchus.ode.ODEStateAndDerivative;
import org.hipparchus.ode.OrdinaryDifferentialEquation;
import org.hipparchus.ode.nonstiff.DormandPrince54Integrator;
import org.hipparchus.ode.nonstiff.DormandPrince853Integrator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Stiff problems of the IVP Test Set: HIRES on [0, 321.8122] (rtol 1e-6, atol 1e-10) and Robertson on [0, 40]
 * (rtol 1e-6, atol (1e-8, 1e-14, 1e-6), CVODE's cvRoberts_dns tolerances): panode's implicit methods (kvaerno5,
 * rodas5p, analytic Jacobians; tsit5-rodas5p, the automatic switch) against the explicit methods (dopri5, tsit5) and Hipparchus's DormandPrince54 and 853
 * (Hipparchus has no integrator for stiff problems; these are its best). Robertson runs only to t = 40 so that the
 * explicit solvers finish; {@link #kvaerno5RobertsonTo1e11} and {@link #rodas5pRobertsonTo1e11} solve the Test Set's
 * full interval, where an explicit method would need of the order of 10^14 steps. Steps, evaluations, Jacobians and
 * LUs per solve are printed at the end of each trial.
 */
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class StiffOdeBenchmark extends PanodeBenchmark {

    @Param({"hires", "robertson"})
    public String problem;

    private JacobianField field;
    private OrdinaryDifferentialEquation hipparchusOde;
    private double[] y0;
    private double t1;
    private final SolverWorkspace workspace = new SolverWorkspace();
    private SolveOptions options;
    private DormandPrince54Integrator dp54;
    private DormandPrince853Integrator dp853;
    private String counts = "";

    @Setup(Level.Trial)
    public void setUp() {
        boolean hires = problem.equals("hires");
        ReferenceProblem p = hires ? IvpTestSet.HIRES : IvpTestSet.ROBER;
        field = p.field();
        hipparchusOde = new HipparchusOde(field);
        y0 = p.initialState();
        t1 = hires ? p.end() : 40.0;
        double[] atol = hires ? filled(8, 1e-10) : new double[] {1e-8, 1e-14, 1e-6};
        double[] rtol = filled(atol.length, 1e-6);
        options = SolveOptions.builder().rtol(1e-6).atol(atol).maxSteps(10_000_000).build();
        dp54 = new DormandPrince54Integrator(1e-20, 1e3, atol, rtol);
        dp853 = new DormandPrince853Integrator(1e-20, 1e3, atol, rtol);
    }

    private static double[] filled(int n, double v) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    @TearDown(Level.Trial)
    public void report() {
        System.out.println(problem + ": " + counts);
    }

    private double panode(OdeMethod m, double end) {
        Solution s = Solver.solve(field, y0, 1, 0.0, end, m, options, workspace);
        counts = m.name() + " " + s.stats();
        return s.lastState()[0];
    }

    /** The methods made once, so that the workspace keeps its stepper from one solve to the next. */
    private static final OdeMethod KVAERNO5 = Esdirk.kvaerno5(), RODAS5P = Rosenbrock.rodas5p(),
            AUTO = AutoSwitching.tsit5Rodas5p();

    @Benchmark
    public double kvaerno5() {
        return panode(KVAERNO5, t1);
    }

    @Benchmark
    public double rodas5p() {
        return panode(RODAS5P, t1);
    }

    /** Tsit5 until stiff, then Rodas5P ({@code tsit5-rodas5p}). */
    @Benchmark
    public double auto() {
        return panode(AUTO, t1);
    }

    @Benchmark
    public double dopri5() {
        return panode(RungeKutta.dopri5(), t1);
    }

    @Benchmark
    public double tsit5() {
        return panode(RungeKutta.tsit5(), t1);
    }

    @Benchmark
    public double hipparchusDormandPrince54() {
        ODEStateAndDerivative end = dp54.integrate(hipparchusOde, new ODEState(0.0, y0), t1);
        counts = "hipparchus DP54 nfe " + dp54.getEvaluations();
        return end.getPrimaryState()[0];
    }

    @Benchmark
    public double hipparchusDormandPrince853() {
        ODEStateAndDerivative end = dp853.integrate(hipparchusOde, new ODEState(0.0, y0), t1);
        counts = "hipparchus DP853 nfe " + dp853.getEvaluations();
        return end.getPrimaryState()[0];
    }

    /** Robertson on the Test Set's whole interval [0, 1e11] (the HIRES trial runs it too, on Robertson). */
    @Benchmark
    public double kvaerno5RobertsonTo1e11() {
        return robertsonTo1e11(KVAERNO5);
    }

    /** As {@link #kvaerno5RobertsonTo1e11} with Rodas5P. */
    @Benchmark
    public double rodas5pRobertsonTo1e11() {
        return robertsonTo1e11(RODAS5P);
    }

    private final SolverWorkspace longWorkspace = new SolverWorkspace();
    private static final SolveOptions LONG = SolveOptions.builder().rtol(1e-6).atol(new double[] {1e-8, 1e-14, 1e-6})
            .build();

    private double robertsonTo1e11(OdeMethod m) {
        Solution s = Solver.solve(IvpTestSet.ROBER.field(), IvpTestSet.ROBER.initialState(), 1, 0.0,
                IvpTestSet.ROBER.end(), m, LONG, longWorkspace);
        counts = m.name() + " to 1e11 " + s.stats();
        return s.lastState()[2];
    }
}
