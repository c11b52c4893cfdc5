package dev.panode.io;

import dev.panode.adjoint.models.InputTransform;
import dev.panode.adjoint.models.Mlp;
import dev.panode.adjoint.models.MlpArchitecture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.panode.adjoint.models.Activation;
import dev.panode.blas.Arguments;
import dev.panode.simd.VectorApi;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads and writes an {@link Mlp} as JSON. The format is the reference data's {@code model} object, extended with
 * the architecture fields it leaves implicit:
 *
 * <pre>{@code
 * {
 *   "format": "panode-mlp", "version": 1,
 *   "dim": 2,                                  // state dimension D
 *   "time_input": false,                       // t appended as the last input column
 *   "input_transform": "none",                 // "none" | "cube"
 *   "activations": ["tanh", "tanh", "identity"],
 *   "layers": [ {"W": [[...], ...], "b": [...]}, ... ]   // W: out × in as a list of rows (torch Linear.weight)
 * }
 * }</pre>
 *
 * <p>Reading is lenient in the ways the reference files need: a root object holding a {@code "model"} is unwrapped;
 * {@code dim} may be spelled {@code "D"} or left out (then it is the last layer's width); without
 * {@code "activations"}, a {@code "type"} such as {@code "mlp3_tanh"} names the hidden activation (tanh when there is
 * no type) and the output layer is the identity. Other fields are ignored. Numbers are written with Java's shortest
 * round-trip representation, so write-then-read gives the same doubles bit for bit.
 */
public final class MlpJson {
    /** The value of the {@code "format"} field. */
    public static final String FORMAT = "panode-mlp";
    /** The version written. */
    public static final int VERSION = 1;
    /** Strict reading: a key given twice in one object is an error ("Duplicate field"), not "the last one wins". */
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private MlpJson() {}

    /**
     * Reads an MLP from a file (a model file or a reference file with a {@code "model"}).
     *
     * @throws IOException when the file cannot be read or is not valid JSON
     */
    public static Mlp read(Path file) throws IOException {
        Arguments.nonNull(file, "file");
        return fromJson(MAPPER.readTree(file.toFile()));
    }

    /** Parses an MLP from JSON text. */
    public static Mlp parse(String json) {
        Arguments.nonNull(json, "json");
        try {
            return fromJson(MAPPER.readTree(json));
        } catch (IOException e) {
            throw new UncheckedIOException("json is not valid JSON: " + e.getMessage(), e);
        }
    }

    /** Builds an MLP from a parsed tree (the model object, or a root that holds one under {@code "model"}). */
    public static Mlp fromJson(JsonNode node) {
        VectorApi.require();
        Arguments.nonNull(node, "node");
        if (node.has("model") && !node.has("layers")) node = node.get("model");
        JsonNode layersNode = node.get("layers");
        if (layersNode == null || !layersNode.isArray() || layersNode.isEmpty()) {
            throw new IllegalArgumentException("model.layers must be a non-empty array, got " + layersNode);
        }
        int layers = layersNode.size();
        List<double[][]> ws = new ArrayList<>(layers);
        List<double[]> bs = new ArrayList<>(layers);
        for (int l = 0; l < layers; l++) {
            JsonNode layer = layersNode.get(l);
            double[][] w = matrix(layer.get("W"), "layers[" + l + "].W");
            double[] b = vector(layer.get("b"), "layers[" + l + "].b");
            if (b.length != w.length) {
                throw new IllegalArgumentException("layers[" + l + "].b must have " + w.length + " entries (rows of W), had "
                        + b.length);
            }
            ws.add(w);
            bs.add(b);
        }
        int dim = node.has("dim") ? node.get("dim").asInt() : node.has("D") ? node.get("D").asInt()
                : ws.getLast().length;
        boolean time = node.path("time_input").asBoolean(false);
        InputTransform transform = transform(node.path("input_transform").asText("none"));
        List<Activation> acts = activations(node, layers);
        List<Integer> widths = new ArrayList<>(layers);
        for (double[][] w : ws) widths.add(w.length);
        MlpArchitecture arch = new MlpArchitecture(dim, widths, acts, time, transform);
        double[] theta = new double[arch.parameterCount()];
        for (int l = 0; l < layers; l++) {
            double[][] w = ws.get(l);
            int in = arch.inputs(l);
            if (w[0].length != in) {
                throw new IllegalArgumentException("layers[" + l + "].W must have " + in + " columns (inputs of layer "
                        + l + "), had " + w[0].length);
            }
            int off = arch.weightOffset(l);
            for (int r = 0; r < w.length; r++) System.arraycopy(w[r], 0, theta, off + r * in, in);
            System.arraycopy(bs.get(l), 0, theta, arch.biasOffset(l), w.length);
        }
        return new Mlp(arch, theta);
    }

    /** The JSON tree of an MLP, in the documented format. */
    public static ObjectNode toJson(Mlp mlp) {
        Arguments.nonNull(mlp, "mlp");
        MlpArchitecture arch = mlp.architecture();
        double[] theta = mlp.parameters();
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        root.put("dim", arch.dim());
        root.put("time_input", arch.timeInput());
        root.put("input_transform", arch.inputTransform().name().toLowerCase(Locale.ROOT));
        ArrayNode acts = root.putArray("activations");
        for (Activation a : arch.activations()) acts.add(a.name().toLowerCase(Locale.ROOT));
        ArrayNode layers = root.putArray("layers");
        for (int l = 0; l < arch.layerCount(); l++) {
            int in = arch.inputs(l);
            int out = arch.outputs(l);
            ObjectNode layer = layers.addObject();
            ArrayNode w = layer.putArray("W");
            int off = arch.weightOffset(l);
            for (int r = 0; r < out; r++) {
                ArrayNode row = w.addArray();
                for (int c = 0; c < in; c++) row.add(theta[off + r * in + c]);
            }
            ArrayNode b = layer.putArray("b");
            for (int r = 0; r < out; r++) b.add(theta[arch.biasOffset(l) + r]);
        }
        return root;
    }

    /** The MLP as JSON text. */
    public static String toJsonString(Mlp mlp) {
        try {
            return MAPPER.writeValueAsString(toJson(mlp));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes the MLP to a file (replacing it).
     *
     * @throws IOException when the file cannot be written
     */
    public static void write(Mlp mlp, Path file) throws IOException {
        Arguments.nonNull(file, "file");
        Files.writeString(file, toJsonString(mlp));
    }

    private static List<Activation> activations(JsonNode node, int layers) {
        List<Activation> acts = new ArrayList<>(layers);
        JsonNode names = node.get("activations");
        if (names != null) {
            if (!names.isArray() || names.size() != layers) {
                throw new IllegalArgumentException("activations must be an array of " + layers + " names, got " + names);
            }
            for (int l = 0; l < layers; l++) acts.add(activation(names.get(l).asText()));
            return acts;
        }
        Activation hidden = Activation.TANH;
        String type = node.path("type").asText("");
        int underscore = type.lastIndexOf('_');
        if (type.startsWith("mlp") && underscore > 0) hidden = activation(type.substring(underscore + 1));
        for (int l = 0; l < layers - 1; l++) acts.add(hidden);
        acts.add(Activation.IDENTITY);
        return acts;
    }

    /** The activation named {@code name}, any case. */
    static Activation activation(String name) {
        for (Activation a : Activation.values()) {
            if (a.name().equalsIgnoreCase(name)) return a;
        }
        throw new IllegalArgumentException("activation must be one of tanh, softplus, relu, sigmoid, sin, identity, got \""
                + name + "\"");
    }

    /** The input transform named {@code name}, any case. */
    static InputTransform transform(String name) {
        for (InputTransform t : InputTransform.values()) {
            if (t.name().equalsIgnoreCase(name)) return t;
        }
        throw new IllegalArgumentException("input_transform must be none or cube, got \"" + name + "\"");
    }

    private static double[][] matrix(JsonNode node, String what) {
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw new IllegalArgumentException(what + " must be a non-empty array of rows, got " + node);
        }
        double[][] m = new double[node.size()][];
        for (int r = 0; r < m.length; r++) {
            m[r] = vector(node.get(r), what + "[" + r + "]");
            if (m[r].length != m[0].length) {
                throw new IllegalArgumentException(what + " rows must all have " + m[0].length + " entries, row " + r
                        + " has " + m[r].length);
            }
        }
        return m;
    }

    private static double[] vector(JsonNode node, String what) {
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw new IllegalArgumentException(what + " must be a non-empty array of numbers, got " + node);
        }
        double[] v = new double[node.size()];
        for (int i = 0; i < v.length; i++) {
            JsonNode x = node.get(i);
            if (!x.isNumber()) throw new IllegalArgumentException(what + "[" + i + "] must be a number, got " + x);
            v[i] = x.doubleValue();
        }
        return v;
    }
}
