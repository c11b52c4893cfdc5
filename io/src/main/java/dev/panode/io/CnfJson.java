package dev.panode.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.panode.adjoint.models.Activation;
import dev.panode.adjoint.models.cnf.CnfField;
import dev.panode.adjoint.models.cnf.TraceEstimator;
import dev.panode.adjoint.models.layers.ActivationLayer;
import dev.panode.adjoint.models.layers.ConcatSquash;
import dev.panode.adjoint.models.layers.Dense;
import dev.panode.adjoint.models.layers.Layer;
import dev.panode.adjoint.models.layers.Sequential;
import dev.panode.blas.Arguments;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads and writes a continuous normalising flow ({@link CnfField}) as JSON:
 *
 * <pre>{@code
 * {
 *   "format": "panode-cnf", "version": 1,
 *   "dim": 2,                                   // D, the data dimension (the ODE state is D + 1: z, then log p)
 *   "time_length": 0.5,                         // the flow runs from the data at t = 0 to the base at t = T
 *   "base_variance": 1.0,                       // the base density N(0, σ²I)
 *   "trace": "hutchinson_rademacher",           // the estimator it was trained with ("exact", "hutchinson_gaussian")
 *   "layers": [                                 // the dynamics f(t, z), in order
 *     {"type": "concatsquash", "W": [[...], ...], "b": [...], "h": [...], "g": [...], "c": [...]},
 *     {"type": "activation", "activation": "tanh"},
 *     {"type": "dense", "W": [[...], ...], "b": [...]}
 *   ]
 * }
 * }</pre>
 *
 * <p>A ConcatSquash layer is {@code (x·Wᵀ + b) ⊙ sigmoid(t·g + c) + t·h} with W out × in as a list of rows (FFJORD's
 * {@code _layer.weight}, h its {@code _hyper_bias.weight}, g and c its {@code _hyper_gate}). Other fields (such as a
 * {@code "training"} record) are ignored on reading. Numbers are written in Java's shortest round-trip form, so
 * write-then-read gives the same doubles bit for bit.
 */
public final class CnfJson {
    /** The value of the {@code "format"} field. */
    public static final String FORMAT = "panode-cnf";
    /** The version written. */
    public static final int VERSION = 1;
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private CnfJson() {}

    /** A flow read back: the field (with the recorded estimator), T and σ². */
    public record Flow(CnfField field, double timeLength, double baseVariance) {}

    /** The JSON tree of a flow with its time length and base variance. */
    public static ObjectNode toJson(CnfField field, double timeLength, double baseVariance) {
        Arguments.nonNull(field, "field");
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        root.put("dim", field.dataDim());
        root.put("time_length", timeLength);
        root.put("base_variance", baseVariance);
        root.put("trace", field.estimator().name().toLowerCase(Locale.ROOT));
        ArrayNode layers = root.putArray("layers");
        Sequential net = field.network();
        double[] theta = field.parameters();
        for (int k = 0; k < net.layers().size(); k++) {
            Layer l = net.layers().get(k);
            int off = net.parameterOffset(k);
            ObjectNode o = layers.addObject();
            switch (l) {
                case ConcatSquash c -> {
                    o.put("type", "concatsquash");
                    putAffine(o, theta, off, c.in(), c.out());
                    int h = off + c.out() * c.in() + c.out();
                    putVector(o.putArray("h"), theta, h, c.out());
                    putVector(o.putArray("g"), theta, h + c.out(), c.out());
                    putVector(o.putArray("c"), theta, h + 2 * c.out(), c.out());
                }
                case Dense d -> {
                    o.put("type", "dense");
                    putAffine(o, theta, off, d.in(), d.out());
                }
                case ActivationLayer a -> {
                    o.put("type", "activation");
                    o.put("activation", a.activation().fileName());
                }
                default -> throw new IllegalArgumentException("field layer " + k + " cannot be written: " + l);
            }
        }
        return root;
    }

    /** Writes a flow (and any extra fields already in {@code json}) to a file. */
    public static void write(ObjectNode json, Path file) throws IOException {
        Files.writeString(file, MAPPER.writeValueAsString(json));
    }

    /**
     * Reads a flow from a file.
     *
     * @throws IOException              when the file cannot be read or is not JSON
     * @throws IllegalArgumentException when the JSON is not a valid flow (the message names the field)
     */
    public static Flow read(Path file) throws IOException {
        return fromJson(MAPPER.readTree(file.toFile()));
    }

    /** The flow of a JSON tree in the documented format. */
    public static Flow fromJson(JsonNode root) {
        Arguments.nonNull(root, "root");
        if (!FORMAT.equals(root.path("format").asText())) {
            throw new IllegalArgumentException("format must be " + FORMAT + ", got " + root.path("format"));
        }
        int dim = root.path("dim").asInt(-1);
        if (dim < 1) throw new IllegalArgumentException("dim must be >= 1, got " + root.get("dim"));
        JsonNode layersNode = root.get("layers");
        if (layersNode == null || !layersNode.isArray() || layersNode.isEmpty()) {
            throw new IllegalArgumentException("layers must be a non-empty array, got " + layersNode);
        }
        Sequential.Builder b = Sequential.builder(dim);
        List<double[]> slices = new ArrayList<>();
        for (int k = 0; k < layersNode.size(); k++) {
            JsonNode l = layersNode.get(k);
            String where = "layers[" + k + "]";
            String type = l.path("type").asText();
            switch (type) {
                case "concatsquash", "dense" -> {
                    double[][] w = matrix(l.get("W"), where + ".W");
                    int out = w.length, in = w[0].length;
                    boolean squash = type.equals("concatsquash");
                    b.add(squash ? new ConcatSquash(in, out) : new Dense(in, out));
                    double[] p = new double[out * in + (squash ? 4 : 1) * out];
                    for (int r = 0; r < out; r++) System.arraycopy(w[r], 0, p, r * in, in);
                    String[] vectors = squash ? new String[] {"b", "h", "g", "c"} : new String[] {"b"};
                    for (int v = 0; v < vectors.length; v++) {
                        double[] x = vector(l.get(vectors[v]), where + "." + vectors[v], out);
                        System.arraycopy(x, 0, p, out * in + v * out, out);
                    }
                    slices.add(p);
                }
                case "activation" -> {
                    String name = l.path("activation").asText();
                    Activation act = null;
                    for (Activation a : Activation.values()) if (a.fileName().equalsIgnoreCase(name)) act = a;
                    if (act == null) throw new IllegalArgumentException(where + ".activation is unknown, got " + name);
                    b.activation(act);
                }
                default -> throw new IllegalArgumentException(where + ".type must be concatsquash, dense or activation, "
                        + "got " + l.get("type"));
            }
        }
        Sequential net = b.build();
        double[] theta = new double[net.parameterCount()];
        int at = 0;
        for (double[] s : slices) {
            System.arraycopy(s, 0, theta, at, s.length);
            at += s.length;
        }
        TraceEstimator est = TraceEstimator.EXACT;
        String trace = root.path("trace").asText("exact");
        for (TraceEstimator e : TraceEstimator.values()) if (e.name().equalsIgnoreCase(trace)) est = e;
        double time = root.path("time_length").asDouble(1.0);
        double variance = root.path("base_variance").asDouble(1.0);
        return new Flow(new CnfField(net, theta, est, 1), time, variance);
    }

    private static void putAffine(ObjectNode o, double[] theta, int off, int in, int out) {
        ArrayNode w = o.putArray("W");
        for (int r = 0; r < out; r++) putVector(w.addArray(), theta, off + r * in, in);
        putVector(o.putArray("b"), theta, off + out * in, out);
    }

    private static void putVector(ArrayNode a, double[] x, int off, int n) {
        for (int i = 0; i < n; i++) a.add(x[off + i]);
    }

    private static double[][] matrix(JsonNode node, String name) {
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw new IllegalArgumentException(name + " must be a non-empty array of rows, got " + node);
        }
        int cols = node.get(0).size();
        double[][] m = new double[node.size()][];
        for (int r = 0; r < m.length; r++) m[r] = vector(node.get(r), name + "[" + r + "]", cols);
        return m;
    }

    private static double[] vector(JsonNode node, String name, int n) {
        if (node == null || !node.isArray() || node.size() != n || n == 0) {
            throw new IllegalArgumentException(name + " must be an array of " + n + " numbers, got " + node);
        }
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            JsonNode x = node.get(i);
            if (!x.isNumber() || !Double.isFinite(x.asDouble())) {
                throw new IllegalArgumentException(name + "[" + i + "] must be a finite number, got " + x);
            }
            v[i] = x.asDouble();
        }
        return v;
    }
}
