package dev.panode.adjoint.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.panode.blas.testing.TestData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** Reads the peers' reference data in the repository's {@code testdata/reference} (see its README). */
public final class ReferenceData {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ReferenceData() {}

    /** The repository's {@code testdata/reference} folder. */
    public static Path folder() {
        return TestData.referenceFolder();
    }

    /** The reference file {@code name}. */
    public static Path file(String name) {
        return TestData.reference(name);
    }

    public static JsonNode read(String name) {
        try {
            return MAPPER.readTree(file(name).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A list of rows (or a flat list) as one row-major array. */
    public static double[] flat(JsonNode rowsOrList) {
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

    /** {@link #relative(double[], double[])} of a float result, each float widened exactly. */
    public static double relative(float[] got, double[] want) {
        double[] widened = new double[got.length];
        for (int i = 0; i < got.length; i++) widened[i] = got[i];
        return relative(widened, want);
    }

    /** The max-norm relative difference {@code max|got − want| / max|want|}. */
    public static double relative(double[] got, double[] want) {
        if (got.length != want.length) {
            throw new AssertionError("length: expected " + want.length + ", got " + got.length);
        }
        double num = 0;
        double den = 0;
        for (int i = 0; i < got.length; i++) {
            num = Math.max(num, Math.abs(got[i] - want[i]));
            den = Math.max(den, Math.abs(want[i]));
        }
        return num / den;
    }
}
