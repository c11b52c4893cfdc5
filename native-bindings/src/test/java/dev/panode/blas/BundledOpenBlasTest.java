package dev.panode.blas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Properties;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundled jar's path: extraction to a private folder, verification against the build-time checksums, refusal of
 * folders and files that someone else owns or can write, and a real product through the verified copy.
 */
class BundledOpenBlasTest {
    private static final ClassLoader LOADER = BundledOpenBlasTest.class.getClassLoader();

    @TempDir
    static Path shared;
    private static Path sharedLibrary;

    @BeforeAll
    static void extractOnce() throws Exception {
        sharedLibrary = BundledOpenBlas.locate(LOADER).extract(shared.resolve("cache"), PrivateFolder.forCurrentUser());
    }

    @Test
    void manifestWasRecordedAtBuildTimeForEveryExtractedFile() throws Exception {
        BundledOpenBlas bundled = BundledOpenBlas.locate(LOADER);
        assertEquals("org.bytedeco:openblas:0.3.31-1.5.13:linux-x86_64", bundled.artifact());
        assertEquals(java.util.List.of("libgcc_s.so.1", "libquadmath.so.0", "libgfortran.so.5", "libopenblas.so.0"), bundled.files());
        for (var e : bundled.checksums().entrySet()) {
            // the sum the build recorded equals the sum of the jar entry on the class path now
            try (InputStream in = LOADER.getResourceAsStream("org/bytedeco/openblas/linux-x86_64/" + e.getKey())) {
                var digest = java.security.MessageDigest.getInstance("SHA-256");
                digest.update(in.readAllBytes());
                assertEquals(e.getValue(), java.util.HexFormat.of().formatHex(digest.digest()), e.getKey());
            }
        }
    }

    @Test
    void extractsToOwnerOnlyFolderAndFiles() throws Exception {
        Path folder = sharedLibrary.getParent();
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(folder)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(folder.getParent())));
        try (var files = Files.list(folder)) {
            for (Path f : files.toList()) {
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)), f.toString());
                assertTrue(!f.toString().endsWith(".part"), "no partial file left: " + f);
            }
        }
        assertTrue(folder.getFileName().toString().startsWith("openblas-0.3.31-1.5.13-"), folder.toString());
    }

    @Test
    void verifiedCopyComputesAProduct() throws Throwable {
        LoadOutcome outcome = OpenBlasLoader.loadBundled(shared.resolve("cache"), LOADER);
        assertEquals(LibrarySource.BUNDLED, outcome.source());
        assertEquals(sharedLibrary.toString(), outcome.location());
        assertTrue(outcome.config().startsWith("OpenBLAS 0.3.31"), outcome.config());
        // cblas_dgemm of this very library (not the one the facade may have loaded), row-major 7x5x3
        MethodHandle dgemm = Linker.nativeLinker().downcallHandle(outcome.symbols().find("cblas_dgemm").orElseThrow(),
                FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                        ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_DOUBLE, ValueLayout.ADDRESS, ValueLayout.JAVA_INT,
                        ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_DOUBLE, ValueLayout.ADDRESS, ValueLayout.JAVA_INT),
                Linker.Option.critical(true));
        SplittableRandom rnd = new SplittableRandom(3);
        double[] a = Naive.random(rnd, 21), b = Naive.random(rnd, 15), c = new double[35], expected = new double[35];
        Naive.dgemm(Transpose.NO, Transpose.NO, 7, 5, 3, 1.0, a, 0, 3, b, 0, 5, 0.0, expected, 0, 5);
        dgemm.invokeExact(101, 111, 111, 7, 5, 3, 1.0, MemorySegment.ofArray(a), 3, MemorySegment.ofArray(b), 5, 0.0,
                MemorySegment.ofArray(c), 5);
        assertTrue(Naive.relativeError(c, expected) <= 1e-13);
    }

    @Test
    void tamperedFileIsRefusedByVerifyAndRepairedByExtract(@TempDir Path base) throws Exception {
        BundledOpenBlas bundled = BundledOpenBlas.locate(LOADER);
        PrivateFolder rules = PrivateFolder.forCurrentUser();
        Path lib = bundled.extract(base, rules);
        Path gfortran = lib.resolveSibling("libgfortran.so.5");
        Files.write(gfortran, new byte[] {0}, StandardOpenOption.APPEND);
        LibraryLoadException e = assertThrows(LibraryLoadException.class, () -> bundled.verify(lib.getParent(), rules));
        assertTrue(e.getMessage().contains("refusing " + gfortran + ": its SHA-256 is"), e.getMessage());
        java.util.List<String> notes = new java.util.ArrayList<>();
        bundled.extract(base, rules, notes); // our own folder: the bad copy is replaced by a verified one
        bundled.verify(lib.getParent(), rules);
        assertEquals(1, notes.size(), "one note per replaced file: " + notes);
        assertTrue(notes.get(0).contains("replaced " + gfortran) && notes.get(0).contains("SHA-256")
                && notes.get(0).contains("recorded"), notes.get(0));
        notes.clear();
        bundled.extract(base, rules, notes);
        assertTrue(notes.isEmpty(), "an intact copy is not replaced: " + notes);
        // through the loader: the outcome's log line says so
        Files.write(gfortran, new byte[] {0}, StandardOpenOption.APPEND);
        LoadOutcome o = OpenBlasLoader.loadBundled(base, LOADER);
        assertTrue(o.loaded(), o.message());
        assertTrue(o.message().contains("replaced " + gfortran), o.message());
    }

    @Test
    void folderThatOthersCanWriteIsRefused(@TempDir Path base) throws Exception {
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxrwxrwx"));
        LibraryLoadException e = assertThrows(LibraryLoadException.class,
                () -> BundledOpenBlas.locate(LOADER).extract(base, PrivateFolder.forCurrentUser()));
        assertTrue(e.getMessage().contains("refusing folder " + base + ": others can write to it (permissions rwxrwxrwx)"), e.getMessage());
    }

    @Test
    void fileThatOthersCanWriteIsRefused(@TempDir Path base) throws Exception {
        BundledOpenBlas bundled = BundledOpenBlas.locate(LOADER);
        Path folder = bundled.folder(base);
        Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(PrivateFolder.OWNER_ONLY_DIR));
        Path planted = folder.resolve("libquadmath.so.0");
        Files.writeString(planted, "planted");
        Files.setPosixFilePermissions(planted, PosixFilePermissions.fromString("rw-rw-rw-"));
        LibraryLoadException e = assertThrows(LibraryLoadException.class, () -> bundled.extract(base, PrivateFolder.forCurrentUser()));
        assertTrue(e.getMessage().contains("refusing file " + planted + ": others can write to it"), e.getMessage());
    }

    @Test
    void symbolicLinkInPlaceOfTheLibraryIsRefused(@TempDir Path base) throws Exception {
        BundledOpenBlas bundled = BundledOpenBlas.locate(LOADER);
        Path folder = bundled.folder(base);
        Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(PrivateFolder.OWNER_ONLY_DIR));
        Files.createSymbolicLink(folder.resolve("libopenblas.so.0"), sharedLibrary);
        LibraryLoadException e = assertThrows(LibraryLoadException.class, () -> bundled.extract(base, PrivateFolder.forCurrentUser()));
        assertTrue(e.getMessage().contains("is not a regular file"), e.getMessage());
    }

    @Test
    void folderOwnedBySomeoneElseIsRefused(@TempDir Path base) throws Exception {
        UserPrincipal me = PrivateFolder.forCurrentUser().user();
        assumeTrue("root".equals(me.getName()), "changing a folder's owner needs root");
        UserPrincipal nobody = base.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        Path foreign = base.resolve("foreign");
        Files.createDirectory(foreign, PosixFilePermissions.asFileAttribute(PrivateFolder.OWNER_ONLY_DIR));
        Files.setOwner(foreign, nobody);
        LibraryLoadException e = assertThrows(LibraryLoadException.class,
                () -> BundledOpenBlas.locate(LOADER).extract(foreign, PrivateFolder.forCurrentUser()));
        assertTrue(e.getMessage().contains("refusing folder " + foreign + ": it is owned by nobody, not by root"), e.getMessage());
    }

    @Test
    void otherVersionOnTheClassPathIsRefused(@TempDir Path base) throws Exception {
        // a class path whose manifest says one thing and whose libquadmath says another: a different jar version
        Properties manifest = new Properties();
        try (InputStream in = LOADER.getResourceAsStream(BundledOpenBlas.MANIFEST)) {
            manifest.load(in);
        }
        manifest.setProperty("sha256.libquadmath.so.0", "0".repeat(64));
        var out = new java.io.ByteArrayOutputStream();
        manifest.store(out, null);
        ClassLoader doctored = new ClassLoader(LOADER) {
            @Override
            public InputStream getResourceAsStream(String name) {
                return name.equals(BundledOpenBlas.MANIFEST) ? new ByteArrayInputStream(out.toByteArray()) : super.getResourceAsStream(name);
            }
        };
        LibraryLoadException e = assertThrows(LibraryLoadException.class,
                () -> BundledOpenBlas.locate(doctored).extract(base, PrivateFolder.forCurrentUser()));
        assertTrue(e.getMessage().contains("put exactly that version on the class path"), e.getMessage());
        try (var files = Files.list(BundledOpenBlas.locate(doctored).folder(base))) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().startsWith("libquadmath")), "nothing unverified is left");
        }
    }

    @Test
    void malformedManifestIsReported() {
        ClassLoader broken = new ClassLoader(LOADER) {
            @Override
            public InputStream getResourceAsStream(String name) {
                return name.equals(BundledOpenBlas.MANIFEST)
                        ? new ByteArrayInputStream("artifact=x\nversion=1\n".getBytes(StandardCharsets.ISO_8859_1))
                        : super.getResourceAsStream(name);
            }
        };
        LibraryLoadException e = assertThrows(LibraryLoadException.class, () -> BundledOpenBlas.locate(broken));
        assertTrue(e.getMessage().contains("malformed"), e.getMessage());
    }

    @Test
    void checkFileRejectsMissingFile(@TempDir Path base) throws IOException, LibraryLoadException {
        LibraryLoadException e = assertThrows(LibraryLoadException.class,
                () -> PrivateFolder.forCurrentUser().checkFile(base.resolve("absent.so")));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        assertTrue(Files.isDirectory(base, LinkOption.NOFOLLOW_LINKS));
    }
}
