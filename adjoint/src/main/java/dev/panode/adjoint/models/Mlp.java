package dev.panode.adjoint.models;

import dev.panode.adjoint.models.layers.ActivationLayer;
import dev.panode.adjoint.models.layers.ConcatTime;
import dev.panode.adjoint.models.layers.Dense;
import dev.panode.adjoint.models.layers.FixedTransform;
import dev.panode.adjoint.models.layers.Layer;
import dev.panode.adjoint.models.layers.LayerField;
import dev.panode.adjoint.models.layers.Sequential;
import java.util.ArrayList;
import java.util.List;

/**
 * A multilayer perceptron vector field {@code f(t, y) = σ_L(… σ_1([φ(y), t]·W_1ᵀ + b_1) …·W_Lᵀ + b_L)} over a batch,
 * with a hand-written vector–Jacobian product (ALGORITHMS.md §6).
 *
 * <p>An MLP is one composition of {@link dev.panode.adjoint.models.layers layers}: {@link #network()} is the
 * {@link Sequential} [{@link FixedTransform} φ], [{@link ConcatTime}], then per layer {@link Dense} and its
 * {@link ActivationLayer}, and the MLP is the {@link LayerField} over it. The sequential container runs the dense
 * layers with their activations as one fused block: each layer is {@code torch.nn.Linear} followed by its activation,
 * {@code U_l = X_{l−1}·W_lᵀ + 1·b_lᵀ}, {@code X_l = σ_l(U_l)}, one GEMM through {@link dev.panode.simd.Gemm#dgemm}
 * (OpenBLAS for large products) and one fused bias-and-activation pass ({@link dev.panode.simd.ActivationKernel#biasActivate}). The flat
 * parameter layout is {@link MlpArchitecture}'s: per layer W row-major {@code out × in}, then b — that of a
 * {@code torch.nn.Sequential} of Linear layers and activations.
 *
 * <p>Cost per call for B rows: forward {@code 2·B·Σ in_l·out_l} flops; a VJP adds two GEMMs per layer (W̄ and X̄)
 * plus the bias column sums ({@link dev.panode.simd.ColumnSums}), about three times the forward. Nothing is
 * allocated after the workspace is made.
 *
 * <p>Thread safety: the object is immutable apart from the values in {@link #parameters()}, which an optimiser
 * changes between solves; all scratch lives in the workspace from {@link #newWorkspace}, one per thread.
 * Not for fields whose Jacobian is needed in full (use B VJPs or a dedicated Jacobian).
 *
 * <p>As a {@link dev.panode.solvers.RowTimeField} it evaluates a block whose rows sit at different times (the per-sample solver's packed
 * rows): with time input each row's t goes into its own time column. Either way one GEMM per layer covers the whole
 * block.
 */
public final class Mlp extends LayerField {
    private final MlpArchitecture architecture;

    /**
     * An MLP with the given parameters (copied; layout as documented on {@link MlpArchitecture}).
     *
     * @throws IllegalArgumentException when the length is not {@code architecture.parameterCount()} or a value is
     *                                  not finite
     */
    public Mlp(MlpArchitecture architecture, double[] parameters) {
        if (architecture == null) throw new IllegalArgumentException("architecture must be non-null");
        if (parameters == null) throw new IllegalArgumentException("parameters must be non-null");
        int p = architecture.parameterCount();
        if (parameters.length != p) {
            throw new IllegalArgumentException("parameters.length must be " + p + " for " + architecture
                    + ", got " + parameters.length);
        }
        for (int i = 0; i < p; i++) {
            if (!Double.isFinite(parameters[i])) {
                throw new IllegalArgumentException("parameters[" + i + "] must be finite, got " + parameters[i]);
            }
        }
        super(layersOf(architecture), parameters);
        this.architecture = architecture;
    }

    /**
     * The layers of an MLP of this architecture: [φ], [t column], then Dense and activation per layer (identity
     * activations left out). Parameter layout: {@link MlpArchitecture}'s.
     */
    public static Sequential layersOf(MlpArchitecture architecture) {
        List<Layer> layers = new ArrayList<>();
        int dim = architecture.dim();
        if (architecture.inputTransform() != InputTransform.NONE) {
            layers.add(new FixedTransform(architecture.inputTransform(), dim));
        }
        if (architecture.timeInput()) layers.add(new ConcatTime(dim));
        for (int l = 0; l < architecture.layerCount(); l++) {
            layers.add(new Dense(architecture.inputs(l), architecture.outputs(l)));
            Activation a = architecture.activations().get(l);
            if (a != Activation.IDENTITY) layers.add(new ActivationLayer(a, architecture.outputs(l)));
        }
        return Sequential.of(layers);
    }

    /** An MLP initialised by {@code init} from a {@link SplitMix64} seeded with {@code seed} (scale 1). */
    public static Mlp initialised(MlpArchitecture architecture, Initialisation init, long seed) {
        return initialised(architecture, init, seed, 1.0);
    }

    /**
     * An MLP initialised layer by layer (W then b) by {@code init} from one {@link SplitMix64} seeded with
     * {@code seed}, every bound or deviation multiplied by {@code scale}. With {@link Initialisation#PYTORCH_DEFAULT}
     * this is the reference files' generator: {@code initialised(mlp3Tanh(D, H), PYTORCH_DEFAULT, weight_seed, scale)}
     * reproduces their weights bit for bit.
     */
    public static Mlp initialised(MlpArchitecture architecture, Initialisation init, long seed, double scale) {
        if (architecture == null) throw new IllegalArgumentException("architecture must be non-null");
        if (init == null) throw new IllegalArgumentException("init must be non-null");
        if (!(scale > 0.0) || !Double.isFinite(scale)) {
            throw new IllegalArgumentException("scale must be finite and > 0, got " + scale);
        }
        double[] p = new double[architecture.parameterCount()];
        SplitMix64 rng = new SplitMix64(seed);
        for (int l = 0; l < architecture.layerCount(); l++) {
            init.fill(rng, architecture.inputs(l), architecture.outputs(l), scale, p, architecture.weightOffset(l));
        }
        return new Mlp(architecture, p);
    }

    /** The architecture (shape, activations, time input, transform). */
    public MlpArchitecture architecture() {
        return architecture;
    }

    /** A new MLP of the same architecture with the given parameters (copied). */
    @Override
    public Mlp withParameters(double[] parameters) {
        return new Mlp(architecture, parameters);
    }

    /** The layers this MLP is a composition of (see {@link #layersOf(MlpArchitecture)}). */
    @Override
    public Sequential network() {
        return (Sequential) super.network();
    }

    @Override
    public String toString() {
        return "Mlp[" + architecture + "]";
    }
}
