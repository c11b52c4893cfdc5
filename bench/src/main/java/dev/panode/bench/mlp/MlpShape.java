package dev.panode.bench.mlp;

import dev.panode.adjoint.models.Initialisation;
import dev.panode.adjoint.models.Mlp;
import dev.panode.adjoint.models.MlpArchitecture;
import dev.panode.adjoint.models.SplitMix64;

/**
 * One benchmark case (D, H, B) of the reference MLP {@code mlp3_tanh}: D → H → H → D, weights and states drawn with
 * the reference files' SplitMix64 scheme and seeds, so the (2,50,16), (2,64,1024) and (32,256,256) cases are exactly
 * {@code bench_d2_h50_b16.json}, {@code bench_d2_h64_b1024.json} and {@code bench_d32_h256_b256.json}.
 *
 * @param dim    D
 * @param hidden H
 * @param batch  B
 * @param weightSeed the reference file's {@code weight_seed}
 * @param z0Seed the reference file's {@code z0_seed}
 * @param z0Range the reference file's {@code z0_range}
 */
public record MlpShape(int dim, int hidden, int batch, long weightSeed, long z0Seed, double z0Range) {

    /** Parses {@code "DxHxB"} and attaches the seeds of the matching reference file. */
    public static MlpShape parse(String spec) {
        String[] p = spec.split("x");
        if (p.length != 3) throw new IllegalArgumentException("shape must be DxHxB, got " + spec);
        int d = Integer.parseInt(p[0]);
        int h = Integer.parseInt(p[1]);
        int b = Integer.parseInt(p[2]);
        return switch (spec) {
            case "2x50x1" -> new MlpShape(d, h, b, 1001, 4002, 2.0);
            case "2x50x16" -> new MlpShape(d, h, b, 1001, 1002, 2.0);
            case "2x64x1024" -> new MlpShape(d, h, b, 2001, 2002, 2.0);
            case "32x256x256" -> new MlpShape(d, h, b, 3001, 3002, 1.0);
            default -> new MlpShape(d, h, b, 7, 8, 1.0);
        };
    }

    /** The MLP of this case. */
    public Mlp mlp() {
        return Mlp.initialised(MlpArchitecture.mlp3Tanh(dim, hidden), Initialisation.PYTORCH_DEFAULT, weightSeed);
    }

    /** The initial states z0 of this case, {@code batch × dim}. */
    public double[] states() {
        SplitMix64 rng = new SplitMix64(z0Seed);
        double[] z = new double[batch * dim];
        for (int i = 0; i < z.length; i++) z[i] = rng.uniform(-z0Range, z0Range);
        return z;
    }

    /** Floating-point operations of the GEMMs of one forward pass: 2·B·Σ in·out. */
    double forwardFlops() {
        return 2.0 * batch * MlpArchitecture.mlp3Tanh(dim, hidden).forwardMultiplyAddsPerRow();
    }

    /** GEMM flops of one VJP with parameter gradient: the forward, then W̄ and X̄ per layer (3× the forward). */
    double vjpFlops() {
        return 3.0 * forwardFlops();
    }
}
