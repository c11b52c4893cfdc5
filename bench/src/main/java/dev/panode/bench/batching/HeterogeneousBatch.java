package dev.panode.bench.batching;

import dev.panode.adjoint.models.Initialisation;
import dev.panode.adjoint.models.Mlp;
import dev.panode.adjoint.models.MlpArchitecture;
import dev.panode.bench.mlp.MlpShape;
import dev.panode.simd.NormKind;
import dev.panode.solvers.ErrorNorm;
import dev.panode.solvers.PerSampleSolution;
import dev.panode.solvers.PerSampleSolver;
import dev.panode.solvers.RowTimeField;
import dev.panode.solvers.RungeKutta;
import dev.panode.solvers.Solution;
import dev.panode.solvers.SolveOptions;
import dev.panode.solvers.Solver;
import dev.panode.solvers.SolverWorkspace;
import dev.panode.solvers.problems.ClassicProblems;
import java.util.Arrays;

/**
 * A batch whose samples need very different step counts, solved three ways: shared stepping ({@link Solver}, one
 * step size for the batch, the worst sample's error deciding, so every sample meets the tolerance as in per-sample
 * mode), per-sample with masking and per-sample with compaction ({@link PerSampleSolver}).
 *
 * <ul>
 *   <li>{@code mlp}: the reference MLP {@code d2_h50_b16_s3} (mlp3_tanh 2 → 50 → 50 → 2, weights ×3, regenerated from
 *       the reference file's SplitMix64 seed like {@link MlpShape}), its 16 initial states scaled by
 *       10^(−1 … 1) (0.1 … 10, log-spaced), t ∈ [0, 1];</li>
 *   <li>{@code vanderpol}: Van der Pol with μ log-spaced over 0.5 … 20 in one batch of 16 (μ rides in the state as a
 *       constant third component), y0 = (2, 0), t ∈ [0, 10].</li>
 * </ul>
 * rtol 1e-6, atol 1e-8, dopri5.
 *
 * @param name    "mlp" or "vanderpol"
 * @param field   the field
 * @param y0      the initial states
 * @param rows    the batch size
 * @param t1      the end time (t0 = 0)
 */
public record HeterogeneousBatch(String name, RowTimeField field, double[] y0, int rows, double t1) {
    /** The options of every solve here. */
    public static final SolveOptions OPTIONS = SolveOptions.builder().rtol(1e-6).atol(1e-8).build();
    /** Shared stepping: the worst sample's RMS error decides. */
    public static final SolveOptions SHARED = OPTIONS.toBuilder().errorNorm(ErrorNorm.worstRow(NormKind.RMS)).build();

    /** The case of that name. */
    public static HeterogeneousBatch of(String name) {
        return switch (name) {
            case "mlp" -> mlp();
            case "vanderpol" -> vanDerPol(16);
            default -> throw new IllegalArgumentException("name must be mlp or vanderpol, got " + name);
        };
    }

    /** d2_h50_b16_s3 with states scaled 0.1 … 10. */
    public static HeterogeneousBatch mlp() {
        MlpShape shape = MlpShape.parse("2x50x16");
        Mlp mlp = Mlp.initialised(MlpArchitecture.mlp3Tanh(2, 50), Initialisation.PYTORCH_DEFAULT, shape.weightSeed(),
                3.0);
        double[] y0 = shape.states();
        int rows = shape.batch();
        for (int r = 0; r < rows; r++) {
            double scale = Math.pow(10, -1 + 2.0 * r / (rows - 1));
            y0[2 * r] *= scale;
            y0[2 * r + 1] *= scale;
        }
        return new HeterogeneousBatch("mlp", mlp, y0, rows, 1.0);
    }

    /** Van der Pol with μ log-spaced over 0.5 … 20. */
    public static HeterogeneousBatch vanDerPol(int rows) {
        double[] y0 = new double[3 * rows];
        for (int r = 0; r < rows; r++) {
            y0[3 * r] = 2.0;
            y0[3 * r + 2] = 0.5 * Math.pow(40, r / (double) (rows - 1));
        }
        return new HeterogeneousBatch("vanderpol", ClassicProblems.vanDerPolMu(), y0, rows, 10.0);
    }

    /** Shared stepping. */
    public Solution shared(SolverWorkspace ws) {
        return Solver.solve(field, y0, rows, 0.0, t1, RungeKutta.dopri5(), SHARED, ws);
    }

    /** Per-sample stepping with the given packing. */
    public PerSampleSolution perSample(PerSampleSolver.Packing packing) {
        double[] t0 = new double[rows], t1s = new double[rows];
        Arrays.fill(t1s, t1);
        return PerSampleSolver.solve(field, y0, rows, t0, t1s, null, RungeKutta.dopri5(), OPTIONS, packing);
    }
}
