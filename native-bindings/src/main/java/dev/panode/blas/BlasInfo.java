package dev.panode.blas;


/**
 * What {@link Blas} runs on: the library's origin and location, OpenBLAS's own description of itself and its thread
 * count at the time this record was taken.
 *
 * @param source   where the library came from ({@link LibrarySource#NONE} when the pure-Java fallback runs)
 * @param location the file that was loaded, as precisely as it is known (empty when none)
 * @param config   {@code openblas_get_config()}, e.g. {@code "OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Haswell MAX_THREADS=64"}
 *                 (empty when none)
 * @param coreName {@code openblas_get_corename()}, the kernel set chosen for this CPU, e.g. {@code "Haswell"} (empty when none)
 * @param threads  {@code openblas_get_num_threads()} (1 for the fallback, which is single-threaded)
 * @param message  the loader's log line: what was loaded, or why nothing was and how to install OpenBLAS
 */
public record BlasInfo(LibrarySource source, String location, String config, String coreName, int threads, String message) {
    /** Validates that no component is null and {@code threads >= 1}. */
    public BlasInfo {
        if (source == null) throw new IllegalArgumentException("source must be non-null");
        if (location == null) throw new IllegalArgumentException("location must be non-null");
        if (config == null) throw new IllegalArgumentException("config must be non-null");
        if (coreName == null) throw new IllegalArgumentException("coreName must be non-null");
        if (message == null) throw new IllegalArgumentException("message must be non-null");
        if (threads < 1) {
            throw new IllegalArgumentException("threads = " + threads + " must be >= 1");
        }
    }

    /**
     * Whether this backend is native.
     *
     * @return true when a native OpenBLAS is in use
     */
    public boolean isNative() {
        return source != LibrarySource.NONE;
    }
}
