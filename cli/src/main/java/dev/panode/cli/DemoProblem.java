package dev.panode.cli;

import dev.panode.adjoint.models.DifferentiableField;
import dev.panode.adjoint.models.Initialisation;
import dev.panode.adjoint.models.InputTransform;
import dev.panode.adjoint.models.LinearField;
import dev.panode.adjoint.models.Mlp;
import dev.panode.adjoint.models.MlpArchitecture;
import dev.panode.adjoint.models.MlpF32;
import dev.panode.adjoint.models.SpiralField;
import dev.panode.adjoint.training.TrajectoryDataset;
import dev.panode.adjoint.models.Activation;
import java.util.SplittableRandom;

/**
 * The problems {@code panode demo} can learn: the true dynamics, the observations drawn from them, the model and the
 * training defaults that make each one fit in well under a minute.
 */
enum DemoProblem {
    /**
     * torchdiffeq's {@code ode_demo.py}: {@code dy/dt = (y³)·A}, {@code A = [[-0.1, 2.0], [-2.0, -0.1]]},
     * y0 = (2, 0), 1000 observations on [0, 25]; the model is an MLP 2→50→2 with tanh, fed y³.
     */
    SPIRAL("spiral", "the spiral of torchdiffeq's ode_demo: dy/dt = (y^3)·A",
            new String[] {"y1", "y2"}, 1000, 25.0, 0.0, 1000, 40, 10, 0.01) {
        @Override
        DifferentiableField truth() {
            return SpiralField.torchdiffeqDemo();
        }

        /**
         * {@code (y³)·A} in float, as the script's float32 run evaluates it ({@code torch.mm(y**3, true_A)}): one
         * linear layer fed y³, with weights {@code W = Aᵀ} (so that {@code y³·Wᵀ = y³·A}) and zero biases.
         */
        @Override
        MlpF32 truthF32() {
            double[] a = SpiralField.torchdiffeqDemo().parameters();
            float[] layer = new float[6];
            for (int i = 0; i < 2; i++) for (int j = 0; j < 2; j++) layer[j * 2 + i] = (float) a[i * 2 + j];
            return new MlpF32(MlpArchitecture.of(2, 1, 0, Activation.IDENTITY).withInputTransform(InputTransform.CUBE),
                    layer);
        }

        @Override
        double[] initialStates() {
            return new double[] {2.0, 0.0};
        }

        @Override
        MlpArchitecture architecture() {
            return MlpArchitecture.of(2, 50, 1, Activation.TANH).withInputTransform(InputTransform.CUBE);
        }
    },

    /**
     * A damped harmonic oscillator {@code x'' + 2ζω x' + ω² x = 0} with ω = 1, ζ = 0.1, state (x, v); four trajectories
     * of 300 noisy observations (σ = 0.03) on [0, 15]; the model is an MLP 2→32→2 with tanh.
     */
    OSCILLATOR("oscillator", "a damped harmonic oscillator x'' + 0.2 x' + x = 0, learned from noisy observations",
            new String[] {"x", "v"}, 300, 15.0, 0.03, 600, 24, 20, 0.01) {
        @Override
        DifferentiableField truth() {
            return LinearField.of(new double[][] {{0.0, 1.0}, {-1.0, -0.2}});
        }

        @Override
        double[] initialStates() {
            return new double[] {1.5, 0.0, -1.0, 1.0, 0.0, -1.8, 0.7, 0.9};
        }

        @Override
        MlpArchitecture architecture() {
            return MlpArchitecture.of(2, 32, 1, Activation.TANH);
        }
    };

    final String cliName;
    final String description;
    final String[] componentNames;
    final int observations;
    final double tEnd;
    final double noise;
    final int defaultIterations;
    final int defaultBatchSize;
    final int defaultWindow;
    final double defaultLearningRate;

    DemoProblem(String cliName, String description, String[] componentNames, int observations, double tEnd, double noise,
                int defaultIterations, int defaultBatchSize, int defaultWindow, double defaultLearningRate) {
        this.cliName = cliName;
        this.description = description;
        this.componentNames = componentNames;
        this.observations = observations;
        this.tEnd = tEnd;
        this.noise = noise;
        this.defaultIterations = defaultIterations;
        this.defaultBatchSize = defaultBatchSize;
        this.defaultWindow = defaultWindow;
        this.defaultLearningRate = defaultLearningRate;
    }

    /** The true dynamics. */
    abstract DifferentiableField truth();

    /**
     * The true dynamics in float32, for data solved as torchdiffeq's float32 {@code ode_demo.py} solves them; null
     * (the default) when the problem's float32 run keeps its data in double.
     */
    MlpF32 truthF32() {
        return null;
    }

    /** The initial state of every observed trajectory, {@code trajectories × 2}. */
    abstract double[] initialStates();

    /** The model's shape. */
    abstract MlpArchitecture architecture();

    int trajectories() {
        return initialStates().length / 2;
    }

    /** The observation times: {@link #observations} equally spaced points on [0, tEnd]. */
    double[] times() {
        double[] t = new double[observations];
        for (int k = 0; k < observations; k++) t[k] = tEnd * k / (observations - 1);
        return t;
    }

    /**
     * A freshly initialised model as in torchdiffeq's {@code ode_demo.py}: weights ~ N(0, 0.1²), biases 0 (so the
     * untrained field vanishes at the origin). Both layers have fan-in + fan-out = dim + hidden, so Xavier-normal with
     * one scale gives exactly that deviation.
     */
    Mlp newModel(long seed) {
        MlpArchitecture a = architecture();
        double xavierDeviation = Math.sqrt(2.0 / (a.dim() + a.widths().getFirst()));
        return Mlp.initialised(a, Initialisation.XAVIER_NORMAL, seed, 0.1 / xavierDeviation);
    }

    /**
     * The observations: the true flow from every initial state at {@link #times()} (solved by dopri5 at rtol 1e-10),
     * plus Gaussian noise of deviation {@link #noise} drawn from {@code seed}. Returns {@code [clean, observed]}, each
     * {@code trajectories × K × 2}.
     */
    double[][] observe(long seed) {
        return observe(seed, false);
    }

    /**
     * As {@link #observe(long)}; with {@code float32} and a {@link #truthF32()}, the true flow is the float solve of
     * that field from y0 rounded to float, by dopri5 at torchdiffeq's default rtol 1e-7 / atol 1e-9 (what the
     * script's float32 run does), each value then widened to double exactly.
     */
    double[][] observe(long seed, boolean float32) {
        double[] y0 = initialStates();
        int n = trajectories();
        double[] t = times();
        MlpF32 truth32 = float32 ? truthF32() : null;
        double[] timeMajor = truth32 != null
                ? Numerics.solveF32(truth32, y0, n, t, Numerics.REFERENCE_F32).widened().states()
                : Numerics.solve(truth(), y0, n, t, Numerics.REFERENCE).states();
        int k = t.length;
        double[] clean = new double[n * k * 2];
        for (int s = 0; s < k; s++) for (int b = 0; b < n; b++) {
            clean[(b * k + s) * 2] = timeMajor[(s * n + b) * 2];
            clean[(b * k + s) * 2 + 1] = timeMajor[(s * n + b) * 2 + 1];
        }
        double[] observed = clean.clone();
        if (noise > 0.0) {
            SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
            for (int i = 0; i < observed.length; i++) observed[i] += noise * gaussian(random);
        }
        return new double[][] {clean, observed};
    }

    TrajectoryDataset dataset(double[] observed) {
        return new TrajectoryDataset(times(), observed, trajectories(), 2);
    }

    static DemoProblem parse(String s) {
        for (DemoProblem p : values()) if (p.cliName.equalsIgnoreCase(s)) return p;
        throw new IllegalArgumentException("the demo problem must be spiral or oscillator, got " + s);
    }

    private static double gaussian(SplittableRandom r) {
        double u1 = 1.0 - r.nextDouble();
        double u2 = r.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }
}
