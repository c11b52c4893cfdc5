package dev.panode.blas.testing;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.jar.JarFile;

/**
 * Runs a main class of the test class path in a fresh JVM, for what a JVM decides once (the loader's choice) or what
 * must hold across runs (determinism). Published with native-bindings' test-jar.
 */
public final class ChildJvm {
    private ChildJvm() {}

    /** The child's exit code and output. */
    public record Result(int exitCode, String stdout, String stderr) {}

    /** The test class path as a list of entries, unpacking surefire's manifest-only jar where it is used. */
    public static List<String> classPath() throws IOException {
        List<String> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (entry.endsWith(".jar") && entry.contains("surefire")) {
                try (JarFile jar = new JarFile(entry)) {
                    String manifestPath = jar.getManifest().getMainAttributes().getValue("Class-Path");
                    if (manifestPath != null) {
                        for (String url : manifestPath.trim().split("\\s+")) {
                            entries.add(Path.of(URI.create(url)).toString());
                        }
                        continue;
                    }
                }
            }
            entries.add(entry);
        }
        return entries;
    }

    /**
     * Runs {@code main} with the test class path entries {@code keepOnClassPath} accepts and the program arguments
     * {@code args}; waits at most 120 s.
     */
    public static Result run(Class<?> main, List<String> jvmArgs, Predicate<String> keepOnClassPath, String... args)
            throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED"));
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(String.join(File.pathSeparator, classPath().stream().filter(keepOnClassPath).toList()));
        command.add(main.getName());
        command.addAll(List.of(args));
        Path out = Files.createTempFile("panode-child", ".out"), err = Files.createTempFile("panode-child", ".err");
        try {
            Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("child JVM did not finish: " + command);
            }
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
