package dev.panode.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.panode.adjoint.models.Mlp;
import dev.panode.io.MlpJson;
import dev.panode.io.Precision;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A problem for {@code panode solve}, {@code panode grad} and {@code panode check}: a model, a batch of initial states and save times, in
 * the layout of the reference files (any reference file is a problem file):
 * <pre>{@code
 * { "model": { "layers": [ {"W": [[...]], "b": [...]}, ... ], ... },   // see MlpJson; tanh between layers
 *   "z0": [[...], ...],                                               // batch × D
 *   "t":  [t0, t1, ..., tK-1] }                                       // strictly monotone, K >= 2
 * }</pre>
 *
 * @param model the MLP vector field
 * @param z0    initial states, {@code batch × dim} row-major
 * @param batch the number of samples
 * @param t     the save times; the solve starts at {@code t[0]}
 * @param root  the whole parsed file (for reference entries such as {@code gradients})
 */
public record ProblemFile(Mlp model, double[] z0, int batch, double[] t, JsonNode root) {
    /**
     * The mapper every JSON reader and writer of the command line and of {@code panode serve} shares (thread-safe once
     * configured). Reads JSON strictly: a key given twice in one object is an error, not "the last one wins".
     */
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    /** The file name that stands for standard input. */
    static final String STANDARD_INPUT = "-";

    /**
     * Parses a JSON file ({@value #STANDARD_INPUT}: standard input); malformed JSON, a duplicate key included, becomes
     * one line naming the file, the line and the column.
     */
    public static JsonNode readJson(Path file, String what) throws IOException {
        boolean stdin = file.toString().equals(STANDARD_INPUT);
        String name = stdin ? "(standard input)" : file.toString();
        try {
            return stdin ? MAPPER.readTree(System.in) : MAPPER.readTree(file.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            var at = e.getLocation();
            throw new IOException(what + " " + name + " is not valid JSON: " + e.getOriginalMessage().lines().findFirst()
                    .orElse("") + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"), e);
        }
    }

    /**
     * Reads a problem file; with {@code modelFile} non-null, the model comes from that file (for example a model
     * saved by {@code panode demo}) and the problem file needs only {@code z0} and {@code t}. Public for the
     * launchers of other modules that read the same files ({@code panode ensemble}).
     *
     * @throws IOException              when a file cannot be read or is not JSON, naming the file, line and column
     * @throws IllegalArgumentException when the content is not a valid problem, naming the field
     */
    public static ProblemFile read(Path file, Path modelFile) throws IOException {
        if (modelFile != null && file.toString().equals(STANDARD_INPUT) && modelFile.toString().equals(STANDARD_INPUT)) {
            throw new IllegalArgumentException("--problem and --model cannot both be - (standard input)");
        }
        JsonNode root = readJson(file, "problem file");
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("problem file " + file + " must hold a JSON object");
        }
        Mlp model;
        if (modelFile != null) {
            JsonNode modelJson = readJson(modelFile, "model file");
            model = MlpJson.fromJson(modelJson);
            if (!root.has("dtype")) ((ObjectNode) root).put("dtype", MlpJson.dtype(modelJson).jsonName());
        } else if (root.has("model")) {
            model = MlpJson.fromJson(root.get("model"));
        } else {
            throw new IllegalArgumentException("problem file " + file + " has no \"model\": add one or pass --model FILE");
        }
        return of(root, model);
    }

    /**
     * Reads a model file (a panode model, or any JSON holding one under {@code "model"}); malformed JSON is an
     * {@link IOException}, a bad model an {@link IllegalArgumentException}, each naming the file.
     */
    static Mlp readModel(Path file) throws IOException {
        JsonNode root = readJson(file, "model file");
        try {
            return MlpJson.fromJson(root);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("model file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The problem of a parsed JSON object holding {@code z0} and {@code t}, with {@code model} as its field; every
     * check names the offending field ({@link InvalidFieldException}). Cost: one pass over z0 and t.
     */
    public static ProblemFile of(JsonNode root, Mlp model) {
        JsonNode z0Node = root.get("z0");
        if (z0Node == null || !z0Node.isArray() || z0Node.isEmpty()) {
            throw new InvalidFieldException("z0", "z0 must be a non-empty array of states (batch × " + model.dim()
                    + "), got " + z0Node);
        }
        int batch = z0Node.size();
        int dim = model.dim();
        double[] z0 = new double[batch * dim];
        for (int b = 0; b < batch; b++) {
            JsonNode row = z0Node.get(b);
            if (!row.isArray() || row.size() != dim) {
                throw new InvalidFieldException("z0[" + b + "]", "z0[" + b + "] must hold " + dim
                        + " numbers (the model's dim), got " + row);
            }
            for (int i = 0; i < dim; i++) z0[b * dim + i] = number(row.get(i), "z0[" + b + "][" + i + "]");
        }
        JsonNode tNode = root.get("t");
        if (tNode == null || !tNode.isArray() || tNode.size() < 2) {
            throw new InvalidFieldException("t", "t must be an array of at least 2 save times, got " + tNode);
        }
        double[] t = new double[tNode.size()];
        for (int k = 0; k < t.length; k++) t[k] = number(tNode.get(k), "t[" + k + "]");
        double dir = Math.signum(t[t.length - 1] - t[0]);
        for (int k = 1; k < t.length; k++) {
            if (dir == 0 || Math.signum(t[k] - t[k - 1]) != dir) {
                throw new InvalidFieldException("t[" + k + "]", "t must be strictly monotone: t[" + (k - 1) + "] = "
                        + t[k - 1] + ", t[" + k + "] = " + t[k]);
            }
        }
        declaredDtype(root); // a bad dtype is an error of the file, found when it is read
        return new ProblemFile(model, z0, batch, t, root);
    }

    /**
     * The precision the problem declares: its {@code "dtype"}, else its model's ({@link MlpJson#dtype}), else
     * float64 (files written before dtypes existed).
     */
    public Precision dtype() {
        return declaredDtype(root);
    }

    private static Precision declaredDtype(JsonNode root) {
        JsonNode d = root.get("dtype");
        if (d != null && !d.isNull()) {
            try {
                return Precision.parse("dtype", d.isTextual() ? d.asText() : d.toString());
            } catch (IllegalArgumentException e) {
                throw new InvalidFieldException("dtype", e.getMessage());
            }
        }
        JsonNode model = root.get("model");
        if (model == null || !model.isObject()) return Precision.FLOAT64;
        try {
            return MlpJson.dtype(model);
        } catch (IllegalArgumentException e) {
            throw new InvalidFieldException("model.dtype", e.getMessage());
        }
    }

    /** The value of a JSON number that must be finite; otherwise an {@link InvalidFieldException} naming {@code what}. */
    public static double number(JsonNode n, String what) {
        if (n == null || !n.isNumber() || !Double.isFinite(n.asDouble())) {
            throw new InvalidFieldException(what, what + " must be a finite number, got " + n);
        }
        return n.asDouble();
    }
}
