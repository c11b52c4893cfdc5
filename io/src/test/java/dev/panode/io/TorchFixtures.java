package dev.panode.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;

/** The fixtures written by {@code make_fixtures.py} with PyTorch, beside it in the test resources. */
final class TorchFixtures {
    /** Every fixture's base name. */
    static final List<String> NAMES = List.of("tanh_f64", "tanh_f32", "tanh_bf16", "spiral_f16");
    private static final ObjectMapper JSON = new ObjectMapper();

    private TorchFixtures() {}

    /** The fixture folder. */
    static Path dir() {
        try {
            return Path.of(TorchFixtures.class.getResource("/dev/panode/io/torch/tanh_f64.safetensors").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path weights(String name) {
        return dir().resolve(name + ".safetensors");
    }

    static JsonNode expected(String name) {
        try {
            return JSON.readTree(dir().resolve(name + ".expected.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
