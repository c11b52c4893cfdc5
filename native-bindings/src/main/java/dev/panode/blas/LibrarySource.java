package dev.panode.blas;

/** Where the native BLAS came from; see {@link OpenBlasLoader} for the order in which they are tried. */
public enum LibrarySource {
    /** The path given by {@code -Dpanode.blas.path} or the {@code PANODE_BLAS_PATH} environment variable, loaded as given. */
    EXPLICIT_PATH,
    /** The system's {@code libopenblas.so.0}, found by the dynamic linker's search path. */
    SYSTEM,
    /** The {@code org.bytedeco:openblas} jar on the class path, extracted to a private per-user cache folder. */
    BUNDLED,
    /** No native BLAS: the pure-Java fallback computes every routine. */
    NONE
}
