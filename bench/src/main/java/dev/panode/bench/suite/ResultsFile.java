package dev.panode.bench.suite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.panode.blas.Arguments;
import dev.panode.blas.Blas;
import dev.panode.blas.BlasInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A suite run on disk: {@code {"environment": {...}, "jmh": [JMH's own JSON results]}}. The environment records when
 * and where it ran (date, JDK, CPU, Vector API width, the BLAS library, its core and threads) so that a baseline says
 * what it was measured on. {@link #read} also accepts a bare JMH result array.
 *
 * @param environment the run's environment (empty object for a bare JMH file)
 * @param jmh         JMH's result array, unchanged
 * @param results     the same, parsed
 */
public record ResultsFile(ObjectNode environment, ArrayNode jmh, List<BenchResult> results) {
    /** Reads strictly: a key given twice in one object is an error, not "the last one wins". */
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    public ResultsFile {
        results = Arguments.nonNullCopy(results, "results");
    }

    /** Wraps JMH's result array with the environment of this JVM; file-system paths in it are replaced by {@code <path>}. */
    public static ResultsFile of(ArrayNode jmh, Profile profile) {
        ArrayNode clean = jmh.deepCopy();
        clean.forEach(ResultsFile::withoutPaths);
        return new ResultsFile(currentEnvironment(profile), clean, parse(clean));
    }

    /** Results are shared (the committed baseline): they say which JDK ran, not where it is installed. */
    private static void withoutPaths(JsonNode node) {
        if (node instanceof ObjectNode o) {
            if (o.has("jvm")) {
                o.put("jvm", "<path>/bin/java");
            }
            if (o.get("jvmArgs") instanceof ArrayNode args) {
                for (int i = 0; i < args.size(); i++) {
                    args.set(i, args.get(i).asText().replaceAll("(^|=|:)/[^\\s:]*", "$1<path>"));
                }
            }
        }
    }

    public static ResultsFile read(Path file) throws IOException {
        JsonNode root = JSON.readTree(file.toFile());
        if (root instanceof ArrayNode array) {
            return new ResultsFile(JSON.createObjectNode(), array, parse(array));
        }
        if (root instanceof ObjectNode object && object.get("jmh") instanceof ArrayNode array) {
            ObjectNode env = object.get("environment") instanceof ObjectNode e ? e : JSON.createObjectNode();
            return new ResultsFile(env, array, parse(array));
        }
        throw new IOException(file + " is neither a panode results file nor a JMH JSON result array");
    }

    public void write(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        ObjectNode root = JSON.createObjectNode();
        root.set("environment", environment);
        root.set("jmh", jmh);
        JSON.writeValue(file.toFile(), root);
    }

    /** One line describing where the run happened, for headers. */
    public String describeEnvironment() {
        if (environment.isEmpty()) {
            return "(no environment recorded)";
        }
        return "%s, JDK %s, %s (%s cpus), Vector API %s bits, BLAS %s core %s, %s threads, profile %s".formatted(
                environment.path("date").asText("?"), environment.path("jdk").asText("?"), environment.path("cpuModel").asText("?"),
                environment.path("cpus").asText("?"), environment.path("vectorBits").asText("?"),
                environment.path("blas").path("config").asText("none"), environment.path("blas").path("core").asText("-"),
                environment.path("blas").path("threads").asText("?"), environment.path("profile").asText("?"));
    }

    private static List<BenchResult> parse(ArrayNode jmh) {
        List<BenchResult> results = new ArrayList<>();
        jmh.forEach(node -> results.add(BenchResult.fromJmhJson(node)));
        return results;
    }

    static ObjectNode currentEnvironment(Profile profile) {
        ObjectNode env = JSON.createObjectNode();
        env.put("date", OffsetDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        env.put("profile", profile.name().toLowerCase(java.util.Locale.ROOT));
        env.put("jdk", Runtime.version().toString());
        env.put("jdkVendor", System.getProperty("java.vendor"));
        env.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        env.put("cpus", Runtime.getRuntime().availableProcessors());
        env.put("cpuModel", cpuModel().orElse(System.getProperty("os.arch")));
        env.put("vectorBits", jdk.incubator.vector.DoubleVector.SPECIES_PREFERRED.vectorBitSize());
        BlasInfo blas = Blas.info();
        ObjectNode b = env.putObject("blas");
        b.put("source", blas.source().name());
        b.put("config", blas.config());
        b.put("core", blas.coreName());
        b.put("threads", blas.threads());
        return env;
    }

    private static Optional<String> cpuModel() {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (!Files.isReadable(cpuinfo)) {
            return Optional.empty();
        }
        try (Stream<String> lines = Files.lines(cpuinfo)) {
            return lines.filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst();
        } catch (IOException | java.io.UncheckedIOException e) {
            return Optional.empty();
        }
    }
}
