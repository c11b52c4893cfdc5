package dev.panode.bench.gradients;

import dev.panode.adjoint.gradients.AdjointNorm;
import dev.panode.adjoint.gradients.BacksolveAdjoint;
import dev.panode.adjoint.gradients.Backprop;
import dev.panode.adjoint.gradients.GradientMethod;
import dev.panode.adjoint.gradients.GradientSession;
import dev.panode.adjoint.gradients.Gradients;
import dev.panode.adjoint.models.cnf.FlowLikelihood;
import dev.panode.adjoint.models.cnf.HypernetworkCnfField;
import dev.panode.adjoint.models.cnf.TensorwiseFlowNorm;
import dev.panode.adjoint.models.cnf.TimeReversedFlow;
import dev.panode.solvers.RungeKutta;
import dev.panode.solvers.SolveOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * One iteration of torchdiffeq's {@code examples/cnf.py} replayed from torch's own numbers: reads the file that
 * {@code docs/examples/cnf_torchdiffeq_timing.py --dump FILE} writes (θ_0 in torch's {@code state_dict} order, the
 * batch, torch's loss, NFE and gradient), solves the same problem with {@link HypernetworkCnfField} for each gradient
 * method and prints the loss, the NFE and the gradient's relative difference from torch's. Run torch in float64
 * ({@code --dtype float64}) for a comparison to the tolerances rather than to float32 rounding.
 * <pre>
 *   java … dev.panode.bench.gradients.CnfPeerReplay FILE
 * </pre>
 */
public final class CnfPeerReplay {
    private CnfPeerReplay() {}

    /** One argument: the file torch wrote. */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) throw new IllegalArgumentException("args must be one file written by --dump, got "
                + args.length + " arguments");
        List<String> lines = Files.readAllLines(Path.of(args[0]));
        double[] theta = numbers(lines.get(0)), x = numbers(lines.get(1)), head = numbers(lines.get(2));
        double[] torchGrad = numbers(lines.get(3));
        int rows = x.length / 2;
        double[] y0 = new double[rows * 3];
        for (int r = 0; r < rows; r++) {
            y0[3 * r] = x[2 * r];
            y0[3 * r + 1] = x[2 * r + 1];
        }
        HypernetworkCnfField field = new HypernetworkCnfField(2, 32, 64, theta);
        System.out.printf("torchdiffeq: loss %.10f, NFE forward %d, backward %d%n", head[0], (int) head[1],
                (int) head[2]);
        String[] settings = {"panode's defaults (RMS over (z, ℓ))",
            "torchdiffeq's stepping conventions (SolveOptions.torchdiffeqCompatible), RMS over (z, ℓ)",
            "torchdiffeq's stepping conventions and its norm for (z, log p) (TensorwiseFlowNorm)"};
        for (int setting = 0; setting < settings.length; setting++) {
        SolveOptions.Builder b = SolveOptions.builder().rtol(1e-5).atol(1e-5).torchdiffeqCompatible(setting > 0);
        if (setting == 2) b.errorNorm(new TensorwiseFlowNorm(2));
        SolveOptions options = b.build();
        System.out.println(settings[setting]);
        for (GradientMethod method : List.of(Backprop.storeAll(), BacksolveAdjoint.of(AdjointNorm.FULL),
                BacksolveAdjoint.of(AdjointNorm.SEMINORM))) {
            try (GradientSession s = Gradients.session(new TimeReversedFlow(field), rows, new double[] {-10.0, 0.0},
                    new FlowLikelihood(0.1), RungeKutta.dopri5(), options, method, false)) {
                double loss = s.compute(y0);
                double[] g = s.dLdTheta();
                double diff = 0.0, norm = 0.0;
                for (int i = 0; i < g.length; i++) {
                    diff += (g[i] - torchGrad[i]) * (g[i] - torchGrad[i]);
                    norm += torchGrad[i] * torchGrad[i];
                }
                System.out.printf("panode %-36s loss %.10f (Δ %.1e), NFE forward %d, backward %d; "
                                + "|∇ − ∇_torch|/|∇_torch| = %.2e%n", method, loss, loss - head[0], s.forwardNfe(),
                        s.backwardNfe(), Math.sqrt(diff / norm));
            }
        }
        }
    }

    private static double[] numbers(String line) {
        return Arrays.stream(line.trim().split(" ")).mapToDouble(Double::parseDouble).toArray();
    }
}
