package dev.panode.adjoint.models;

import dev.panode.simd.ActivationKernel;
import java.util.Locale;

/**
 * The activation of a layer: what a user chooses for an {@link MlpArchitecture} or names in a model file. Each runs on
 * its Vector API kernel ({@link #kernel()}), which also holds the numerical details (accuracy, reproducibility).
 *
 * <p>tanh is the default of neural ODEs and is bitwise reproducible everywhere; relu and identity are exact;
 * softplus, sigmoid and sin use the JDK's vector transcendental functions (see {@link ActivationKernel} for when
 * their last bits may differ between a fresh JVM and a warm one).
 */
public enum Activation {
    /** tanh(u). */
    TANH(ActivationKernel.TANH),
    /** log(1 + eᵘ), linear above u = 20 as in PyTorch. */
    SOFTPLUS(ActivationKernel.SOFTPLUS),
    /** max(u, 0). */
    RELU(ActivationKernel.RELU),
    /** 1 / (1 + e⁻ᵘ). */
    SIGMOID(ActivationKernel.SIGMOID),
    /** sin(u). */
    SIN(ActivationKernel.SIN),
    /** u: no activation (the output layer). */
    IDENTITY(ActivationKernel.IDENTITY);

    private final ActivationKernel kernel;

    Activation(ActivationKernel kernel) {
        this.kernel = kernel;
    }

    /** The kernel that evaluates this activation and its derivative over blocks of rows. */
    public ActivationKernel kernel() {
        return kernel;
    }

    /** The name used in model files and on the command line: the constant's name in lower case ({@code "tanh"}). */
    public String fileName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
