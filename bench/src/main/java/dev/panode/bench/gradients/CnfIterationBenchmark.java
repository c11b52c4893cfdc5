package dev.panode.bench.gradients;

import dev.panode.adjoint.gradients.AdjointNorm;
import dev.panode.adjoint.gradients.BacksolveAdjoint;
import dev.panode.adjoint.gradients.Backprop;
import dev.panode.adjoint.gradients.GradientMethod;
import dev.panode.adjoint.models.Activation;
import dev.panode.adjoint.models.Initialisation;
import dev.panode.adjoint.models.cnf.CnfField;
import dev.panode.adjoint.models.cnf.CnfTrainer;
import dev.panode.adjoint.models.cnf.FlowField;
import dev.panode.adjoint.models.cnf.FlowLikelihood;
import dev.panode.adjoint.models.cnf.HypernetworkCnfField;
import dev.panode.adjoint.models.cnf.TensorwiseFlowNorm;
import dev.panode.adjoint.models.cnf.SampleSource;
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
 * One training iteration of torchdiffeq's {@code examples/cnf.py}: its hypernetwork flow ({@link HypernetworkCnfField}:
 * hypernetwork 1 → 32 → 32 → 448 emitting the weights of 64 tanh units of a 2-D input, 15 904 parameters), the exact
 * trace, a batch of 512 samples of scikit-learn's {@code make_circles(noise=0.06, factor=0.5)} (the same
 * construction), the base N(0, 0.1·I), the flow from the data at t = 10 down to the base at t = 0, dopri5 at
 * rtol = atol = 1e-5, Adam at lr 1e-3; backprop (cnf.py's default) or the adjoint ({@code --adjoint}; full norm as
 * torchdiffeq, or the seminorm). {@code architecture=concatsquash} is the earlier stand-in (FFJORD's ConcatSquash
 * 2 → 64 → 2, 520 parameters, t from 0 to 10).
 *
 * <p>What differs from cnf.py: float64 (run {@code docs/examples/cnf_torchdiffeq_timing.py --dtype float64} for
 * torch at the same precision; cnf.py itself runs float32) and the random draws. Each invocation restores the initial
 * parameters first, so that every measured iteration is an iteration at initialisation (the same NFE from call to
 * call, as the Python timing script does).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class CnfIterationBenchmark {

    /** backprop (cnf.py's default), adjoint (its --adjoint) or adjoint-seminorm. */
    @Param({"backprop", "adjoint", "adjoint-seminorm"})
    public String gradient;

    /** exact (as cnf.py) or hutchinson (concatsquash only). */
    @Param({"exact"})
    public String trace;

    /** hypernetwork (cnf.py's) or concatsquash (the earlier stand-in). */
    @Param({"hypernetwork"})
    public String architecture;

    /**
     * scikit-learn's {@code make_circles(n, noise=0.06, factor=0.5)} as cnf.py draws its batches: n/2 points at evenly
     * spaced angles on the unit circle and the rest on the circle of radius 0.5, in random order, plus N(0, 0.06²).
     */
    static final SampleSource CIRCLES = (n, rng, out, offset, stride) -> {
        int outer = n / 2, inner = n - outer;
        for (int i = 0; i < n; i++) {
            boolean isOuter = i < outer;
            double angle = 2 * Math.PI * (isOuter ? i : i - outer) / (isOuter ? outer : inner);
            double radius = isOuter ? 1.0 : 0.5;
            out[offset + i * stride] = radius * Math.cos(angle) + 0.06 * rng.gaussian();
            out[offset + i * stride + 1] = radius * Math.sin(angle) + 0.06 * rng.gaussian();
        }
    };

    /**
     * panode (its defaults: one RMS error norm over the state) or torchdiffeq (its stepping conventions,
     * {@code SolveOptions.torchdiffeqCompatible}, and its norm for the tuple (z, log p), {@link TensorwiseFlowNorm}):
     * with the latter panode takes the steps torchdiffeq takes (replayed from torch's θ_0 by {@link CnfPeerReplay}:
     * the same loss to 2e-14 and NFE), so the two sides do the same work.
     */
    @Param({"panode", "torchdiffeq"})
    public String conventions;

    private FlowField field;
    private CnfTrainer trainer;
    private double[] initial;

    @Setup
    public void setUp() {
        int batch = 512;
        TraceEstimator est = trace.equals("exact") ? TraceEstimator.EXACT : TraceEstimator.HUTCHINSON_RADEMACHER;
        boolean hyper = architecture.equals("hypernetwork");
        if (!hyper && !architecture.equals("concatsquash")) {
            throw new IllegalArgumentException("architecture must be hypernetwork or concatsquash, got " + architecture);
        }
        field = hyper ? HypernetworkCnfField.initialised(2, 32, 64, 1)
                : CnfField.initialised(CnfField.concatSquashNetwork(2, new int[] {64}, Activation.TANH),
                        Initialisation.PYTORCH_DEFAULT, 1, est, batch);
        initial = field.parameters().clone();
        GradientMethod method = switch (gradient) {
            case "backprop" -> Backprop.storeAll();
            case "adjoint" -> BacksolveAdjoint.of(AdjointNorm.FULL);
            case "adjoint-seminorm" -> BacksolveAdjoint.of(AdjointNorm.SEMINORM);
            default -> throw new IllegalArgumentException("gradient must be backprop, adjoint or adjoint-seminorm, got "
                    + gradient);
        };
        trainer = new CnfTrainer(field, CIRCLES, batch, hyper ? 10.0 : 0.0, hyper ? 0.0 : 10.0, new FlowLikelihood(0.1),
                RungeKutta.dopri5(),
                options(conventions), method, 1e-3, 3);
        trainer.step();
        System.arraycopy(initial, 0, field.parameters(), 0, initial.length);
        System.out.printf("%nCnfIterationBenchmark %s/%s/%s/%s: NFE forward %d, backward %d at initialisation%n", architecture, conventions, gradient,
                trace, trainer.forwardNfe(), trainer.backwardNfe());
    }

    static SolveOptions options(String conventions) {
        SolveOptions.Builder b = SolveOptions.builder().rtol(1e-5).atol(1e-5);
        return switch (conventions) {
            case "panode" -> b.build();
            case "torchdiffeq" -> b.torchdiffeqCompatible(true).errorNorm(new TensorwiseFlowNorm(2)).build();
            default -> throw new IllegalArgumentException("conventions must be panode or torchdiffeq, got " + conventions);
        };
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
