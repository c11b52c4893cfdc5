package dev.panode.bench.solvers;

import dev.panode.bench.suite.PanodeBenchmark;
import dev.panode.solvers.RungeKutta;
import dev.panode.solvers.SolveOptions;
import dev.panode.solvers.Solution;
import dev.panode.solvers.Solver;
import dev.panode.solvers.SolverWorkspace;
import dev.panode.solvers.VectorField;
import dev.panode.solvers.problems.ClassicProblems;
import org.hipparchus.ode.ODEState;
import org.hipparchus.ode.ODEStateAndDerivative;
import org.hipparchus.ode.OrdinaryDifferentialEquation;
import org.hipparchus.ode.nonstiff.DormandPrince54Integrator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Forward solves of Lorenz (σ = 10, ρ = 28, β = 8/3, y0 = (1, 1, 1)) and Van der Pol (μ = 1, y0 = (2, 0)) over
 * [0, 20] at rtol 1e-6 / atol 1e-8: panode's dopri5 (default convention: Dormand–Prince b̂, lands on t1, as
 * Hipparchus; and the torchdiffeq-compatible convention) against Hipparchus's {@code DormandPrince54Integrator} in
 * the same run. The evaluations per solve are printed at the end of each trial ({@code nfe = ...}); bytes per solve
 * come from {@code -prof gc} ({@code gc.alloc.rate.norm}).
 */
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ClassicOdeBenchmark extends PanodeBenchmark {

    @Param({"lorenz", "vanderpol"})
    public String problem;

    private VectorField field;
    private OrdinaryDifferentialEquation hipparchusOde;
    private double[] y0;
    private final SolverWorkspace workspace = new SolverWorkspace();
    private SolveOptions defaults;
    private SolveOptions torchdiffeq;
    private DormandPrince54Integrator hipparchus;
    private long nfe;

    @Setup(Level.Trial)
    public void setUp() {
        boolean lorenz = problem.equals("lorenz");
        field = lorenz ? ClassicProblems.lorenz() : ClassicProblems.vanDerPol();
        y0 = lorenz ? new double[]{1, 1, 1} : new double[]{2, 0};
        hipparchusOde = new HipparchusOde(field);
        defaults = SolveOptions.builder().rtol(1e-6).atol(1e-8).build();
        torchdiffeq = defaults.toBuilder().torchdiffeqCompatible(true).build();
        hipparchus = new DormandPrince54Integrator(1e-12, 1e3, 1e-8, 1e-6);
    }

    @TearDown(Level.Trial)
    public void report() {
        System.out.println("nfe = " + nfe + " per solve (" + problem + ")");
    }

    @Benchmark
    public double panodeDopri5() {
        Solution s = Solver.solve(field, y0, 1, 0.0, 20.0, RungeKutta.dopri5(), defaults, workspace);
        nfe = s.stats().nfe();
        return s.value(0, 0, 0);
    }

    @Benchmark
    public double panodeDopri5Torchdiffeq() {
        Solution s = Solver.solve(field, y0, 1, 0.0, 20.0, RungeKutta.dopri5(), torchdiffeq, workspace);
        nfe = s.stats().nfe();
        return s.value(0, 0, 0);
    }

    @Benchmark
    public double hipparchusDormandPrince54() {
        ODEStateAndDerivative end = hipparchus.integrate(hipparchusOde, new ODEState(0.0, y0), 20.0);
        nfe = hipparchus.getEvaluations();
        return end.getPrimaryState()[0];
    }
}
