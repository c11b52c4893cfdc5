package dev.panode.io;

import dev.panode.adjoint.models.InputTransform;
import dev.panode.adjoint.models.MlpArchitecture;
import dev.panode.adjoint.models.Activation;
import dev.panode.blas.Arguments;
import java.util.ArrayList;
import java.util.List;

/**
 * The shape of a PyTorch {@code torch.nn.Sequential} of linear layers and element-wise activations, enough to name
 * and place every tensor of its {@code state_dict}; read from and written to JSON by {@link ArchitectureJson}.
 *
 * <p>Module k of the Sequential is {@code layers.get(k)}. A {@link Linear} at index k owns two tensors,
 * {@code prefix + k + ".weight"} of shape {@code [out, in]} and {@code prefix + k + ".bias"} of shape {@code [out]};
 * activations own none (but take an index, as in torch). The {@code prefix} is the path of the Sequential inside the
 * saved module, e.g. {@code "net."} for an ODE function that holds it as {@code self.net}. The input transform and
 * the time column happen before module 0, as in {@link MlpArchitecture}.
 *
 * <p><b>Flat parameter layout</b> ({@link #parameterTensors()}): the linear layers in order, each W row-major
 * {@code [out, in]} then b — the layout of {@link dev.panode.adjoint.models.Mlp} and of any sequential composition that
 * concatenates its layers' parameters. {@link #toMlpArchitecture()} maps the Sequential onto an MLP; a composition of
 * layers can be built from {@link #layers()} in the same way, with the same tensor mapping.
 *
 * @param prefix         prepended to every tensor name (often {@code ""})
 * @param inputTransform a fixed element-wise map applied to the state before module 0
 * @param timeInput      whether t is appended to the (transformed) state as the last input column of module 0
 * @param layers         the modules, in order; at least one linear layer, each linear's input width equal to the
 *                       previous linear's output width
 */
public record SequentialArchitecture(String prefix, InputTransform inputTransform, boolean timeInput,
                                     List<Layer> layers) {

    /** One module of the Sequential. */
    public sealed interface Layer permits Linear, Elementwise {}

    /**
     * {@code torch.nn.Linear(in, out)}: {@code x ↦ x·Wᵀ + b} with W of shape {@code [out, in]}.
     *
     * @param in  input width, ≥ 1
     * @param out output width, ≥ 1
     */
    public record Linear(int in, int out) implements Layer {
        /** Checks that both widths are ≥ 1. */
        public Linear {
            if (in < 1 || out < 1) {
                throw new IllegalArgumentException("linear widths must be >= 1, were [" + in + ", " + out + "]");
            }
        }
    }

    /**
     * A parameter-free element-wise activation ({@code torch.nn.Tanh}, {@code ReLU}, {@code Softplus},
     * {@code Sigmoid}, {@code Identity}, or a user's sine module).
     *
     * @param activation the function
     */
    public record Elementwise(Activation activation) implements Layer {
        /** Checks that the activation is non-null. */
        public Elementwise {
            Arguments.nonNull(activation, "activation");
        }
    }

    /**
     * One tensor of the state_dict and where it lives in the flat parameter vector.
     *
     * @param name   the state_dict name, e.g. {@code net.0.weight}
     * @param shape  torch's shape ({@code [out, in]} for a weight, {@code [out]} for a bias)
     * @param offset the offset of its first element in the flat parameter vector (row-major)
     * @param layer  the index of the module that owns it
     */
    public record ParameterTensor(String name, List<Integer> shape, int offset, int layer) {
        /** Copies the shape. */
        public ParameterTensor {
            shape = Arguments.nonNullCopy(shape, "shape");
        }

        /** The number of elements. */
        public int size() {
            int n = 1;
            for (int d : shape) n *= d;
            return n;
        }
    }

    /** Checks the layers: at least one linear layer, each linear layer's input width the previous output width. */
    public SequentialArchitecture {
        Arguments.nonNull(prefix, "prefix");
        Arguments.nonNull(inputTransform, "inputTransform");
        layers = Arguments.nonNullCopy(layers, "layers");
        int previousOut = -1;
        long parameters = 0;
        for (int k = 0; k < layers.size(); k++) {
            if (layers.get(k) instanceof Linear(int in, int out)) {
                if (previousOut >= 0 && in != previousOut) {
                    throw new IllegalArgumentException("layers[" + k + "]: linear input width " + in
                            + " must equal the previous linear layer's output width " + previousOut);
                }
                previousOut = out;
                parameters += (long) out * in + out;
            }
        }
        if (previousOut < 0) throw new IllegalArgumentException("layers must hold at least one linear layer, had none");
        if (parameters > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("too many parameters for one double[]: " + parameters);
        }
    }

    /**
     * The canonical Sequential of an MLP: {@code Linear, activation, Linear, activation, …, Linear}, where an
     * identity activation is left out (so the usual MLP's output layer is a bare Linear), no prefix.
     */
    public static SequentialArchitecture of(MlpArchitecture mlp) {
        Arguments.nonNull(mlp, "mlp");
        List<Layer> layers = new ArrayList<>();
        for (int l = 0; l < mlp.layerCount(); l++) {
            layers.add(new Linear(mlp.inputs(l), mlp.outputs(l)));
            Activation a = mlp.activations().get(l);
            if (a != Activation.IDENTITY) layers.add(new Elementwise(a));
        }
        return new SequentialArchitecture("", mlp.inputTransform(), mlp.timeInput(), layers);
    }

    /** This architecture with another tensor-name prefix. */
    public SequentialArchitecture withPrefix(String newPrefix) {
        return new SequentialArchitecture(newPrefix, inputTransform, timeInput, layers);
    }

    /** The state dimension: the last linear layer's output width. */
    public int dim() {
        int d = -1;
        for (Layer layer : layers) {
            if (layer instanceof Linear(int in, int out)) d = out;
        }
        return d;
    }

    /** The tensors of the state_dict in flat-layout order (weight, bias per linear layer). */
    public List<ParameterTensor> parameterTensors() {
        List<ParameterTensor> tensors = new ArrayList<>();
        int offset = 0;
        for (int k = 0; k < layers.size(); k++) {
            if (layers.get(k) instanceof Linear(int in, int out)) {
                tensors.add(new ParameterTensor(prefix + k + ".weight", List.of(out, in), offset, k));
                offset += out * in;
                tensors.add(new ParameterTensor(prefix + k + ".bias", List.of(out), offset, k));
                offset += out;
            }
        }
        return tensors;
    }

    /** The number of parameters. */
    public int parameterCount() {
        int p = 0;
        for (ParameterTensor t : parameterTensors()) p += t.size();
        return p;
    }

    /**
     * The same network as an {@link MlpArchitecture}: every linear layer followed by at most one activation other
     * than the identity (the identity where there is none). The state dimension is the last linear layer's output
     * width, and the first linear layer's input width must be that plus one for the time column.
     *
     * @throws IllegalArgumentException naming the layer when the Sequential is not of that form
     */
    public MlpArchitecture toMlpArchitecture() {
        if (!(layers.getFirst() instanceof Linear)) {
            throw new IllegalArgumentException("layers[0] must be a linear layer for an MLP, got " + describe(layers.getFirst()));
        }
        List<Integer> widths = new ArrayList<>();
        List<Activation> activations = new ArrayList<>();
        for (int k = 0; k < layers.size(); k++) {
            switch (layers.get(k)) {
                case Linear linear -> {
                    widths.add(linear.out());
                    activations.add(Activation.IDENTITY);
                }
                case Elementwise(Activation a) -> {
                    if (a == Activation.IDENTITY) continue;
                    if (activations.getLast() != Activation.IDENTITY) {
                        throw new IllegalArgumentException("layers[" + k + "]: a second activation ("
                                + ArchitectureJson.name(a) + " after " + ArchitectureJson.name(activations.getLast())
                                + ") after one linear layer cannot be mapped onto an MLP");
                    }
                    activations.set(activations.size() - 1, a);
                }
            }
        }
        int dim = dim();
        int firstIn = ((Linear) layers.getFirst()).in();
        int expected = dim + (timeInput ? 1 : 0);
        if (firstIn != expected) {
            throw new IllegalArgumentException("layers[0]: linear input width " + firstIn + " must be the state dimension "
                    + dim + " (the last linear layer's output)" + (timeInput ? " plus 1 for the time column" : "")
                    + ", i.e. " + expected);
        }
        return new MlpArchitecture(dim, widths, activations, timeInput, inputTransform);
    }

    /** {@code linear [2, 50]} or {@code tanh}, for messages. */
    static String describe(Layer layer) {
        return switch (layer) {
            case Linear(int in, int out) -> "linear [" + in + ", " + out + "]";
            case Elementwise(Activation a) -> ArchitectureJson.name(a);
        };
    }
}
