package dev.panode.blas.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates the repository's {@code testdata/reference} folder (the peers' reference data, described in its README) from
 * any module's working directory. The search stops at the project root (the folder holding {@code mvnw}), so no test
 * reads anything outside the repository. Published with native-bindings' test-jar.
 */
public final class TestData {
    private TestData() {}

    /** The repository's root: the nearest folder at or above the working directory that holds {@code mvnw}. */
    public static Path projectRoot() {
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("mvnw"))) return dir;
        }
        throw new IllegalStateException("no project root (a folder with mvnw) above " + start);
    }

    /** The {@code testdata/reference} folder of this repository. */
    public static Path referenceFolder() {
        Path folder = projectRoot().resolve("testdata").resolve("reference");
        if (!Files.isDirectory(folder)) throw new IllegalStateException("no folder " + folder);
        return folder;
    }

    /** The reference file {@code name} (e.g. {@code "linear_3x3.json"}); fails when it is missing. */
    public static Path reference(String name) {
        Path file = referenceFolder().resolve(name);
        if (!Files.isRegularFile(file)) throw new IllegalStateException("no reference file " + file);
        return file;
    }
}
