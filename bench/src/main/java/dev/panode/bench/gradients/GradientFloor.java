package dev.panode.bench.gradients;

import dev.panode.adjoint.gradients.GradientStats;
import dev.panode.adjoint.models.Mlp;
import dev.panode.bench.suite.BenchResult;
import dev.panode.bench.suite.RooflineModel;
import dev.panode.adjoint.models.Activation;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The flop floor of one gradient of an MLP neural ODE: the GEMM work no gradient of the same solve can avoid, run at
 * the dgemm peak. With F the GEMM flops of one field evaluation (2·B·Σ in·out):
 * <ul>
 *   <li>backprop: F per forward evaluation and 2F per VJP (W̄ and X̄ per layer; the forward's activations are kept,
 *       as autograd keeps them): {@code (forwardNfe + 2·backwardNfe)·F};</li>
 *   <li>the continuous adjoints: each backward evaluation is a VJP at a new point, its forward pass included:
 *       {@code (forwardNfe + 3·backwardNfe)·F}.</li>
 * </ul>
 * The counts come from one gradient of the case (adaptive steps make them a property of the solve, not of the
 * shape). As a {@link RooflineModel} it gives {@code panode bench --roofline} the floor of a benchmark, and the ratio
 * measured / floor; {@link #gemmFlopsDone} is what the implementation actually multiplies (more than the floor when
 * backprop rebuilds its stages).
 */
public final class GradientFloor implements RooflineModel {
    /** A gradient case the floor is computed for. */
    public interface Case {
        /** The cost of a gradient of the case (computing one if needed). */
        GradientStats stats();

        /** The case's model. */
        Mlp mlp();

        /** Samples in the batch. */
        int rows();

        /** Whether the gradient method is backprop. */
        boolean backprop();

        /** Field evaluations per re-solved forward step (the stages of the forward method). */
        int stages();
    }

    private final Function<Map<String, String>, Case> cases;
    private final Map<Map<String, String>, double[]> cache = new ConcurrentHashMap<>();

    /** @param cases the benchmark's case for its parameters */
    public GradientFloor(Function<Map<String, String>, Case> cases) {
        this.cases = cases;
    }

    /** The floor of {@link GradientBenchmark} (parameters shape, loss, method). */
    public static GradientFloor forGradientBenchmark() {
        return new GradientFloor(p -> new GradientCase(p.get("shape"), p.get("loss"), p.get("method")));
    }

    /** The floor of {@link SpiralGradientBenchmark} (parameter method). */
    public static GradientFloor forSpiralBenchmark() {
        return new GradientFloor(p -> new SpiralGradientCase(p.get("method")));
    }

    /** GEMM flops of one field evaluation of the case: 2·B·Σ in·out. */
    public static double flopsPerEvaluation(Case c) {
        return 2.0 * c.rows() * c.mlp().architecture().forwardMultiplyAddsPerRow();
    }

    /** The floor's GEMM flops for a gradient that cost {@code s}. */
    public static double floorFlops(Case c, GradientStats s) {
        double f = flopsPerEvaluation(c);
        if (c.backprop()) return (s.forwardNfe() + 2.0 * s.backwardNfe()) * f;
        return (s.forwardNfe() + 3.0 * adjointVjps(c, s)) * f;
    }

    /** The adjoint's VJPs: its backward evaluations less the re-solved forward steps' evaluations. */
    private static double adjointVjps(Case c, GradientStats s) {
        return Math.max(0, s.backwardNfe() - (double) s.stepsRecomputed() * c.stages());
    }

    /**
     * GEMM flops the implementation performs: the floor when backprop ran from saved stages; otherwise each of
     * backprop's backward evaluations counts as a full VJP (3F), which slightly overcounts the stage rebuilds (F);
     * the interpolating adjoint's re-solved steps count F per evaluation.
     */
    public static double gemmFlopsDone(Case c, GradientStats s) {
        double f = flopsPerEvaluation(c);
        if (c.backprop()) return (s.forwardNfe() + (s.stagesSaved() ? 2.0 : 3.0) * s.backwardNfe()) * f;
        double vjps = adjointVjps(c, s);
        return (s.forwardNfe() + 3.0 * vjps + (s.backwardNfe() - vjps)) * f;
    }

    /** Activations evaluated: one per hidden unit and sample per evaluation, forward and backward. */
    static double activations(Case c, GradientStats s) {
        var a = c.mlp().architecture();
        long perRow = 0;
        for (int l = 0; l < a.layerCount(); l++) {
            if (a.activations().get(l) != Activation.IDENTITY) perRow += a.outputs(l);
        }
        return (double) perRow * c.rows() * (s.forwardNfe() + s.backwardNfe());
    }

    @Override
    public double gemmFlops(Map<String, String> params) {
        return counts(params)[0];
    }

    @Override
    public double otherNanos(Map<String, String> params, List<BenchResult> sameRun) {
        double perElement = sameRun.stream()
                .filter(r -> r.benchmark().equals("dev.panode.bench.simd.ActivationBench.biasActivate")
                        && "TANH".equals(r.params().get("activation")) && r.params().containsKey("n"))
                .mapToDouble(r -> r.nanosPerOp() / Long.parseLong(r.params().get("n")))
                .min().orElse(0.0);
        return counts(params)[1] * perElement;
    }

    private double[] counts(Map<String, String> params) {
        return cache.computeIfAbsent(Map.copyOf(params), p -> {
            Case c = cases.apply(p);
            GradientStats s = c.stats();
            return new double[] {floorFlops(c, s), activations(c, s)};
        });
    }
}
