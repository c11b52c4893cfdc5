package dev.panode.bench.solvers;

import dev.panode.adjoint.gradients.MultistepBackprop;
import dev.panode.adjoint.models.Initialisation;
import dev.panode.adjoint.models.Mlp;
import dev.panode.adjoint.models.MlpArchitecture;
import dev.panode.adjoint.models.PerStepParameters;
import dev.panode.bench.suite.PanodeBenchmark;
import dev.panode.solvers.AdamsBashforth;
import dev.panode.solvers.Leapfrog;
import dev.panode.solvers.LinearMultistep;
import dev.panode.solvers.MultistepSolver;
import dev.panode.solvers.MultistepWorkspace;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A "ResNet as an ODE": the reference MLP (D = 2, H = 50, tanh, batch 16) with its own parameters on each of
 * N = 100 steps, integrated over [0, 1] by a linear multistep method ({@code MultistepSolver.integrate}, allocation
 * free), and the forward pass plus the backward pass of {@code MultistepBackprop} in each gradient mode. The
 * gradient modes differ by at most one VJP and an O(N·P) post-pass, so their times should agree; the forward pass is
 * one field evaluation per step, the backward pass one VJP per step.
 */
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class MultistepGradientBenchmark extends PanodeBenchmark {
    private static final int DIM = 2;
    private static final int ROWS = 16;
    private static final int STEPS = 100;

    /** {@code leapfrog-EXACT}, {@code leapfrog-FILTERED}, {@code leapfrog-CONSISTENT_ADJOINT}, {@code ab4-EXACT}. */
    @Param({"leapfrog-EXACT", "leapfrog-FILTERED", "leapfrog-CONSISTENT_ADJOINT", "ab4-EXACT"})
    public String variant;

    private LinearMultistep method;
    private PerStepParameters field;
    private MultistepBackprop backprop;
    private MultistepWorkspace forwardWs;
    private MultistepBackprop.Workspace backwardWs;
    private double[][] states;
    private final double[] y0 = new double[ROWS * DIM];
    private final double[] g = new double[ROWS * DIM];
    private final double[] y0Bar = new double[ROWS * DIM];
    private double[] thetaBar;

    @Setup(Level.Trial)
    public void setUp() {
        String[] parts = variant.split("-", 2);
        method = parts[0].equals("leapfrog") ? Leapfrog.of() : AdamsBashforth.of(4);
        Mlp mlp = Mlp.initialised(MlpArchitecture.mlp3Tanh(DIM, 50), Initialisation.PYTORCH_DEFAULT, 1001);
        field = PerStepParameters.replicate(mlp, STEPS);
        backprop = new MultistepBackprop(method, MultistepBackprop.Mode.valueOf(parts[1]));
        forwardWs = new MultistepWorkspace(method, field, ROWS);
        backwardWs = backprop.newWorkspace(field, ROWS);
        states = new double[STEPS + 1][ROWS * DIM];
        thetaBar = new double[STEPS * field.parametersPerStep()];
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < y0.length; i++) {
            y0[i] = r.nextDouble(-1, 1);
            g[i] = r.nextDouble(-1, 1);
        }
    }

    @Benchmark
    public double forward() {
        MultistepSolver.integrate(method, field, 0.0, 1.0 / STEPS, STEPS, y0, ROWS, states, forwardWs);
        return states[STEPS][0];
    }

    @Benchmark
    public double forwardAndGradient() {
        MultistepSolver.integrate(method, field, 0.0, 1.0 / STEPS, STEPS, y0, ROWS, states, forwardWs);
        backprop.gradient(field, 0.0, 1.0 / STEPS, STEPS, ROWS, states, g, y0Bar, thetaBar, backwardWs);
        return thetaBar[0];
    }
}
