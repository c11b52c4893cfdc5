package dev.panode.adjoint.gradients;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.panode.adjoint.models.Activation;
import dev.panode.adjoint.models.Initialisation;
import dev.panode.adjoint.models.InputTransform;
import dev.panode.adjoint.models.Mlp;
import dev.panode.adjoint.models.MlpArchitecture;
import dev.panode.solvers.OdeMethod;
import dev.panode.solvers.RungeKutta;
import dev.panode.solvers.SolveOptions;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The continuous adjoints of small problems, bit for bit against digests of the gradients, losses and statistics that
 * the code before docs/BENCHMARKS.md §104 computed (its passes over the augmented state were rewritten there with the
 * same arithmetic): the SciML spiral's MLP 2 → 50 → 2 on u³ with tsit5 at rtol 1e-3 / atol 1e-6 over 29 intervals,
 * and a 2 → 50 → 2 tanh MLP over ten intervals with dopri5 on one row and on 16, with and without time gradients. A
 * digest changes with any bit of ∂L/∂θ, ∂L/∂y₀, ∂L/∂t, the loss or the NFE and step counts. Each case runs three
 * gradients through one session, so the reused workspaces are covered too.
 */
class SmallAdjointBitsTest {

    @ParameterizedTest(name = "{0} {1} rows={2} time={3}")
    @CsvSource({
            "spiral, backsolve-seminorm, 1, false, SPIRAL_BS",
            "spiral, interpolating-seminorm, 1, false, SPIRAL_IS",
            "spiral, backsolve, 1, true, SPIRAL_BT",
            "tanh, backsolve-seminorm, 1, false, TANH1_BS",
            "tanh, backsolve-seminorm, 16, false, TANH16_BS",
            "tanh, interpolating-seminorm, 16, true, TANH16_IT",
            "tanh, backsolve, 16, true, TANH16_BT",
    })
    void gradientsKeepTheirBits(String problem, String method, int rows, boolean time, String want) throws Exception {
        boolean spiral = problem.equals("spiral");
        MlpArchitecture a = MlpArchitecture.of(2, 50, 1, Activation.TANH);
        if (spiral) a = a.withInputTransform(InputTransform.CUBE);
        Mlp mlp = Mlp.initialised(a, Initialisation.XAVIER_UNIFORM, spiral ? 2026 : 7);
        int intervals = spiral ? 29 : 10;
        double t1 = spiral ? 1.5 : 1.0;
        double[] times = new double[intervals + 1];
        for (int i = 0; i <= intervals; i++) times[i] = t1 * i / intervals;
        double[] y0 = new double[2 * rows];
        for (int r = 0; r < rows; r++) {
            y0[2 * r] = 2.0 - 0.1 * r;
            y0[2 * r + 1] = 0.05 * r;
        }
        OdeMethod forward = spiral ? RungeKutta.tsit5() : RungeKutta.dopri5();
        SolveOptions options = spiral ? SolveOptions.builder().rtol(1e-3).atol(1e-6).build()
                : SolveOptions.builder().rtol(1e-6).atol(1e-8).torchdiffeqCompatible(true).build();
        GradientMethod gm = switch (method) {
            case "backsolve-seminorm" -> BacksolveAdjoint.of(AdjointNorm.SEMINORM);
            case "backsolve" -> BacksolveAdjoint.of(AdjointNorm.FULL);
            case "interpolating-seminorm" -> InterpolatingAdjoint.of(AdjointNorm.SEMINORM);
            default -> throw new IllegalArgumentException(method);
        };
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (GradientSession s = Gradients.session(mlp, rows, times, Loss.sumOfSquaresAfterStart(), forward, options,
                gm, time)) {
            for (int rep = 0; rep < 3; rep++) {
                put(sha, s.compute(y0));
                for (double x : s.dLdTheta()) put(sha, x);
                for (double x : s.dLdy0()) put(sha, x);
                if (time) for (double x : s.dLdTimes()) put(sha, x);
                GradientStats st = s.stats();
                sha.update((st.forwardNfe() + "/" + st.backwardNfe() + "/" + st.forwardSteps() + "/"
                        + st.backwardSteps()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        assertEquals(Digests.valueOf(want).hex, HexFormat.of().formatHex(sha.digest()), problem + " " + method);
    }

    private static void put(MessageDigest sha, double x) {
        sha.update(ByteBuffer.allocate(8).putLong(Double.doubleToRawLongBits(x)).array());
    }

    /** SHA-256 of the outputs as the code before §104 computed them. */
    private enum Digests {
        SPIRAL_BS("d2ffd541d4c83c080775498acfb818614729fbfb0089e8f785dfb8499613711a"),
        SPIRAL_IS("72845f6d2d672601c5d6ed940f9f7f1e3e093ed4cf96cd714a14c9acfc452691"),
        SPIRAL_BT("600a7d52daa3a5747686722cee8b945283c60b2b2cd24ae725df4885dedb2677"),
        TANH1_BS("8f1e17458d6588ab16c686cc842cf59fdb5bd8b2537807437e9809104ffdfe26"),
        TANH16_BS("d91b58ff6825fd64909fbd041e8825fda9aa52c8dc0efdfbc6efe5a2dd24f090"),
        TANH16_IT("b9b9d015ff2b74d05abbb1f42a7c81d302689dac6d7d20153ecbb9c4c03a908f"),
        TANH16_BT("586b7d2c4fd19f56025a782b8eb0bac96411f0918620c9dfe6a6b4250395dae0");

        final String hex;

        Digests(String hex) {
            this.hex = hex;
        }
    }
}
