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
    TANH,
    /** log(1 + eᵘ), linear above u = 20 as in PyTorch. */
    SOFTPLUS,
    /** max(u, 0). */
    RELU,
    /** 1 / (1 + e⁻ᵘ). */
    SIGMOID,
    /** sin(u). */
    SIN,
    /** u: no activation (the output layer). */
    IDENTITY;

    /** The kernel that evaluates this activation and its derivative over blocks of rows. */
    public ActivationKernel kernel() {
        return Kernels.OF[ordinal()];
    }

    /**
     * The kernels, loaded on the first {@link #kernel()} call rather than when an activation is named: a kernel class
     * loads the Vector API, and naming {@code Activation.SOFTPLUS} before the first entry point must not, so that the
     * entry points' check ({@link dev.panode.simd.VectorApi#require()}) can name the missing JVM flag.
     */
    private static final class Kernels {
        static final ActivationKernel[] OF = new ActivationKernel[values().length];

        static {
            for (Activation a : values()) {
                OF[a.ordinal()] = switch (a) {
                    case TANH -> ActivationKernel.TANH;
                    case SOFTPLUS -> ActivationKernel.SOFTPLUS;
                    case RELU -> ActivationKernel.RELU;
                    case SIGMOID -> ActivationKernel.SIGMOID;
                    case SIN -> ActivationKernel.SIN;
                    case IDENTITY -> ActivationKernel.IDENTITY;
                };
            }
        }
    }

    /** The name used in model files and on the command line: the constant's name in lower case ({@code "tanh"}). */
    public String fileName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
