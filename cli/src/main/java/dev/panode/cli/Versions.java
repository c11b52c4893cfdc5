package dev.panode.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine;

/** The versions recorded by the build ({@code versions.properties}); also picocli's {@code --version} provider. */
public final class Versions implements CommandLine.IVersionProvider {
    private static final Properties VERSIONS = load();

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = Versions.class.getResourceAsStream("versions.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    /** @return the version of {@code name} (panode, picocli, jackson, xchart, jmh, hipparchus, openblas.jar), or "unknown" */
    public static String of(String name) {
        return VERSIONS.getProperty(name, "unknown");
    }

    @Override
    public String[] getVersion() {
        return new String[] {"panode " + of("panode"), "JDK " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"};
    }
}
