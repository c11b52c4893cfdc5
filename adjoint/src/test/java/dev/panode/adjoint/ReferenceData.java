package dev.panode.adjoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.panode.blas.testing.TestData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** Reads the peers' reference data in the repository's {@code testdata/reference} (see its README). */
final class ReferenceData {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ReferenceData() {}

    static Path file(String name) {
        return TestData.reference(name);
    }

    static JsonNode read(String name) {
        try {
            return MAPPER.readTree(file(name).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A list of rows (or a flat list) as one row-major array. */
    static double[] flat(JsonNode rowsOrList) {
        int n = 0;
        for (JsonNode row : rowsOrList) n += row.isArray() ? row.size() : 1;
        double[] out = new double[n];
        int i = 0;
        for (JsonNode row : rowsOrList) {
            if (row.isArray()) {
                for (JsonNode x : row) out[i++] = x.doubleValue();
            } else {
                out[i++] = row.doubleValue();
            }
        }
        return out;
    }
}
