package dev.panode.blas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.Linker;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The loader's order and messages, through {@link OpenBlasLoader#locate}, which decides without caching or logging. */
class LoaderTest {
    private static final ClassLoader LOADER = LoaderTest.class.getClassLoader();
    /** A made-up home folder: the settings only derive paths from it, nothing is read or written there. */
    private static final Path HOME = Path.of("made-up-home").toAbsolutePath();

    private static LoaderSettings settings(Map<String, String> properties, Map<String, String> env) {
        Map<String, String> p = new java.util.HashMap<>(properties);
        p.putIfAbsent("user.home", HOME.toString());
        return LoaderSettings.from(p::get, env);
    }

    @Test
    void settingsReadPropertiesBeforeTheEnvironment() {
        LoaderSettings s = settings(Map.of("panode.blas.path", "a.so"), Map.of("PANODE_BLAS_PATH", "b.so"));
        assertEquals("a.so", s.explicitPath());
        assertEquals("-Dpanode.blas.path", s.explicitFrom());
        s = settings(Map.of(), Map.of("PANODE_BLAS_PATH", "b.so"));
        assertEquals("b.so", s.explicitPath());
        assertEquals("PANODE_BLAS_PATH", s.explicitFrom());
        s = settings(Map.of(), Map.of());
        assertNull(s.explicitPath());
        assertEquals(List.of(LibrarySource.SYSTEM, LibrarySource.BUNDLED), s.search());
        assertEquals(HOME.resolve(".cache").resolve("panode"), s.cacheBase());
        assertEquals(Path.of("/xdg/panode"), settings(Map.of(), Map.of("XDG_CACHE_HOME", "/xdg")).cacheBase());
        assertEquals(List.of(LibrarySource.BUNDLED), settings(Map.of("panode.blas.search", "bundled"), Map.of()).search());
        assertTrue(settings(Map.of("panode.blas.disable", "true"), Map.of()).disabled());
    }

    @Test
    void disablePropertyAcceptsTrueOrFalseOnly() {
        assertTrue(settings(Map.of("panode.blas.disable", "TRUE"), Map.of()).disabled());
        assertTrue(!settings(Map.of("panode.blas.disable", "false"), Map.of()).disabled());
        assertTrue(!settings(Map.of(), Map.of()).disabled());
        for (String bad : new String[] {"yes", "1", "on", "ture", " "}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> settings(Map.of("panode.blas.disable", bad), Map.of()));
            assertTrue(e.getMessage().contains("-Dpanode.blas.disable = '" + bad + "'")
                    && e.getMessage().contains("true or false"), e.getMessage());
        }
    }

    @Test
    void unknownSearchWordIsAnError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LoaderSettings.parseSearch("system,gpu"));
        assertTrue(e.getMessage().contains("-Dpanode.blas.search = 'system,gpu'"), e.getMessage());
    }

    @Test
    void disabledLoadsNothing() {
        LoadOutcome o = OpenBlasLoader.locate(settings(Map.of("panode.blas.disable", "true", "panode.blas.path", "x.so"), Map.of()), LOADER);
        assertEquals(LibrarySource.NONE, o.source());
        assertTrue(o.message().contains("switched off by -Dpanode.blas.disable=true"), o.message());
    }

    @Test
    void systemLibraryIsFoundAndLocated() {
        LoadOutcome o = OpenBlasLoader.locate(settings(Map.of("panode.blas.search", "system"), Map.of()), LOADER);
        assumeTrue(o.loaded(), "no system OpenBLAS here: " + o.message());
        assertEquals(LibrarySource.SYSTEM, o.source());
        assertTrue(o.location().contains("libopenblas"), o.location());
        assertTrue(o.message().startsWith("OpenBLAS loaded from the system library " + o.location() + ": OpenBLAS "), o.message());
        assertTrue(o.message().contains("core " + o.coreName()), o.message());
    }

    @Test
    void explicitPathIsLoadedAsGiven() {
        LoadOutcome system = OpenBlasLoader.locate(settings(Map.of("panode.blas.search", "system"), Map.of()), LOADER);
        assumeTrue(system.loaded(), "no system OpenBLAS here");
        LoadOutcome o = OpenBlasLoader.locate(settings(Map.of(), Map.of("PANODE_BLAS_PATH", system.location())), LOADER);
        assertEquals(LibrarySource.EXPLICIT_PATH, o.source());
        assertEquals(system.location(), o.location());
        assertTrue(o.message().startsWith("OpenBLAS loaded from the explicit path " + system.location()), o.message());
    }

    @Test
    void explicitPathToALibraryWithoutCblasIsRefused() {
        String libc = OpenBlasLoader.fileContaining(Linker.nativeLinker().defaultLookup().find("strlen").orElseThrow()).orElse(null);
        assumeTrue(libc != null, "dladdr unavailable");
        LoadOutcome o = OpenBlasLoader.locate(settings(Map.of("panode.blas.path", libc), Map.of()), LOADER);
        assertEquals(LibrarySource.NONE, o.source());
        assertTrue(o.message().contains(libc + " does not export cblas_dgemm: it is not OpenBLAS with CBLAS"), o.message());
        assertTrue(o.message().contains("nothing else is tried"), o.message());
    }

    @Test
    void searchFallsThroughToTheBundledJarAndExplainsEachFailure(@org.junit.jupiter.api.io.TempDir Path cache) throws Exception {
        // a cache base that is refused, so neither source can be used: the message carries both reasons and the hint
        java.nio.file.Files.setPosixFilePermissions(cache, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        LoadOutcome o = OpenBlasLoader.locate(settings(Map.of("panode.blas.search", "bundled", "panode.blas.cache", cache.toString()), Map.of()), LOADER);
        assertEquals(LibrarySource.NONE, o.source());
        assertTrue(o.message().startsWith("No native BLAS (bundled: refusing folder " + cache + ": others can write"), o.message());
        assertTrue(o.message().endsWith(OpenBlasLoader.INSTALL_HINT), o.message());
    }
}
