package dev.panode.spark;

import dev.panode.adjoint.models.Activation;
import dev.panode.adjoint.models.InputTransform;
import dev.panode.adjoint.models.Mlp;
import dev.panode.adjoint.models.MlpArchitecture;
import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * An {@link Mlp} as it travels to the executors: its architecture as a few ints and names, its weights as one
 * {@code double[]} (8·P bytes plus a few hundred of framing; the 2→50→50→2 model of the benchmarks is about 23 kB).
 * The core's {@code Mlp} is not {@link Serializable} on purpose; this spec is the wire form, and each executor JVM
 * rebuilds the model once per spec it receives ({@link #model()} caches it; the MLP is immutable while evaluated, so
 * the executor's task threads share it and keep their own workspaces).
 *
 * <p>Cost: {@link #of} copies the P parameters; {@link #model()} builds the MLP once (O(P)).
 */
public final class ModelSpec implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private final int dim;
    private final int[] widths;
    private final String[] activations;
    private final boolean timeInput;
    private final String inputTransform;
    private final double[] parameters;
    private transient volatile Mlp model;

    private ModelSpec(int dim, int[] widths, String[] activations, boolean timeInput, String inputTransform,
                      double[] parameters) {
        this.dim = dim;
        this.widths = widths;
        this.activations = activations;
        this.timeInput = timeInput;
        this.inputTransform = inputTransform;
        this.parameters = parameters;
    }

    /** The spec of {@code mlp} (its parameters copied). */
    public static ModelSpec of(Mlp mlp) {
        if (mlp == null) throw new IllegalArgumentException("mlp must be non-null, got null");
        MlpArchitecture a = mlp.architecture();
        int layers = a.layerCount();
        int[] widths = new int[layers];
        String[] activations = new String[layers];
        for (int l = 0; l < layers; l++) {
            widths[l] = a.widths().get(l);
            activations[l] = a.activations().get(l).name();
        }
        return new ModelSpec(a.dim(), widths, activations, a.timeInput(), a.inputTransform().name(),
                mlp.parameters().clone());
    }

    /** The same architecture with other parameters (copied), e.g. the optimiser's iterate. */
    public ModelSpec withParameters(double[] theta) {
        if (theta == null || theta.length != parameters.length) {
            throw new IllegalArgumentException("theta must have length " + parameters.length + ", got "
                    + (theta == null ? null : theta.length));
        }
        return new ModelSpec(dim, widths, activations, timeInput, inputTransform, theta.clone());
    }

    /** The state dimension. */
    public int dim() {
        return dim;
    }

    /** The number of parameters P. */
    public int parameterCount() {
        return parameters.length;
    }

    /** The model, built on first use in this JVM and then shared (read-only) by every thread. */
    public Mlp model() {
        Mlp m = model;
        if (m == null) {
            m = new Mlp(architecture(), parameters);
            model = m;
        }
        return m;
    }

    /** The architecture (a new record; equal for equal shapes). */
    public MlpArchitecture architecture() {
        List<Integer> w = new ArrayList<>(widths.length);
        List<Activation> act = new ArrayList<>(widths.length);
        for (int l = 0; l < widths.length; l++) {
            w.add(widths[l]);
            act.add(Activation.valueOf(activations[l]));
        }
        return new MlpArchitecture(dim, w, act, timeInput, InputTransform.valueOf(inputTransform));
    }

    /** The parameters themselves (not a copy): read-only. */
    double[] parametersView() {
        return parameters;
    }
}
