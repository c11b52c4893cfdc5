package dev.panode.bench.solvers;

import dev.panode.bench.suite.PanodeBenchmark;
import dev.panode.solvers.Esdirk;
import dev.panode.solvers.FieldWorkspace;
import dev.panode.solvers.JacobianField;
import dev.panode.solvers.OdeMethod;
import dev.panode.solvers.Rosenbrock;
import dev.panode.solvers.RungeKutta;
import dev.panode.solvers.SolveOptions;
import dev.panode.solvers.Solution;
import dev.panode.solvers.Solver;
import dev.panode.solvers.SolverWorkspace;
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
 * rodas5p, analytic Jacobians) against the explicit methods (dopri5, tsit5) and Hipparchus's DormandPrince54 and 853
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
        field = hires ? new Hires() : new Robertson();
        hipparchusOde = new HipparchusOde(field);
        y0 = hires ? new double[] {1, 0, 0, 0, 0, 0, 0, 0.0057} : new double[] {1, 0, 0};
        t1 = hires ? 321.8122 : 40.0;
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

    @Benchmark
    public double kvaerno5() {
        return panode(Esdirk.kvaerno5(), t1);
    }

    @Benchmark
    public double rodas5p() {
        return panode(Rosenbrock.rodas5p(), t1);
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
        return robertsonTo1e11(Esdirk.kvaerno5());
    }

    /** As {@link #kvaerno5RobertsonTo1e11} with Rodas5P. */
    @Benchmark
    public double rodas5pRobertsonTo1e11() {
        return robertsonTo1e11(Rosenbrock.rodas5p());
    }

    private final SolverWorkspace longWorkspace = new SolverWorkspace();
    private static final Robertson ROBERTSON = new Robertson();
    private static final SolveOptions LONG = SolveOptions.builder().rtol(1e-6).atol(new double[] {1e-8, 1e-14, 1e-6})
            .build();

    private double robertsonTo1e11(OdeMethod m) {
        Solution s = Solver.solve(ROBERTSON, new double[] {1, 0, 0}, 1, 0.0, 1e11, m, LONG, longWorkspace);
        counts = m.name() + " to 1e11 " + s.stats();
        return s.lastState()[2];
    }

    /** HIRES (IVP Test Set) with its Jacobian. */
    static final class Hires implements JacobianField {
        @Override
        public void evaluate(double t, double[] y, double[] f, int rows, FieldWorkspace ws) {
            for (int r = 0; r < rows; r++) {
                int o = 8 * r;
                double y1 = y[o], y2 = y[o + 1], y3 = y[o + 2], y4 = y[o + 3], y5 = y[o + 4], y6 = y[o + 5],
                        y7 = y[o + 6], y8 = y[o + 7];
                f[o] = -1.71 * y1 + 0.43 * y2 + 8.32 * y3 + 0.0007;
                f[o + 1] = 1.71 * y1 - 8.75 * y2;
                f[o + 2] = -10.03 * y3 + 0.43 * y4 + 0.035 * y5;
                f[o + 3] = 8.32 * y2 + 1.71 * y3 - 1.12 * y4;
                f[o + 4] = -1.745 * y5 + 0.43 * y6 + 0.43 * y7;
                f[o + 5] = -280.0 * y6 * y8 + 0.69 * y4 + 1.71 * y5 - 0.43 * y6 + 0.69 * y7;
                f[o + 6] = 280.0 * y6 * y8 - 1.81 * y7;
                f[o + 7] = -280.0 * y6 * y8 + 1.81 * y7;
            }
        }

        @Override
        public void jacobian(double t, double[] y, double[] j, int rows, FieldWorkspace ws) {
            for (int r = 0; r < rows; r++) {
                int o = 8 * r, b = 64 * r;
                java.util.Arrays.fill(j, b, b + 64, 0.0);
                double y6 = y[o + 5], y8 = y[o + 7];
                j[b] = -1.71; j[b + 1] = 0.43; j[b + 2] = 8.32;
                j[b + 8] = 1.71; j[b + 9] = -8.75;
                j[b + 18] = -10.03; j[b + 19] = 0.43; j[b + 20] = 0.035;
                j[b + 25] = 8.32; j[b + 26] = 1.71; j[b + 27] = -1.12;
                j[b + 36] = -1.745; j[b + 37] = 0.43; j[b + 38] = 0.43;
                j[b + 43] = 0.69; j[b + 44] = 1.71; j[b + 45] = -280.0 * y8 - 0.43; j[b + 46] = 0.69; j[b + 47] = -280.0 * y6;
                j[b + 53] = 280.0 * y8; j[b + 54] = -1.81; j[b + 55] = 280.0 * y6;
                j[b + 61] = -280.0 * y8; j[b + 62] = 1.81; j[b + 63] = -280.0 * y6;
            }
        }

        @Override
        public int dim() {
            return 8;
        }

        @Override
        public boolean isAutonomous() {
            return true;
        }
    }

    /** Robertson's kinetics with its Jacobian. */
    static final class Robertson implements JacobianField {
        @Override
        public void evaluate(double t, double[] y, double[] f, int rows, FieldWorkspace ws) {
            for (int r = 0; r < rows; r++) {
                int o = 3 * r;
                f[o] = -0.04 * y[o] + 1e4 * y[o + 1] * y[o + 2];
                f[o + 2] = 3e7 * y[o + 1] * y[o + 1];
                f[o + 1] = -f[o] - f[o + 2];
            }
        }

        @Override
        public void jacobian(double t, double[] y, double[] j, int rows, FieldWorkspace ws) {
            for (int r = 0; r < rows; r++) {
                int o = 3 * r, b = 9 * r;
                double y2 = y[o + 1], y3 = y[o + 2];
                j[b] = -0.04; j[b + 1] = 1e4 * y3; j[b + 2] = 1e4 * y2;
                j[b + 3] = 0.04; j[b + 4] = -1e4 * y3 - 6e7 * y2; j[b + 5] = -1e4 * y2;
                j[b + 6] = 0; j[b + 7] = 6e7 * y2; j[b + 8] = 0;
            }
        }

        @Override
        public int dim() {
            return 3;
        }

        @Override
        public boolean isAutonomous() {
            return true;
        }
    }

    /** Any of the fields above for Hipparchus (which allocates its derivative array per call, by its API). */
    static final class HipparchusOde implements OrdinaryDifferentialEquation {
        private final JacobianField field;

        HipparchusOde(JacobianField field) {
            this.field = field;
        }

        @Override
        public int getDimension() {
            return field.dim();
        }

        @Override
        public double[] computeDerivatives(double t, double[] y) {
            double[] dy = new double[y.length];
            field.evaluate(t, y, dy, 1, FieldWorkspace.NONE);
            return dy;
        }
    }
}
