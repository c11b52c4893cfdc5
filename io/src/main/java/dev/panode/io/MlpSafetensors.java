package dev.panode.io;

import dev.panode.adjoint.models.Mlp;
import dev.panode.blas.Arguments;
import dev.panode.io.safetensors.Dtype;
import dev.panode.io.safetensors.SafetensorsFile;
import java.io.IOException;
import java.nio.file.Path;

/**
 * An {@link Mlp} loaded from and saved to a safetensors file with PyTorch's {@code torch.nn.Sequential} tensor names
 * ({@code 0.weight}, {@code 0.bias}, {@code 2.weight}, …), through {@link SequentialStateDict}.
 *
 * <p>A saved file also holds, in its {@code __metadata__}, {@code "format": "pt"} (the convention of PyTorch
 * safetensors files) and the architecture JSON under {@value #ARCHITECTURE_KEY}, so that loading it needs no separate
 * architecture description. See docs/IMPORT.md for the Python side.
 */
public final class MlpSafetensors {
    /** The metadata key under which {@link #save} stores the architecture JSON. */
    public static final String ARCHITECTURE_KEY = "panode.architecture";

    private MlpSafetensors() {}

    /**
     * Loads an MLP from a state_dict file, with the architecture given, or (when {@code arch} is null) the one stored
     * in the file's metadata.
     *
     * @throws IOException              when the file cannot be read or is not valid safetensors (one line naming
     *                                  the file and tensor)
     * @throws IllegalArgumentException naming the tensor or layer when the tensors do not fit the architecture, or the
     *                                  architecture is not an MLP
     */
    public static Mlp load(Path weights, SequentialArchitecture arch) throws IOException {
        Arguments.nonNull(weights, "weights");
        try (SafetensorsFile file = SafetensorsFile.open(weights)) {
            SequentialArchitecture a = arch != null ? arch : storedArchitecture(file, weights);
            return new Mlp(a.toMlpArchitecture(), SequentialStateDict.read(file, a, weights.toString()));
        }
    }

    /**
     * Saves {@code mlp} as the state_dict of its canonical Sequential ({@link SequentialArchitecture#of}), values
     * rounded to {@code dtype}, with the architecture in the metadata.
     *
     * @throws IOException when the file cannot be written
     */
    public static void save(Mlp mlp, Path out, Dtype dtype) throws IOException {
        save(mlp, SequentialArchitecture.of(Arguments.nonNull(mlp, "mlp").architecture()), out, dtype);
    }

    /**
     * Saves {@code mlp} under the tensor names of {@code arch}, which must describe the same MLP (e.g. the
     * architecture it was imported with, to keep its prefix and module indices).
     *
     * @throws IllegalArgumentException when {@code arch} is not the MLP's architecture
     * @throws IOException              when the file cannot be written
     */
    public static void save(Mlp mlp, SequentialArchitecture arch, Path out, Dtype dtype) throws IOException {
        Arguments.nonNull(mlp, "mlp");
        Arguments.nonNull(arch, "arch");
        if (!arch.toMlpArchitecture().equals(mlp.architecture())) {
            throw new IllegalArgumentException("arch must describe the MLP " + mlp.architecture() + ", got "
                    + ArchitectureJson.toJsonString(arch));
        }
        SequentialStateDict.writer(arch, mlp.parameters(), dtype)
                .metadata("format", "pt")
                .metadata(ARCHITECTURE_KEY, ArchitectureJson.toJsonString(arch))
                .write(out);
    }

    private static SequentialArchitecture storedArchitecture(SafetensorsFile file, Path weights) {
        String json = file.metadata().get(ARCHITECTURE_KEY);
        if (json == null) {
            throw new IllegalArgumentException(weights + " holds no architecture (no \"" + ARCHITECTURE_KEY
                    + "\" metadata); give one (--arch FILE)");
        }
        try {
            return ArchitectureJson.parse(json);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(weights + ": metadata \"" + ARCHITECTURE_KEY + "\": " + e.getMessage(), e);
        }
    }
}
