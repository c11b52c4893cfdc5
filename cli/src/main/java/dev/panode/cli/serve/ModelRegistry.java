package dev.panode.cli.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.panode.adjoint.models.Mlp;
import dev.panode.adjoint.models.MlpArchitecture;
import dev.panode.io.MlpJson;
import dev.panode.cli.ProblemFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.regex.Pattern;

/**
 * The models loaded into the service, by name: from panode model JSON sent in a request, or from a file inside the
 * configured model folder. Loading by path is confined to that folder (after resolving symbolic links) because the
 * service would otherwise read any file its user can read on behalf of any client, and its error messages would tell
 * which files exist. Thread-safe: models are immutable and shared by every worker.
 */
final class ModelRegistry {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    /** A loaded model and where it came from ({@code inline} or the relative path). */
    record Entry(String name, Mlp model, String source) {}

    private final Map<String, Entry> models = new ConcurrentSkipListMap<>();
    private final ServeConfig config;
    private final Path realModelDir;

    ModelRegistry(ServeConfig config) throws IOException {
        this.config = config;
        this.realModelDir = config.modelDir() == null ? null : config.modelDir().toRealPath();
        if (realModelDir != null && !Files.isDirectory(realModelDir)) {
            throw new IllegalArgumentException("--model-dir must be a folder, got " + config.modelDir());
        }
    }

    int size() {
        return models.size();
    }

    /**
     * Loads a model from a request: {@code {"name": N, "model": {...}}} or {@code {"name": N, "path": "rel/file.json"}}.
     * A model of the same name is replaced. Returns whether the name was new.
     */
    synchronized boolean load(JsonNode request) {
        Requests.onlyFields(request, "", "name", "model", "path");
        JsonNode nameNode = request.get("name");
        if (nameNode == null || !nameNode.isTextual() || !NAME.matcher(nameNode.asText()).matches()) {
            throw new ApiError(ApiError.Kind.INVALID_FIELD, "name", "name must be 1 to 64 letters, digits, '.', '_' "
                    + "or '-' starting with a letter or digit, got " + nameNode);
        }
        String name = nameNode.asText();
        JsonNode inline = request.get("model");
        JsonNode path = request.get("path");
        if ((inline == null) == (path == null)) {
            throw new ApiError(ApiError.Kind.INVALID_FIELD, "model", "give exactly one of model (panode model JSON) "
                    + "and path (a file in the server's model folder)");
        }
        Entry entry = inline != null ? new Entry(name, parse(inline, "model"), "inline")
                : new Entry(name, parse(readFile(path), "path"), path.asText());
        if (!models.containsKey(name) && models.size() >= config.maxModels()) {
            throw new ApiError(ApiError.Kind.LIMIT_EXCEEDED, "name", "at most " + config.maxModels()
                    + " models may be loaded (--max-models); replace one by loading under its name");
        }
        return models.put(name, entry) == null;
    }

    /** Adds a model read by the operator at start-up ({@code --load NAME=FILE}), from any path. */
    void preload(String name, Path file) throws IOException {
        if (!NAME.matcher(name).matches()) throw new IllegalArgumentException("--load name must match " + NAME + ", got " + name);
        models.put(name, new Entry(name, MlpJson.fromJson(ProblemFile.readJson(file, "model file")), file.toString()));
    }

    /** The model called {@code name}; 422 naming {@code field} when there is none. */
    Mlp get(String name, String field) {
        Entry e = models.get(name);
        if (e == null) {
            throw new ApiError(ApiError.Kind.INVALID_FIELD, field, field + " names no loaded model: \"" + truncate(name)
                    + "\" (GET /v1/models lists them)");
        }
        return e.model();
    }

    /** {@code {"models": [{name, dim, widths, activations, parameters, source}, ...]}}. */
    ObjectNode list() {
        ObjectNode root = ProblemFile.MAPPER.createObjectNode();
        ArrayNode arr = root.putArray("models");
        models.values().forEach(e -> arr.add(describe(e)));
        return root;
    }

    static ObjectNode describe(Entry e) {
        ObjectNode o = ProblemFile.MAPPER.createObjectNode();
        MlpArchitecture a = e.model().architecture();
        o.put("name", e.name());
        o.put("dim", a.dim());
        ArrayNode w = o.putArray("widths");
        a.widths().forEach(w::add);
        ArrayNode act = o.putArray("activations");
        a.activations().forEach(x -> act.add(x.toString().toLowerCase(java.util.Locale.ROOT)));
        o.put("parameters", a.parameterCount());
        o.put("source", e.source());
        return o;
    }

    Entry entry(String name) {
        return models.get(name);
    }

    private static Mlp parse(JsonNode node, String field) {
        try {
            return MlpJson.fromJson(node);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new ApiError(ApiError.Kind.INVALID_FIELD, field, field + ": not a valid panode model: "
                    + e.getMessage());
        }
    }

    private JsonNode readFile(JsonNode pathNode) {
        if (realModelDir == null) {
            throw new ApiError(ApiError.Kind.INVALID_FIELD, "path", "loading models by path is off: start panode "
                    + "serve with --model-dir DIR, or send the model JSON as \"model\"");
        }
        String given = pathNode.isTextual() ? pathNode.asText() : null;
        Path rel;
        try {
            rel = given == null || given.isEmpty() || given.indexOf('\0') >= 0 ? null : Path.of(given);
        } catch (InvalidPathException e) {
            rel = null;
        }
        if (rel == null || rel.isAbsolute() || rel.normalize().startsWith("..")) {
            throw new ApiError(ApiError.Kind.INVALID_FIELD, "path", "path must be a relative path inside the model "
                    + "folder, got " + pathNode);
        }
        Path file = realModelDir.resolve(rel).normalize();
        try {
            Path real = file.toRealPath();
            if (!real.startsWith(realModelDir) || !Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException("outside");
            }
            if (Files.size(real) > config.maxBodyBytes()) {
                throw new ApiError(ApiError.Kind.LIMIT_EXCEEDED, "path", "path " + truncate(given) + " is larger than "
                        + config.maxBodyBytes() + " bytes (--max-body-bytes)");
            }
            return ProblemFile.MAPPER.readTree(real.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ApiError(ApiError.Kind.INVALID_FIELD, "path", "path " + truncate(given) + " is not valid JSON: "
                    + e.getOriginalMessage().lines().findFirst().orElse(""));
        } catch (IOException e) {
            throw new ApiError(ApiError.Kind.INVALID_FIELD, "path", "path " + truncate(given) + " is not a readable "
                    + "file in the model folder");
        }
    }

    static String truncate(String s) {
        return s == null || s.length() <= 80 ? s : s.substring(0, 80) + "…";
    }
}
