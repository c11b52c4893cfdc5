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
 * log line explains, and the pure-Java fallback computes every routine correctly.
 */
class FallbackTest {

    @Test
    void switchedOffByPropertyUsesTheJavaFallback() throws Exception {
        ChildJvm.Result r = ChildJvm.run(FallbackProbe.class, List.of("-Dpanode.blas.disable=true"), e -> true);
        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
        assertTrue(r.stdout().contains("available=false") && r.stdout().contains("source=NONE"), r.stdout());
        assertTrue(r.stdout().contains("lapack=false"), r.stdout());
        assertTrue(r.stderr().contains("Native BLAS switched off by -Dpanode.blas.disable=true; using the pure-Java fallback"), r.stderr());
    }

    @Test
    void missingLibraryGivesTheClearMessageAndTheJavaFallback(@TempDir java.nio.file.Path cache) throws Exception {
        ChildJvm.Result r = ChildJvm.run(FallbackProbe.class,
                List.of("-Dpanode.blas.search=bundled", "-Dpanode.blas.cache=" + cache),
                entry -> !entry.contains("openblas"));
        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
        assertTrue(r.stdout().contains("available=false"), r.stdout());
        String log = r.stderr();
        assertTrue(log.contains("WARNING: No native BLAS (bundled: org.bytedeco:openblas:0.3.31-1.5.13:linux-x86_64 is not on the class path)"), log);
        assertTrue(log.contains("using the pure-Java fallback"), log);
        assertTrue(log.contains("apt-get install libopenblas0-pthread"), log);
        assertEquals(1, log.lines().filter(l -> l.contains("BLAS")).count(), "one log line: " + log);
    }

    @Test
    void explicitPathThatDoesNotExistIsReportedAndNothingElseIsTried() throws Exception {
        ChildJvm.Result r = ChildJvm.run(FallbackProbe.class, List.of("-Dpanode.blas.path=no/such/libopenblas.so.0"), e -> true);
        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
        assertTrue(r.stdout().contains("source=NONE"), r.stdout());
        assertTrue(r.stderr().contains("-Dpanode.blas.path = no/such/libopenblas.so.0 could not be used: no such file"), r.stderr());
    }

    @Test
    void bundledJarAloneIsExtractedVerifiedAndUsed(@TempDir java.nio.file.Path cache) throws Exception {
        ChildJvm.Result r = ChildJvm.run(FallbackProbe.class,
                List.of("-Dpanode.blas.search=bundled", "-Dpanode.blas.cache=" + cache), e -> true);
        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
        assertTrue(r.stdout().contains("source=BUNDLED"), r.stdout());
        assertTrue(r.stderr().contains("OpenBLAS loaded from the bundled jar, verified copy " + cache), r.stderr());
    }
}
