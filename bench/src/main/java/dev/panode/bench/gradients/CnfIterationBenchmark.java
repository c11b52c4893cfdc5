package dev.panode.bench.gradients;

import dev.panode.adjoint.gradients.AdjointNorm;
import dev.panode.adjoint.gradients.BacksolveAdjoint;
import dev.panode.adjoint.gradients.Backprop;
import dev.panode.adjoint.gradients.GradientMethod;
import dev.panode.adjoint.models.Activation;
import dev.panode.adjoint.models.Initialisation;
import dev.panode.adjoint.models.cnf.CnfField;
import dev.panode.adjoint.models.cnf.CnfTrainer;
import dev.panode.adjoint.models.cnf.FlowLikelihood;
import dev.panode.adjoint.models.cnf.SampleSource;
import dev.panode.adjoint.models.cnf.ToyDensity;
import dev.panode.adjoint.models.cnf.TraceEstimator;
import dev.panode.solvers.RungeKutta;
import dev.panode.solvers.SolveOptions;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One training iteration of a continuous normalising flow with the settings of torchdiffeq's {@code examples/cnf.py}:
 * D = 2, 64 hidden tanh units, the exact trace, a batch of 512 two-circles samples (radii 1 and 0.5), the base
 * N(0, 0.1·I), the flow over a time span of 10, dopri5 at rtol = atol = 1e-5, Adam at lr 1e-3; backprop (cnf.py's
 * default) or the adjoint ({@code --adjoint}; full norm as torchdiffeq, or the seminorm).
 *
 * <p>What differs from cnf.py: the time dependence is FFJORD's ConcatSquash (2 → 64 → 2, 520 parameters) instead of
 * cnf.py's hypernetwork 1 → 32 → 32 → 448 (15 904 parameters) that emits the weights (the hidden layer is the same size: 64 tanh units of
 * a 2-D input); float64 instead of float32; the circles' noise is 0.08·(1/3)·3 = 0.08 instead of 0.06 and the angles
 * are random instead of scikit-learn's grid. Each invocation restores the initial parameters first, so that every
 * measured iteration is an iteration at initialisation (the same NFE from call to call, as the Python timing script
 * {@code docs/examples/cnf_torchdiffeq_timing.py} does).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class CnfIterationBenchmark {

    /** backprop (cnf.py's default), adjoint (its --adjoint) or adjoint-seminorm. */
    @Param({"backprop", "adjoint", "adjoint-seminorm"})
    public String gradient;

    /** exact (as cnf.py) or hutchinson. */
    @Param({"exact"})
    public String trace;

    /** The two circles of cnf.py's {@code make_circles(factor=0.5)}: FFJORD's circles without the factor 3. */
    private static final SampleSource CIRCLES = (n, rng, out, offset, stride) -> {
        ToyDensity.CIRCLES.sampleInto(n, rng, out, offset, stride);
        for (int i = 0; i < n; i++) {
            out[offset + i * stride] /= 3.0;
            out[offset + i * stride + 1] /= 3.0;
        }
    };

    private CnfField field;
    private CnfTrainer trainer;
    private double[] initial;

    @Setup
    public void setUp() {
        int batch = 512;
        TraceEstimator est = trace.equals("exact") ? TraceEstimator.EXACT : TraceEstimator.HUTCHINSON_RADEMACHER;
        field = CnfField.initialised(CnfField.concatSquashNetwork(2, new int[] {64}, Activation.TANH),
                Initialisation.PYTORCH_DEFAULT, 1, est, batch);
        initial = field.parameters().clone();
        GradientMethod method = switch (gradient) {
            case "backprop" -> Backprop.storeAll();
            case "adjoint" -> BacksolveAdjoint.of(AdjointNorm.FULL);
            case "adjoint-seminorm" -> BacksolveAdjoint.of(AdjointNorm.SEMINORM);
            default -> throw new IllegalArgumentException("gradient must be backprop, adjoint or adjoint-seminorm, got "
                    + gradient);
        };
        trainer = new CnfTrainer(field, CIRCLES, batch, 10.0, new FlowLikelihood(0.1), RungeKutta.dopri5(),
                SolveOptions.builder().rtol(1e-5).atol(1e-5).build(), method, 1e-3, 3);
        trainer.step();
        System.arraycopy(initial, 0, field.parameters(), 0, initial.length);
        System.out.printf("%nCnfIterationBenchmark %s/%s: NFE forward %d, backward %d at initialisation%n", gradient,
                trace, trainer.forwardNfe(), trainer.backwardNfe());
    }

    @TearDown
    public void tearDown() {
        trainer.close();
    }

    /** Restores θ_0, then one iteration: a fresh batch, the NLL and its gradient, an Adam step. */
    @Benchmark
    public double iteration() {
        System.arraycopy(initial, 0, field.parameters(), 0, initial.length);
        return trainer.step();
    }
}
