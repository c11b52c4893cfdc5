package dev.panode.solvers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.panode.blas.testing.TestData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Reads the peers' reference data in the repository's {@code testdata/reference} (see its README). */
final class Reference {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Reference() {}

    static Path dir() {
        return TestData.referenceFolder();
    }

    static JsonNode read(String file) {
        try {
            return MAPPER.readTree(dir().resolve(file).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> benchFiles() {
        try (Stream<Path> s = Files.list(dir())) {
            List<String> out = new ArrayList<>();
            s.map(p -> p.getFileName().toString()).filter(f -> f.startsWith("bench_") && f.endsWith(".json"))
                    .sorted().forEach(out::add);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static double[] flat(JsonNode matrix) {
        List<Double> v = new ArrayList<>();
        flatten(matrix, v);
        double[] out = new double[v.size()];
        for (int i = 0; i < out.length; i++) out[i] = v.get(i);
        return out;
    }

    private static void flatten(JsonNode node, List<Double> out) {
        if (node.isArray()) for (JsonNode c : node) flatten(c, out);
        else out.add(node.asDouble());
    }
}
