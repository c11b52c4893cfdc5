package dev.panode.bench.gradients;

import dev.panode.adjoint.gradients.AdjointNorm;
import dev.panode.adjoint.gradients.BacksolveF32;
import dev.panode.adjoint.gradients.BackpropF32;
import dev.panode.adjoint.gradients.Checkpointing;
import dev.panode.adjoint.gradients.InterpolatingF32;
import dev.panode.adjoint.gradients.Loss;
import dev.panode.adjoint.gradients.StageSaving;
import dev.panode.adjoint.models.MlpF32;
import dev.panode.bench.mlp.MlpShape;
import dev.panode.bench.suite.PanodeBenchmark;
import dev.panode.solvers.RungeKutta;
import dev.panode.solvers.SolveOptions;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * The float32 counterpart of {@link GradientBenchmark}: one full float gradient (forward float solve, loss, backward
 * pass) per operation through one reused session ({@link BackpropF32}, {@link BacksolveF32} or
 * {@link InterpolatingF32}, full norm or seminorm), on the same shapes, T = 1 and the same {@code final} and
 * {@code multi} (10 observations) losses; dopri5 in the torchdiffeq-compatible convention at torchdiffeq's float32
 * tolerances rtol 1e-4 / atol 1e-6 (docs/FLOAT32.md). The default runs backprop only; the adjoints are
 * {@code -p method=backsolve,backsolve-seminorm,interpolating,interpolating-seminorm}.
 */
public class GradientF32Benchmark extends PanodeBenchmark {

    /** D x H x B. */
    @Param({"2x50x1", "2x50x16", "2x64x1024", "32x256x256"})
    public String shape;

    /** final or multi (10 observations). */
    @Param({"final", "multi"})
    public String loss;

    /** Stage evaluations kept for backprop's VJPs: auto (the default rule), always or never (stages rebuilt). */
    @Param({"auto"})
    public String stageSaving;

    /**
     * What backprop and the interpolating adjoint keep of the forward pass: {@code all} (every step's record or dense
     * output), {@code binomial-C} (C float states; binomial checkpointing, or every k-th state with replayed segments,
     * beyond) or {@code budget-BYTES} (a byte budget), as {@link Checkpointing}.
     */
    @Param({"all"})
    public String checkpointing;

    /** backprop, backsolve, backsolve-seminorm, interpolating or interpolating-seminorm. */
    @Param({"backprop"})
    public String method;

    /** One session's {@code computeInto}. */
    private interface FloatGradient {
        double computeInto(float[] y0, double[] times, Loss loss, float[] dLdy0, float[] dLdTheta);
    }

    private FloatGradient session;
    private float[] z0;
    private double[] times;
    private Loss objective;
    private float[] dLdy0, dLdTheta;

    @Setup
    public void setUp() {
        MlpShape s = MlpShape.parse(shape);
        MlpF32 f = MlpF32.of(s.mlp());
        double[] z = s.states();
        z0 = new float[z.length];
        for (int i = 0; i < z.length; i++) z0[i] = (float) z[i];
        if (loss.equals("final")) {
            times = new double[] {0.0, 1.0};
            objective = Loss.sumOfSquaresAtEnd();
        } else if (loss.equals("multi")) {
            times = new double[11];
            for (int k = 0; k <= 10; k++) times[k] = k / 10.0;
            objective = Loss.sumOfSquaresAfterStart();
        } else {
            throw new IllegalArgumentException("loss must be final or multi, got " + loss);
        }
        SolveOptions options = SolveOptions.builder().rtol(1e-4).atol(1e-6).torchdiffeqCompatible(true).build();
        session = switch (method) {
            case "backprop" -> BackpropF32.session(f, s.batch(), RungeKutta.dopri5(), options,
                    StageSaving.valueOf(stageSaving.toUpperCase(java.util.Locale.ROOT)),
                    checkpointing(checkpointing))::computeInto;
            case "backsolve" -> BacksolveF32.session(f, s.batch(), RungeKutta.dopri5(), options,
                    AdjointNorm.FULL)::computeInto;
            case "backsolve-seminorm" -> BacksolveF32.session(f, s.batch(), RungeKutta.dopri5(), options,
                    AdjointNorm.SEMINORM)::computeInto;
            case "interpolating" -> InterpolatingF32.session(f, s.batch(), RungeKutta.dopri5(), options,
                    AdjointNorm.FULL, checkpointing(checkpointing))::computeInto;
            case "interpolating-seminorm" -> InterpolatingF32.session(f, s.batch(), RungeKutta.dopri5(), options,
                    AdjointNorm.SEMINORM, checkpointing(checkpointing))::computeInto;
            default -> throw new IllegalArgumentException("method must be backprop, backsolve, backsolve-seminorm, "
                    + "interpolating or interpolating-seminorm, got " + method);
        };
        dLdy0 = new float[z0.length];
        dLdTheta = new float[f.parameterCount()];
    }

    /** {@code all}, {@code binomial-C} or {@code budget-BYTES}. */
    static Checkpointing checkpointing(String name) {
        if (name.equals("all")) return Checkpointing.all();
        try {
            if (name.startsWith("binomial-")) return Checkpointing.binomial(Integer.parseInt(name.substring(9)));
            if (name.startsWith("budget-")) return Checkpointing.budget(Long.parseLong(name.substring(7)));
        } catch (NumberFormatException e) {
            // named below
        }
        throw new IllegalArgumentException("checkpointing must be all, binomial-C or budget-BYTES, got " + name);
    }

    @Benchmark
    public double gradient() {
        return session.computeInto(z0, times, objective, dLdy0, dLdTheta);
    }
}
