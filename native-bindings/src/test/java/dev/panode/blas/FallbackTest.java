package dev.panode.blas;

import dev.panode.blas.testing.ChildJvm;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loader's decision is made once per JVM, so these run {@link FallbackProbe} in child JVMs: with native code
 * switched off, and with no library anywhere (no system search, the bundled jar off the class path). Each time the
 * status line explains, and the pure-Java fallback computes every routine correctly. The log is quiet (DEBUG) for the
 * ordinary outcomes unless asked for, and a WARNING when something the user configured could not be used.
 */
class FallbackTest {
    /** A java.util.logging configuration that asks for the loader's DEBUG lines. */
    private static String askForDebug(java.nio.file.Path dir) throws java.io.IOException {
        java.nio.file.Path f = java.nio.file.Files.writeString(dir.resolve("logging.properties"),
                "handlers = java.util.logging.ConsoleHandler\njava.util.logging.ConsoleHandler.level = ALL\n"
                        + "dev.panode.blas.level = ALL\n");
        return "-Djava.util.logging.config.file=" + f;
    }

    @Test
    void switchedOffByPropertyUsesTheJavaFallback(@TempDir java.nio.file.Path dir) throws Exception {
        ChildJvm.Result r = ChildJvm.run(FallbackProbe.class, List.of("-Dpanode.blas.disable=true"), e -> true);
        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
        assertTrue(r.stdout().contains("available=false") && r.stdout().contains("source=NONE"), r.stdout());
        assertTrue(r.stdout().contains("lapack=false"), r.stdout());
        String line = "Native BLAS switched off by -Dpanode.blas.disable=true; using the pure-Java fallback";
        assertTrue(r.stdout().contains(line), r.stdout());
        assertTrue(r.stderr().isBlank(), "quiet unless asked: " + r.stderr());
        ChildJvm.Result asked = ChildJvm.run(FallbackProbe.class, List.of("-Dpanode.blas.disable=true", askForDebug(dir)),
                e -> true);
        assertTrue(asked.stderr().contains(line), "asked for: " + asked.stderr());
    }

    @Test
    void aDisableValueOtherThanTrueOrFalseIsAWarningAndNoNativeCode() throws Exception {
        ChildJvm.Result r = ChildJvm.run(FallbackProbe.class, List.of("-Dpanode.blas.disable=yes"), e -> true);
        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
        assertTrue(r.stdout().contains("source=NONE"), r.stdout());
        assertTrue(r.stderr().contains("WARNING: No native BLAS: -Dpanode.blas.disable = 'yes': must be true or false"),
                r.stderr());
    }

    @Test
    void missingLibraryGivesTheClearMessageAndTheJavaFallback(@TempDir java.nio.file.Path cache) throws Exception {
        List<String> flags = List.of("-Dpanode.blas.search=bundled", "-Dpanode.blas.cache=" + cache);
        ChildJvm.Result quiet = ChildJvm.run(FallbackProbe.class, flags, entry -> !entry.contains("openblas"));
        assertEquals(0, quiet.exitCode(), quiet.stdout() + quiet.stderr());
        assertTrue(quiet.stdout().contains("status=No native BLAS (bundled:"), quiet.stdout());
        assertTrue(quiet.stderr().isBlank(), "no OpenBLAS is an ordinary outcome, quiet unless asked: " + quiet.stderr());
        ChildJvm.Result r = ChildJvm.run(FallbackProbe.class,
                List.of(flags.get(0), flags.get(1), askForDebug(cache)), entry -> !entry.contains("openblas"));
        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
        assertTrue(r.stdout().contains("available=false"), r.stdout());
        String log = r.stderr();
        assertTrue(log.contains("No native BLAS (bundled: org.bytedeco:openblas:0.3.31-1.5.13:linux-x86_64 is not on the class path)"), log);
        assertTrue(log.contains("using the pure-Java fallback"), log);
        assertTrue(log.contains("apt-get install libopenblas0-pthread"), log);
        assertEquals(1, log.lines().filter(l -> l.contains("BLAS")).count(), "one log line: " + log);
    }

    @Test
    void explicitPathThatDoesNotExistIsReportedAndNothingElseIsTried() throws Exception {
        ChildJvm.Result r = ChildJvm.run(FallbackProbe.class, List.of("-Dpanode.blas.path=no/such/libopenblas.so.0"), e -> true);
        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
        assertTrue(r.stdout().contains("source=NONE"), r.stdout());
        assertTrue(r.stderr().contains("WARNING: No native BLAS: -Dpanode.blas.path = no/such/libopenblas.so.0 could not be used: no such file"), r.stderr());
    }

    @Test
    void bundledJarAloneIsExtractedVerifiedAndUsed(@TempDir java.nio.file.Path cache) throws Exception {
        ChildJvm.Result r = ChildJvm.run(FallbackProbe.class,
                List.of("-Dpanode.blas.search=bundled", "-Dpanode.blas.cache=" + cache), e -> true);
        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
        assertTrue(r.stdout().contains("source=BUNDLED"), r.stdout());
        assertTrue(r.stdout().contains("OpenBLAS loaded from the bundled jar, verified copy " + cache), r.stdout());
        assertTrue(r.stderr().isBlank(), "a successful load is quiet: " + r.stderr());
    }
}
