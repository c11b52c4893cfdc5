package dev.panode.blas;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The OpenBLAS shipped in the {@code org.bytedeco:openblas} jar (classifier {@code linux-x86_64}): its shared objects
 * are extracted to a private per-user folder and verified against the SHA-256 sums that the build recorded from that
 * exact jar ({@value #MANIFEST}), before and again right before loading.
 *
 * <p>Only {@code libopenblas.so.0} is loaded by path; its RUNPATH ({@code $ORIGIN}) makes the dynamic linker take
 * {@code libgfortran.so.5}, {@code libquadmath.so.0} and {@code libgcc_s.so.1} from the same verified folder.
 */
final class BundledOpenBlas {
    /** Written at build time by the native-bindings pom (generate-resources), from the pinned jar's entries. */
    static final String MANIFEST = "dev/panode/blas/bundled-openblas.properties";

    private final String artifact;
    private final String version;
    private final String resourcePrefix;
    private final String loadFile;
    private final Map<String, String> sha256; // file name -> lower-case hex, in extraction order
    private final ClassLoader loader;

    private BundledOpenBlas(Properties manifest, ClassLoader loader) throws LibraryLoadException {
        this.artifact = required(manifest, "artifact");
        this.version = required(manifest, "version");
        this.resourcePrefix = required(manifest, "resourcePrefix");
        this.loadFile = required(manifest, "load");
        var sums = new java.util.LinkedHashMap<String, String>();
        for (String file : required(manifest, "files").split(",")) {
            String name = file.strip();
            if (name.isEmpty() || name.contains("/") || name.startsWith(".")) {
                throw new LibraryLoadException("malformed " + MANIFEST + ": file name '" + name + "'");
            }
            String sum = required(manifest, "sha256." + name).toLowerCase(Locale.ROOT);
            if (!sum.matches("[0-9a-f]{64}")) {
                throw new LibraryLoadException("malformed " + MANIFEST + ": sha256." + name + " = " + sum);
            }
            sums.put(name, sum);
        }
        if (!sums.containsKey(loadFile)) {
            throw new LibraryLoadException("malformed " + MANIFEST + ": load = " + loadFile + " is not among the files");
        }
        this.sha256 = java.util.Collections.unmodifiableMap(sums);
        this.loader = loader;
    }

    /**
     * Finds the bundled jar's libraries on the class path of {@code loader}.
     *
     * @throws LibraryLoadException when the jar is absent, this is not linux-x86_64, or the manifest is missing
     */
    static BundledOpenBlas locate(ClassLoader loader) throws LibraryLoadException {
        Properties manifest = new Properties();
        try (InputStream in = loader.getResourceAsStream(MANIFEST)) {
            if (in == null) {
                throw new LibraryLoadException("the checksum manifest " + MANIFEST + " is missing from panode's jar");
            }
            manifest.load(in);
        } catch (IOException e) {
            throw new LibraryLoadException("cannot read " + MANIFEST + ": " + e, e);
        }
        BundledOpenBlas bundled = new BundledOpenBlas(manifest, loader);
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (!os.startsWith("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            throw new LibraryLoadException("the bundled OpenBLAS is built for linux-x86_64, this is " + os + "/" + arch);
        }
        if (loader.getResource(bundled.resourcePrefix + bundled.loadFile) == null) {
            throw new LibraryLoadException(bundled.artifact + " is not on the class path");
        }
        return bundled;
    }

    String artifact() {
        return artifact;
    }

    Map<String, String> checksums() {
        return sha256;
    }

    /** The folder under {@code cacheBase} this version extracts to (versioned, so jars never overwrite each other). */
    Path folder(Path cacheBase) {
        return cacheBase.resolve("openblas-" + version + "-" + sha256.get(loadFile).substring(0, 12));
    }

    /**
     * Extracts (where a verified copy is not there yet) into the private {@link #folder}, then verifies every file again.
     *
     * @return the verified path of {@code libopenblas.so.0}
     */
    Path extract(Path cacheBase, PrivateFolder rules) throws LibraryLoadException {
        return extract(cacheBase, rules, new java.util.ArrayList<>());
    }

    /**
     * {@link #extract(Path, PrivateFolder)}, adding to {@code replaced} one line for every cached file that was there
     * with the wrong SHA-256 (tampered with or corrupted) and has been replaced by a verified copy.
     */
    Path extract(Path cacheBase, PrivateFolder rules, java.util.List<String> replaced) throws LibraryLoadException {
        rules.ensureDirectory(cacheBase);
        Path folder = folder(cacheBase);
        rules.ensureDirectory(folder);
        for (var entry : sha256.entrySet()) {
            Path target = folder.resolve(entry.getKey());
            String found = null;
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                rules.checkFile(target);
                found = sha256(target);
                if (entry.getValue().equals(found)) {
                    continue;
                }
            }
            extractOne(entry.getKey(), entry.getValue(), folder, target);
            if (found != null) {
                replaced.add("replaced " + target + ": its SHA-256 was " + found + ", not the recorded "
                        + entry.getValue() + " (tampered with or corrupted); a verified copy was extracted");
            }
        }
        verify(folder, rules);
        return folder.resolve(loadFile);
    }

    /** Checks every file's owner, permissions and SHA-256 against the recorded sums; the last step before loading. */
    void verify(Path folder, PrivateFolder rules) throws LibraryLoadException {
        rules.checkDirectory(folder);
        for (var entry : sha256.entrySet()) {
            Path file = folder.resolve(entry.getKey());
            rules.checkFile(file);
            String actual = sha256(file);
            if (!actual.equals(entry.getValue())) {
                throw new LibraryLoadException("refusing " + file + ": its SHA-256 is " + actual + " but the build recorded "
                        + entry.getValue() + "; delete " + folder + " to extract it again");
            }
        }
    }

    private void extractOne(String name, String expected, Path folder, Path target) throws LibraryLoadException {
        URL resource = loader.getResource(resourcePrefix + name);
        if (resource == null) {
            throw new LibraryLoadException(artifact + " on the class path lacks " + resourcePrefix + name);
        }
        Path part = null;
        try {
            part = Files.createTempFile(folder, name + ".", ".part", PosixFilePermissions.asFileAttribute(PrivateFolder.OWNER_ONLY_FILE));
            MessageDigest digest = newDigest();
            try (InputStream in = new DigestInputStream(resource.openStream(), digest); OutputStream out = Files.newOutputStream(part)) {
                in.transferTo(out);
            }
            String actual = HexFormat.of().formatHex(digest.digest());
            if (!actual.equals(expected)) {
                throw new LibraryLoadException("the class path's " + name + " (from " + resource + ") has SHA-256 " + actual
                        + " but panode was built against " + artifact + " whose " + name + " has " + expected
                        + ": put exactly that version on the class path");
            }
            try {
                Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
            }
            part = null;
        } catch (IOException e) {
            throw new LibraryLoadException("cannot extract " + name + " to " + folder + ": " + e, e);
        } finally {
            if (part != null) {
                try {
                    Files.deleteIfExists(part);
                } catch (IOException ignored) {
                    // a stray .part file is harmless: it is never loaded
                }
            }
        }
    }

    static String sha256(Path file) throws LibraryLoadException {
        MessageDigest digest = newDigest();
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            for (int r; (r = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, r);
            }
        } catch (IOException e) {
            throw new LibraryLoadException("cannot read " + file + ": " + e, e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static String required(Properties manifest, String key) throws LibraryLoadException {
        String value = manifest.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new LibraryLoadException("malformed " + MANIFEST + ": no " + key);
        }
        return value.strip();
    }

    List<String> files() {
        return new ArrayList<>(sha256.keySet());
    }
}
