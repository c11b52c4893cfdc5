package dev.panode.bench.mlp;

import dev.panode.adjoint.models.Mlp;
import dev.panode.bench.suite.PanodeBenchmark;
import dev.panode.solvers.FieldWorkspace;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * One MLP evaluation {@code f(t, Y)} and one VJP (ȳ, θ̄ and ∂/∂t with f) over a batch, for the reference shapes
 * D×H×B. {@link MlpBenchmarkReport} turns the times into GFLOP/s and a fraction of the OpenBLAS dgemm peak.
 *
 * <p>Two evaluations: {@link #evaluate} calls the field alone, so every call first checks that the weights behind
 * each layer's packed Wᵀ are unchanged (a comparison of all of W); {@link #evaluateHeld} evaluates with the
 * parameters {@linkplain FieldWorkspace#holdParameters held}, as a solver calls the field (parameters cannot change
 * during a solve, so only a solve's first evaluation compares): what one evaluation costs a user inside a solve.
 */
public class MlpFieldBenchmark extends PanodeBenchmark {

    /** D x H x B. */
    @Param({"2x50x1", "2x50x16", "2x64x1024", "32x256x256"})
    public String shape;

    private Mlp mlp;
    private FieldWorkspace ws;
    private FieldWorkspace heldWs;
    private double[] y;
    private double[] v;
    private double[] out;
    private double[] yBar;
    private double[] thetaBar;
    private int rows;

    @Setup
    public void setUp() {
        MlpShape s = MlpShape.parse(shape);
        mlp = s.mlp();
        rows = s.batch();
        ws = mlp.newWorkspace(rows);
        heldWs = mlp.newWorkspace(rows);
        heldWs.holdParameters();
        y = s.states();
        v = y.clone();
        out = new double[y.length];
        yBar = new double[y.length];
        thetaBar = new double[mlp.parameterCount()];
    }

    @Benchmark
    public double[] evaluate() {
        mlp.evaluate(0.0, y, out, rows, ws);
        return out;
    }

    /** One evaluation with the parameters held, as inside a solve (see the class comment). */
    @Benchmark
    public double[] evaluateHeld() {
        mlp.evaluate(0.0, y, out, rows, heldWs);
        return out;
    }

    @Benchmark
    public double vjp() {
        return mlp.vjp(0.0, y, v, yBar, thetaBar, out, rows, true, ws);
    }
}
