package dev.panode.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.panode.blas.testing.TestData;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/** Reads the reference data in the repository's {@code testdata/reference}; runs the command line and parses JSON for tests. */
final class ReferenceFiles {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private ReferenceFiles() {}

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

    /** Every number of a nested JSON structure (arrays, objects in field order), depth first. */
    static double[] numbers(JsonNode node) {
        List<Double> out = new ArrayList<>();
        collect(node, out);
        double[] a = new double[out.size()];
        for (int i = 0; i < a.length; i++) a[i] = out.get(i);
        return a;
    }

    private static void collect(JsonNode n, List<Double> out) {
        if (n.isNumber()) {
            out.add(n.doubleValue());
        } else if (n.isArray()) {
            for (JsonNode c : n) collect(c, out);
        } else if (n.isObject()) {
            n.fields().forEachRemaining(e -> collect(e.getValue(), out));
        }
    }

    /** max |a − b| / max |b|: the normwise relative difference. */
    static double relativeDifference(double[] a, double[] b) {
        if (a.length != b.length) throw new AssertionError("lengths " + a.length + " and " + b.length);
        double diff = 0.0, scale = 0.0;
        for (int i = 0; i < a.length; i++) {
            diff = Math.max(diff, Math.abs(a[i] - b[i]));
            scale = Math.max(scale, Math.abs(b[i]));
        }
        return diff / scale;
    }

    /** Runs a subcommand ("solve", "grad") with {@code args} and returns its standard output; fails on a non-zero exit. */
    static String run(String... args) {
        Object command = switch (args[0]) {
            case "solve" -> new SolveCommand();
            case "grad" -> new GradCommand();
            default -> throw new IllegalArgumentException(args[0]);
        };
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new CommandLine(command).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute(java.util.Arrays.copyOfRange(args, 1, args.length));
        if (code != 0) throw new AssertionError("panode " + String.join(" ", args) + " exited " + code + ": " + err);
        return out.toString();
    }
}
