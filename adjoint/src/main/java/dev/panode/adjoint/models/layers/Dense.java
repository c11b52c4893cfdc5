package dev.panode.adjoint.models.layers;

import dev.panode.adjoint.models.Initialisation;
import dev.panode.adjoint.models.SplitMix64;
import dev.panode.blas.Transpose;
import dev.panode.simd.ActivationKernel;
import dev.panode.simd.ColumnSums;
import dev.panode.simd.Gemm;

/**
 * A dense (fully connected) layer {@code y = x·Wᵀ + b}, {@code torch.nn.Linear(in, out)}.
 *
 * <p>Parameter layout: W row-major {@code out × in} (torch's {@code weight}), then b ({@code out}, torch's
 * {@code bias}): {@code out·in + out} values. Cost for B rows: one GEMM of {@code 2·B·in·out} flops forward; the
 * backward adds two GEMMs (W̄ and x̄) and the column sums of ȳ for b̄. Inside a {@link Sequential}, a Dense followed by
 * an {@link ActivationLayer} runs as one fused step (the bias and the activation in one pass over the block).
 *
 * @param in  input width, ≥ 1
 * @param out output width, ≥ 1
 */
public record Dense(int in, int out) implements Layer {

    /** @throws IllegalArgumentException when a width is below 1 or W does not fit one array */
    public Dense {
        if (in < 1) throw new IllegalArgumentException("in must be >= 1, got " + in);
        if (out < 1) throw new IllegalArgumentException("out must be >= 1, got " + out);
        if ((long) in * out + out > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("in·out must fit one array, got " + in + "·" + out);
        }
    }

    @Override
    public int inputWidth() {
        return in;
    }

    @Override
    public int outputWidth() {
        return out;
    }

    @Override
    public int parameterCount() {
        return out * in + out;
    }

    /** W ({@code out·in}) and b ({@code out}). */
    @Override
    public int[] parameterTensorSizes() {
        return new int[] {out * in, out};
    }

    /** W and b as {@code init} prescribes for a layer {@code out × in} (for PYTORCH_DEFAULT: torch's own bounds). */
    @Override
    public void initialise(Initialisation init, SplitMix64 rng, double[] theta, int offset) {
        init.fill(rng, in, out, 1.0, theta, offset);
    }

    @Override
    public void forward(double[] x, double[] y, int rows, Times time, double[] theta, int offset, LayerWorkspace ws) {
        affine(x, y, rows, in, out, theta, offset);
    }

    @Override
    public double backward(double[] x, double[] y, double[] yBar, double[] xBar, int rows, Times time, double[] theta,
                           int offset, double[] thetaBar, boolean wantTime, LayerWorkspace ws) {
        affineBackward(x, yBar, xBar, rows, in, out, theta, offset, thetaBar);
        return 0.0;
    }

    /** {@code y = x·Wᵀ + b} with W at {@code offset} and b after it. */
    static void affine(double[] x, double[] y, int rows, int in, int out, double[] theta, int offset) {
        Gemm.dgemm(Transpose.NO, Transpose.YES, rows, out, in, 1.0, x, 0, in, theta, offset, in, 0.0, y, 0, out);
        ActivationKernel.IDENTITY.biasActivate(y, 0, theta, offset + out * in, rows, out, y, 0, y, 0);
    }

    /** {@code W̄ += ȳᵀx}, {@code b̄ += Σ_rows ȳ} (when thetaBar is non-null) and {@code x̄ = ȳ·W}. */
    static void affineBackward(double[] x, double[] yBar, double[] xBar, int rows, int in, int out, double[] theta,
                               int offset, double[] thetaBar) {
        if (thetaBar != null) {
            Gemm.dgemm(Transpose.YES, Transpose.NO, out, in, rows, 1.0, yBar, 0, out, x, 0, in,
                    1.0, thetaBar, offset, in);
            ColumnSums.accumulate(yBar, 0, rows, out, thetaBar, offset + out * in);
        }
        Gemm.dgemm(Transpose.NO, Transpose.NO, rows, in, out, 1.0, yBar, 0, out, theta, offset, in, 0.0, xBar, 0, in);
    }
}
