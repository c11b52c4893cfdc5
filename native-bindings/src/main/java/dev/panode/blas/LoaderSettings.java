package dev.panode.blas;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The loader's inputs, read once from system properties and the environment (never written).
 *
 * @param disabled      {@code -Dpanode.blas.disable=true}
 * @param explicitPath  {@code -Dpanode.blas.path}, else {@code $PANODE_BLAS_PATH}; null when neither is set
 * @param explicitFrom  which of the two gave {@code explicitPath}, for the log line
 * @param search        the sources tried after an explicit path ({@code -Dpanode.blas.search}, default {@code system,bundled})
 * @param cacheBase     where the bundled jar is extracted ({@code -Dpanode.blas.cache}, else {@code $XDG_CACHE_HOME/panode},
 *                      else {@code ~/.cache/panode})
 */
record LoaderSettings(boolean disabled, String explicitPath, String explicitFrom, List<LibrarySource> search, Path cacheBase) {
    static final List<LibrarySource> DEFAULT_SEARCH = List.of(LibrarySource.SYSTEM, LibrarySource.BUNDLED);

    LoaderSettings {
        search = List.copyOf(search);
    }

    static LoaderSettings fromEnvironment() {
        return from(System.getProperties()::getProperty, System.getenv());
    }

    static LoaderSettings from(java.util.function.Function<String, String> properties, Map<String, String> env) {
        boolean disabled = parseBoolean(OpenBlasLoader.DISABLE_PROPERTY, properties.apply(OpenBlasLoader.DISABLE_PROPERTY));
        String path = blankToNull(properties.apply(OpenBlasLoader.PATH_PROPERTY));
        String from = "-D" + OpenBlasLoader.PATH_PROPERTY;
        if (path == null) {
            path = blankToNull(env.get(OpenBlasLoader.PATH_ENV));
            from = OpenBlasLoader.PATH_ENV;
        }
        return new LoaderSettings(disabled, path, path == null ? null : from,
                parseSearch(properties.apply(OpenBlasLoader.SEARCH_PROPERTY)), cacheBase(properties, env));
    }

    /**
     * A boolean property read strictly: absent is false, {@code true} or {@code false} (any case) is that value, and
     * anything else ({@code yes}, {@code 1}, a typo) is an error naming the property and the value, not a silent false.
     */
    static boolean parseBoolean(String property, String value) {
        if (value == null) {
            return false;
        }
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        if (value.equalsIgnoreCase("false")) {
            return false;
        }
        throw new IllegalArgumentException("-D" + property + " = '" + value + "': must be true or false");
    }

    /** Parses {@code "system,bundled"}; an unknown word is an error naming the property, not a silent default. */
    static List<LibrarySource> parseSearch(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_SEARCH;
        }
        List<LibrarySource> sources = new ArrayList<>();
        for (String word : value.split(",")) {
            switch (word.strip().toLowerCase(Locale.ROOT)) {
                case "system" -> sources.add(LibrarySource.SYSTEM);
                case "bundled" -> sources.add(LibrarySource.BUNDLED);
                default -> throw new IllegalArgumentException("-D" + OpenBlasLoader.SEARCH_PROPERTY + " = '" + value
                        + "': each entry must be 'system' or 'bundled'");
            }
        }
        return sources;
    }

    private static Path cacheBase(java.util.function.Function<String, String> properties, Map<String, String> env) {
        String explicit = blankToNull(properties.apply(OpenBlasLoader.CACHE_PROPERTY));
        if (explicit != null) {
            return Path.of(explicit).toAbsolutePath();
        }
        String xdg = blankToNull(env.get("XDG_CACHE_HOME"));
        if (xdg != null && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, "panode");
        }
        return Path.of(properties.apply("user.home"), ".cache", "panode");
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
