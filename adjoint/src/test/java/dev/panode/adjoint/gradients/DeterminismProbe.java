package dev.panode.adjoint.gradients;

import dev.panode.adjoint.models.Initialisation;
import dev.panode.adjoint.models.Mlp;
import dev.panode.adjoint.models.MlpArchitecture;
import dev.panode.blas.Blas;
import dev.panode.blas.Transpose;
import dev.panode.adjoint.models.Activation;
import dev.panode.solvers.RungeKutta;
import dev.panode.solvers.SaveAt;
import dev.panode.solvers.SolveOptions;
import dev.panode.solvers.Solver;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * A fixed workload whose outputs are hashed: an adaptive solve and three gradients of a wide MLP over a batch (large
 * enough for the GEMM dispatcher to use OpenBLAS when it is loaded), and a 256³ OpenBLAS dgemm. Run as a main class
 * by {@link DeterminismTest} in a fresh JVM; prints the SHA-256 of every output bit.
 */
public final class DeterminismProbe {
    private DeterminismProbe() {}

    /** The SHA-256 (hex) of the workload's outputs with a tanh MLP. */
    public static String digest() {
        return digest(Activation.TANH);
    }

    /** The SHA-256 (hex) of the workload's outputs with hidden layers of {@code activations}, one MLP after another. */
    public static String digest(Activation... activations) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        int rows = 32, dim = 4;
        SplittableRandom rnd = new SplittableRandom(3);
        double[] y0 = new double[rows * dim];
        for (int i = 0; i < y0.length; i++) y0[i] = rnd.nextDouble(-1, 1);
        for (Activation act : activations) {
            Mlp mlp = Mlp.initialised(MlpArchitecture.of(dim, 128, 2, act), Initialisation.PYTORCH_DEFAULT, 11);
            addWorkload(sha, mlp, y0, rows);
        }
        int n = 256;
        double[] a = new double[n * n], b = new double[n * n], c = new double[n * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = rnd.nextDouble(-1, 1);
            b[i] = rnd.nextDouble(-1, 1);
        }
        Blas.dgemm(Transpose.NO, Transpose.YES, n, n, n, 1.0, a, 0, n, b, 0, n, 0.0, c, 0, n);
        add(sha, c);
        return HexFormat.of().formatHex(sha.digest());
    }

    private static void addWorkload(MessageDigest sha, Mlp mlp, double[] y0, int rows) {
        SolveOptions o = SolveOptions.builder().rtol(1e-6).atol(1e-8).saveAt(SaveAt.times(0.5, 1.0)).build();
        add(sha, Solver.solve(mlp, y0, rows, 0, 1, RungeKutta.dopri5(), o).states());
        for (GradientMethod g : new GradientMethod[] {new Backprop(Checkpointing.binomial(4)),
                InterpolatingAdjoint.of(AdjointNorm.SEMINORM), BacksolveAdjoint.of(AdjointNorm.SEMINORM)}) {
            GradientResult r = Gradients.compute(mlp, y0, rows, new double[] {0, 0.5, 1}, Loss.sumOfSquaresAfterStart(),
                    RungeKutta.dopri5(), o, g);
            add(sha, new double[] {r.loss()});
            add(sha, r.dLdy0());
            add(sha, r.dLdTheta());
        }
    }

    private static void add(MessageDigest sha, double[] v) {
        ByteBuffer buf = ByteBuffer.allocate(v.length * Double.BYTES);
        for (double x : v) buf.putLong(Double.doubleToRawLongBits(x));
        sha.update(buf.array());
    }

    public static void main(String[] args) {
        if (args.length > 0) Blas.setThreads(Integer.parseInt(args[0]));
        int repeat = Integer.getInteger("panode.probe.repeat", 1);
        Activation[] acts = java.util.Arrays.stream(System.getProperty("panode.probe.activations", "TANH").split(","))
                .map(Activation::valueOf).toArray(Activation[]::new);
        for (int i = 0; i < repeat; i++) System.out.println("digest=" + digest(acts));
    }
}
