package dev.panode.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.panode.adjoint.models.InputTransform;
import dev.panode.blas.Arguments;
import dev.panode.io.SequentialArchitecture.Elementwise;
import dev.panode.io.SequentialArchitecture.Layer;
import dev.panode.io.SequentialArchitecture.Linear;
import dev.panode.adjoint.models.Activation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads and writes a {@link SequentialArchitecture} as JSON, the architecture description that goes with a
 * state_dict:
 *
 * <pre>{@code
 * {
 *   "layers": [{"linear": [2, 50]}, "tanh", {"linear": [50, 2]}],  // the Sequential's modules, index = position
 *   "input_transform": "cube",   // optional: "none" (default) | "cube", applied to y before module 0
 *   "time_input": false,         // optional: t appended as the last input column of module 0
 *   "prefix": "net."            // optional: prepended to every tensor name ("net.0.weight")
 * }
 * }</pre>
 *
 * <p>A linear layer is {@code {"linear": [in, out]}} (the arguments of {@code torch.nn.Linear}, with bias); an
 * activation is its name: {@code "tanh"}, {@code "relu"}, {@code "softplus"}, {@code "sigmoid"}, {@code "sin"} or
 * {@code "identity"}. Unknown fields are errors, so that a misspelt option is not silently ignored; the optional
 * {@code "format": "panode-architecture"} and {@code "version": 1} are accepted.
 */
public final class ArchitectureJson {
    /** The value of the optional {@code "format"} field. */
    public static final String FORMAT = "panode-architecture";
    /** The version written. */
    public static final int VERSION = 1;
    private static final Set<String> FIELDS = Set.of("format", "version", "layers", "input_transform", "time_input", "prefix");
    private static final JsonMapper JSON = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private ArchitectureJson() {}

    /**
     * Reads an architecture file.
     *
     * @throws IOException              when the file cannot be read or is not valid JSON (naming the file)
     * @throws IllegalArgumentException naming the file, the field and its value when the JSON is not an architecture
     */
    public static SequentialArchitecture read(Path file) throws IOException {
        Arguments.nonNull(file, "file");
        String text;
        try {
            text = Files.readString(file);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new java.nio.file.NoSuchFileException(file.toString(), null, "no such file");
        }
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IOException(file + " is not valid JSON: " + syntaxError(e), e);
        }
        try {
            return fromJson(root);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses architecture JSON text.
     *
     * @throws IllegalArgumentException naming the field and its value when the text is not a valid architecture
     */
    public static SequentialArchitecture parse(String json) {
        Arguments.nonNull(json, "json");
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("architecture is not valid JSON: " + syntaxError(e));
        }
        return fromJson(root);
    }

    /** Builds an architecture from a parsed tree. */
    public static SequentialArchitecture fromJson(JsonNode root) {
        Arguments.nonNull(root, "root");
        if (!root.isObject()) throw new IllegalArgumentException("architecture must be a JSON object, got " + brief(root));
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!FIELDS.contains(field)) {
                throw new IllegalArgumentException("architecture has an unknown field \"" + field + "\" (known: layers, "
                        + "input_transform, time_input, prefix, format, version)");
            }
        }
        JsonNode format = root.get("format");
        if (format != null && !FORMAT.equals(format.asText())) {
            throw new IllegalArgumentException("format must be \"" + FORMAT + "\", got " + brief(format));
        }
        JsonNode version = root.get("version");
        if (version != null && !(version.isInt() && version.intValue() == VERSION)) {
            throw new IllegalArgumentException("version must be " + VERSION + ", got " + brief(version));
        }
        JsonNode layersNode = root.get("layers");
        if (layersNode == null || !layersNode.isArray() || layersNode.isEmpty()) {
            throw new IllegalArgumentException("layers must be a non-empty array, got " + brief(layersNode));
        }
        List<Layer> layers = new ArrayList<>();
        for (int k = 0; k < layersNode.size(); k++) layers.add(layer(layersNode.get(k), k));
        String prefix = text(root, "prefix", "");
        InputTransform transform = MlpJson.transform(text(root, "input_transform", "none"));
        JsonNode time = root.get("time_input");
        if (time != null && !time.isBoolean()) {
            throw new IllegalArgumentException("time_input must be true or false, got " + brief(time));
        }
        return new SequentialArchitecture(prefix, transform, time != null && time.booleanValue(), layers);
    }

    /** The JSON tree of an architecture (every field written). */
    public static ObjectNode toJson(SequentialArchitecture arch) {
        Arguments.nonNull(arch, "arch");
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        ArrayNode layers = root.putArray("layers");
        for (Layer layer : arch.layers()) {
            switch (layer) {
                case Linear(int in, int out) -> layers.addObject().putArray("linear").add(in).add(out);
                case Elementwise(Activation a) -> layers.add(name(a));
            }
        }
        root.put("input_transform", arch.inputTransform().name().toLowerCase(Locale.ROOT));
        root.put("time_input", arch.timeInput());
        root.put("prefix", arch.prefix());
        return root;
    }

    /** The architecture as one line of JSON (as stored in a safetensors file's metadata). */
    public static String toJsonString(SequentialArchitecture arch) {
        try {
            return JSON.writeValueAsString(toJson(arch));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Writes the architecture, indented, replacing {@code file}.
     *
     * @throws IOException when the file cannot be written
     */
    public static void write(SequentialArchitecture arch, Path file) throws IOException {
        Arguments.nonNull(file, "file");
        Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(toJson(arch)) + "\n");
    }

    /** The lower-case name of an activation, as written in the JSON. */
    static String name(Activation a) {
        return a.name().toLowerCase(Locale.ROOT);
    }

    private static Layer layer(JsonNode node, int k) {
        if (node.isTextual()) {
            try {
                return new Elementwise(MlpJson.activation(node.textValue()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("layers[" + k + "] must be tanh, relu, softplus, sigmoid, sin, identity "
                        + "or {\"linear\": [in, out]}, got " + brief(node), e);
            }
        }
        JsonNode linear = node.get("linear");
        if (!node.isObject() || node.size() != 1 || linear == null || !linear.isArray() || linear.size() != 2
                || !linear.get(0).isInt() || !linear.get(1).isInt()
                || linear.get(0).intValue() < 1 || linear.get(1).intValue() < 1) {
            throw new IllegalArgumentException("layers[" + k + "] must be an activation name or {\"linear\": [in, out]} "
                    + "with widths >= 1, got " + brief(node));
        }
        return new Linear(linear.get(0).intValue(), linear.get(1).intValue());
    }

    private static String syntaxError(JsonProcessingException e) {
        return e.getOriginalMessage().lines().findFirst().orElse("") + (e.getLocation() == null ? ""
                : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
    }

    private static String text(JsonNode root, String field, String absent) {
        JsonNode node = root.get(field);
        if (node == null) return absent;
        if (!node.isTextual()) throw new IllegalArgumentException(field + " must be a string, got " + brief(node));
        return node.textValue();
    }

    private static String brief(JsonNode node) {
        String s = String.valueOf(node);
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
