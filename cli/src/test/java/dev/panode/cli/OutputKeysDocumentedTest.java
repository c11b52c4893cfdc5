package dev.panode.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.panode.blas.testing.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Every key {@code panode solve} and {@code panode grad} write is documented in docs/DEMO.md's output tables, and every
 * documented key is written: the tables are compared with the commands' real output (objects give dotted keys, e.g.
 * {@code stats.nfe}).
 */
class OutputKeysDocumentedTest {
    private static final String PROBLEM = TestData.projectRoot().resolve("docs/examples/linear-spiral.json").toString();

    @Test
    void solveKeysAreDocumented() throws IOException {
        JsonNode out = ReferenceFiles.MAPPER.readTree(ReferenceFiles.run("solve", "--problem", PROBLEM));
        assertEquals(documentedKeys("### Output of `solve`"), keys(out));
    }

    @Test
    void gradKeysAreDocumentedForEveryGradientMethod() throws IOException {
        Set<String> documented = documentedKeys("### Output of `grad`");
        for (GradientChoice g : GradientChoice.values()) {
            JsonNode out = ReferenceFiles.MAPPER.readTree(ReferenceFiles.run("grad", "--problem", PROBLEM,
                    "--loss", "multi", "--gradient", g.toString()));
            assertEquals(documented, keys(out), g.toString());
        }
    }

    /** The top-level keys, an object's keys as {@code parent.child}. */
    private static Set<String> keys(JsonNode root) {
        Set<String> keys = new TreeSet<>();
        root.fieldNames().forEachRemaining(k -> {
            JsonNode v = root.get(k);
            if (v.isObject()) v.fieldNames().forEachRemaining(c -> keys.add(k + "." + c));
            else keys.add(k);
        });
        return keys;
    }

    /** The first-column keys of the table under {@code heading} in docs/DEMO.md. */
    private static Set<String> documentedKeys(String heading) throws IOException {
        List<String> lines = Files.readAllLines(TestData.projectRoot().resolve("docs/DEMO.md"));
        int start = lines.indexOf(lines.stream().filter(l -> l.startsWith(heading)).findFirst()
                .orElseThrow(() -> new AssertionError("docs/DEMO.md has no heading " + heading)));
        Set<String> keys = new TreeSet<>();
        List<String> table = new ArrayList<>();
        for (int i = start + 1; i < lines.size() && !lines.get(i).startsWith("#"); i++) {
            if (lines.get(i).startsWith("| `")) table.add(lines.get(i));
            else if (!table.isEmpty()) break;
        }
        for (String row : table) keys.add(row.substring(3, row.indexOf('`', 3)));
        return keys;
    }
}
