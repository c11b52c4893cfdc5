package dev.panode.io;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model-file part of the bad-input catalogue (docs/RELIABILITY.md): each malformed file raises the documented
 * exception, and its message names the entry and the value.
 */
class MlpJsonBadInputTest {
    private static <T extends Throwable> T fails(Class<T> type, Executable call, String... parts) {
        T e = assertThrows(type, call);
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), () -> "message '" + e.getMessage() + "' lacks '" + p + "'");
        }
        return e;
    }

    @Test
    void malformedModelFiles(@TempDir Path dir) throws IOException {
        fails(UncheckedIOException.class, () -> MlpJson.parse("{\"layers\": [ {\"W\": [[1, 2]"), "not valid JSON");
        fails(IllegalArgumentException.class, () -> MlpJson.parse("{\"layers\": []}"), "model.layers", "[]");
        fails(IllegalArgumentException.class, () -> MlpJson.parse("{\"layers\": [{\"W\": [[1, 2], [3]], \"b\": [0, 0]}]}"),
                "layers[0].W", "row 1 has 1");
        fails(IllegalArgumentException.class, () -> MlpJson.parse("{\"layers\": [{\"W\": [[1, 2], [3, 4]], \"b\": [0]}]}"),
                "layers[0].b", "had 1");
        fails(IllegalArgumentException.class, () -> MlpJson.parse("{\"layers\": [{\"W\": [[1, \"x\"], [3, 4]], \"b\": [0, 0]}]}"),
                "layers[0].W[0][1]", "\"x\"");
        fails(IllegalArgumentException.class, () -> MlpJson.parse(
                "{\"layers\": [{\"W\": [[1, 2], [3, 4]], \"b\": [0, 0]}], \"activations\": [\"swish\"]}"),
                "activation", "swish");
        fails(IllegalArgumentException.class, () -> MlpJson.parse("{\"layers\": [{\"W\": [[1, 2], [3, 1e999]], \"b\": [0, 0]}]}"),
                "must be finite", "Infinity");
        // a key given twice is refused, not "the last one wins"
        fails(UncheckedIOException.class, () -> MlpJson.parse(
                "{\"layers\": [{\"W\": [[1, 2], [3, 4]], \"b\": [0, 0], \"b\": [5, 5]}]}"), "Duplicate field 'b'");
        Path twice = Files.writeString(dir.resolve("twice.json"),
                "{\"layers\": [{\"W\": [[1, 2], [3, 4]], \"b\": [0, 0]}], \"layers\": []}");
        IOException dup = assertThrows(IOException.class, () -> MlpJson.read(twice));
        assertTrue(dup.getMessage().contains("Duplicate field 'layers'"), dup.getMessage());
        Path truncated = dir.resolve("model.json");
        Files.writeString(truncated, "{\"layers\": [");
        IOException io = assertThrows(IOException.class, () -> MlpJson.read(truncated));
        assertTrue(io.getMessage().contains("end-of-input"), io.getMessage());
        assertThrows(IOException.class, () -> MlpJson.read(dir.resolve("missing.json")));
    }
}
