package dev.panode.bench.solvers;

import dev.panode.adjoint.models.Mlp;
import dev.panode.bench.mlp.MlpShape;
import dev.panode.bench.suite.PanodeBenchmark;
import dev.panode.solvers.OdeMethod;
import dev.panode.solvers.Methods;
import dev.panode.solvers.Solution;
import dev.panode.solvers.SolveOptions;
import dev.panode.solvers.Solver;
import dev.panode.solvers.SolverWorkspace;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * Forward solves of the reference MLP neural ODEs (the {@code bench_*.json} cases, weights regenerated from their seeds
 * by {@link MlpShape}) on [0, T], one solve per operation with a reused workspace, as a server would run them:
 * <ul>
 *   <li>{@code dopri5}: torchdiffeq-compatible dopri5 at rtol 1e-6 / atol 1e-8 (the same NFE as torchdiffeq, see
 *       the "fwd dopri5" column of docs/benchmarks/peers.md and the native C floor);</li>
 *   <li>{@code tsit5}: Tsitouras 5(4) at the same tolerances, landing on T;</li>
 *   <li>{@code rk4}: torchdiffeq's {@code rk4} (Kutta's 3/8 rule) with 100 steps (the "rk4 fwd" column of docs/benchmarks/peers.md).</li>
 * </ul>
 */
public class MlpSolveBenchmark extends PanodeBenchmark {

    /** D x H x B of the reference case. */
    @Param({"2x50x1", "2x50x16", "2x64x1024", "32x256x256"})
    public String shape;

    /** dopri5, tsit5 or rk4 (see the class comment). */
    @Param({"dopri5", "tsit5", "rk4"})
    public String method;

    /** The end time T. */
    @Param({"1"})
    public double t1;

    private Mlp mlp;
    private double[] z0;
    private int rows;
    private OdeMethod ode;
    private SolveOptions options;
    private final SolverWorkspace workspace = new SolverWorkspace();

    @Setup
    public void setUp() {
        MlpShape s = MlpShape.parse(shape);
        mlp = s.mlp();
        z0 = s.states();
        rows = s.batch();
        // torchdiffeq's names: its rk4 is the 3/8 rule, its dopri5 runs in the torchdiffeq-compatible convention
        ode = Methods.byName(method.equals("rk4") ? "rk4-38" : method);
        options = switch (method) {
            case "dopri5" -> SolveOptions.builder().rtol(1e-6).atol(1e-8).torchdiffeqCompatible(true).build();
            case "tsit5" -> SolveOptions.builder().rtol(1e-6).atol(1e-8).build();
            case "rk4" -> SolveOptions.builder().steps(100).build();
            default -> throw new IllegalArgumentException("method must be dopri5, tsit5 or rk4, got " + method);
        };
    }

    @Benchmark
    public Solution solve() {
        return Solver.solve(mlp, z0, rows, 0.0, t1, ode, options, workspace);
    }
}
