package dev.panode.blas;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds OpenBLAS once per JVM, at first use, and logs one line saying what was loaded or why nothing was.
 *
 * <p>Order:
 * <ol>
 *   <li>{@code -Dpanode.blas.disable=true}: no native code at all;</li>
 *   <li>an explicit path, {@code -Dpanode.blas.path=/path/libopenblas.so} or the environment variable
 *       {@code PANODE_BLAS_PATH}: loaded as given (the user chose it: no search, no ownership check), and logged. When
 *       it cannot be loaded nothing else is tried;</li>
 *   <li>the system's {@code libopenblas.so.0} (Debian: {@code apt-get install libopenblas0-pthread});</li>
 *   <li>the jar {@code org.bytedeco:openblas:0.3.31-1.5.13:linux-x86_64} when it is on the class path, extracted to a
 *       private per-user cache folder and verified against SHA-256 sums recorded at build time
 *       ({@code -Dpanode.blas.cache} moves the folder);</li>
 *   <li>otherwise none: {@link Blas} computes with its pure-Java fallback.</li>
 * </ol>
 * {@code -Dpanode.blas.search=bundled,system} changes the order of the last two steps (or drops one).
 * A candidate is accepted only when it exports every CBLAS/OpenBLAS symbol panode binds.
 *
 * <p>Library code reads these properties and never sets any.
 */
public final class OpenBlasLoader {
    /** {@value}: {@code true} switches native code off. */
    public static final String DISABLE_PROPERTY = "panode.blas.disable";
    /** {@value}: an explicit library file, loaded as given. */
    public static final String PATH_PROPERTY = "panode.blas.path";
    /** {@value}: the environment variable read when {@link #PATH_PROPERTY} is not set. */
    public static final String PATH_ENV = "PANODE_BLAS_PATH";
    /** {@value}: the sources tried after the explicit path, comma-separated: {@code system}, {@code bundled}. */
    public static final String SEARCH_PROPERTY = "panode.blas.search";
    /** {@value}: the folder under which the bundled jar's libraries are extracted. */
    public static final String CACHE_PROPERTY = "panode.blas.cache";

    static final String SYSTEM_LIBRARY = "libopenblas.so.0";
    static final String INSTALL_HINT = "to get native BLAS, install OpenBLAS ('apt-get install libopenblas0-pthread' on "
            + "Debian/Ubuntu), or put org.bytedeco:openblas:0.3.31-1.5.13:linux-x86_64 on the class path, or set -D"
            + PATH_PROPERTY + "=/path/to/libopenblas.so.0";

    /** Every symbol the bindings in {@code dev.panode.blas.ffi} resolve. */
    static final List<String> REQUIRED_SYMBOLS = List.of("cblas_dgemm", "cblas_sgemm", "cblas_dgemv", "cblas_sgemv",
            "cblas_daxpy", "cblas_ddot", "openblas_set_num_threads", "openblas_get_num_threads", "openblas_get_config",
            "openblas_get_corename");

    private static final System.Logger LOG = System.getLogger("dev.panode.blas");

    private OpenBlasLoader() {}

    private static final class Holder {
        static final LoadOutcome OUTCOME = loadAndLog();
    }

    private static LoadOutcome loadAndLog() {
        LoadOutcome outcome;
        LoaderSettings settings = null;
        try {
            settings = LoaderSettings.fromEnvironment();
            outcome = locate(settings, OpenBlasLoader.class.getClassLoader());
        } catch (RuntimeException e) { // e.g. a malformed -Dpanode.blas.search: say so and carry on without native code
            outcome = LoadOutcome.none("No native BLAS: " + e.getMessage() + "; using the pure-Java fallback");
        }
        LOG.log(level(outcome, settings), outcome.message());
        return outcome;
    }

    /**
     * Quiet unless asked: the ordinary outcomes (loaded; switched off; no OpenBLAS installed, so the pure-Java
     * fallback) are DEBUG, shown only when the {@code dev.panode.blas} logger is configured for it ({@link Blas#info()}
     * and {@code panode info} tell them too). WARNING when something went wrong that the user should hear about: a
     * malformed property ({@code settings} null), an explicit path that could not be used, a cached or bundled copy
     * refused (owner, permissions, SHA-256) or a malformed manifest.
     */
    static System.Logger.Level level(LoadOutcome outcome, LoaderSettings settings) {
        if (settings == null) {
            return System.Logger.Level.WARNING;
        }
        if (outcome.loaded() || settings.disabled()) {
            return System.Logger.Level.DEBUG;
        }
        String m = outcome.message();
        boolean trouble = settings.explicitPath() != null || m.contains("refusing") || m.contains("malformed")
                || m.contains("SHA-256") || m.contains("cannot extract");
        return trouble ? System.Logger.Level.WARNING : System.Logger.Level.DEBUG;
    }

    /** The symbols of the loaded library, for the bindings; an empty lookup when none was loaded. Loads on first call. */
    public static SymbolLookup symbolLookup() {
        return Holder.OUTCOME.symbols();
    }

    /** The loader's log line: what was loaded, or why nothing was and how to install OpenBLAS. Loads on first call. */
    public static String status() {
        return Holder.OUTCOME.message();
    }

    static LoadOutcome outcome() {
        return Holder.OUTCOME;
    }

    /** Runs the search described in the class comment with the given settings; logs nothing, caches nothing. */
    static LoadOutcome locate(LoaderSettings settings, ClassLoader classLoader) {
        if (settings.disabled()) {
            return LoadOutcome.none("Native BLAS switched off by -D" + DISABLE_PROPERTY + "=true; using the pure-Java fallback");
        }
        if (settings.explicitPath() != null) {
            String given = settings.explicitPath();
            try {
                return load(LibrarySource.EXPLICIT_PATH, given, openExplicit(given));
            } catch (LibraryLoadException e) {
                return LoadOutcome.none("No native BLAS: " + settings.explicitFrom() + " = " + given + " could not be used: "
                        + e.getMessage() + "; using the pure-Java fallback (nothing else is tried when a path is given)");
            }
        }
        List<String> reasons = new ArrayList<>();
        for (LibrarySource source : settings.search()) {
            try {
                return switch (source) {
                    case SYSTEM -> load(LibrarySource.SYSTEM, SYSTEM_LIBRARY, openSystem());
                    case BUNDLED -> loadBundled(settings.cacheBase(), classLoader);
                    default -> throw new IllegalStateException("not a search step: " + source);
                };
            } catch (LibraryLoadException e) {
                reasons.add(source.name().toLowerCase(java.util.Locale.ROOT) + ": " + e.getMessage());
            }
        }
        return LoadOutcome.none("No native BLAS (" + String.join("; ", reasons) + "); using the pure-Java fallback, "
                + "slower for large matrices; " + INSTALL_HINT);
    }

    /** The bundled-jar step alone: extract to a private folder under {@code cacheBase}, verify, load. */
    static LoadOutcome loadBundled(Path cacheBase, ClassLoader classLoader) throws LibraryLoadException {
        BundledOpenBlas bundled = BundledOpenBlas.locate(classLoader);
        PrivateFolder rules = PrivateFolder.forCurrentUser();
        List<String> replaced = new ArrayList<>();
        Path library = bundled.extract(cacheBase, rules, replaced);
        bundled.verify(library.getParent(), rules);
        for (String line : replaced) {
            LOG.log(System.Logger.Level.WARNING, line);
        }
        LoadOutcome outcome = load(LibrarySource.BUNDLED, library.toString(), open(library));
        return replaced.isEmpty() ? outcome : outcome.withNote(String.join("; ", replaced));
    }

    private static SymbolLookup openExplicit(String given) throws LibraryLoadException {
        Path path = Path.of(given);
        if (!Files.exists(path)) {
            throw new LibraryLoadException("no such file");
        }
        return open(path);
    }

    private static SymbolLookup openSystem() throws LibraryLoadException {
        try {
            return SymbolLookup.libraryLookup(SYSTEM_LIBRARY, Arena.global());
        } catch (IllegalArgumentException e) {
            throw new LibraryLoadException(SYSTEM_LIBRARY + " is not on the dynamic linker's search path");
        }
    }

    private static SymbolLookup open(Path path) throws LibraryLoadException {
        try {
            return SymbolLookup.libraryLookup(path, Arena.global());
        } catch (IllegalArgumentException e) {
            throw new LibraryLoadException("the dynamic linker cannot load " + path + " (" + e.getMessage() + ")", e);
        }
    }

    /** Accepts a library only when it exports every required symbol, then asks it to describe itself. */
    private static LoadOutcome load(LibrarySource source, String name, SymbolLookup symbols) throws LibraryLoadException {
        for (String symbol : REQUIRED_SYMBOLS) {
            if (symbols.find(symbol).isEmpty()) {
                throw new LibraryLoadException(name + " does not export " + symbol + ": it is not OpenBLAS with CBLAS");
            }
        }
        String config = callString(symbols, "openblas_get_config");
        String core = callString(symbols, "openblas_get_corename");
        int threads = callInt(symbols, "openblas_get_num_threads");
        String location = source == LibrarySource.SYSTEM
                ? fileContaining(symbols.find("cblas_dgemm").orElseThrow()).orElse(name) : name;
        String how = switch (source) {
            case EXPLICIT_PATH -> "the explicit path";
            case SYSTEM -> "the system library";
            case BUNDLED -> "the bundled jar, verified copy";
            case NONE -> throw new IllegalStateException();
        };
        String message = "OpenBLAS loaded from " + how + " " + location + ": " + config + ", core " + core + ", "
                + threads + (threads == 1 ? " thread" : " threads");
        return new LoadOutcome(source, location, symbols, config, core, message);
    }

    private static final FunctionDescriptor STRING_FN = FunctionDescriptor.of(
            ValueLayout.ADDRESS.withTargetLayout(MemoryLayout.sequenceLayout(Long.MAX_VALUE, ValueLayout.JAVA_BYTE)));

    private static String callString(SymbolLookup symbols, String name) throws LibraryLoadException {
        MethodHandle handle = Linker.nativeLinker().downcallHandle(symbols.find(name).orElseThrow(), STRING_FN);
        try {
            MemorySegment s = (MemorySegment) handle.invokeExact();
            return s.equals(MemorySegment.NULL) ? "" : s.getString(0).strip();
        } catch (Throwable e) {
            throw new LibraryLoadException(name + "() failed: " + e, e);
        }
    }

    private static int callInt(SymbolLookup symbols, String name) throws LibraryLoadException {
        MethodHandle handle = Linker.nativeLinker().downcallHandle(symbols.find(name).orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT));
        try {
            return (int) handle.invokeExact();
        } catch (Throwable e) {
            throw new LibraryLoadException(name + "() failed: " + e, e);
        }
    }

    /** The file a loaded symbol lives in, by glibc's {@code dladdr}; empty where that is not available. */
    static Optional<String> fileContaining(MemorySegment address) {
        Linker linker = Linker.nativeLinker();
        Optional<MemorySegment> dladdr = linker.defaultLookup().find("dladdr");
        if (dladdr.isEmpty()) {
            return Optional.empty();
        }
        // typedef struct { const char *dli_fname; void *dli_fbase; const char *dli_sname; void *dli_saddr; } Dl_info;
        MethodHandle handle = linker.downcallHandle(dladdr.get(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = arena.allocate(4 * ValueLayout.ADDRESS.byteSize(), ValueLayout.ADDRESS.byteAlignment());
            int found = (int) handle.invokeExact(address, info);
            if (found == 0) {
                return Optional.empty();
            }
            MemorySegment name = info.get(ValueLayout.ADDRESS, 0);
            if (name.equals(MemorySegment.NULL)) {
                return Optional.empty();
            }
            return Optional.of(name.reinterpret(4096).getString(0));
        } catch (Throwable e) {
            return Optional.empty();
        }
    }
}
