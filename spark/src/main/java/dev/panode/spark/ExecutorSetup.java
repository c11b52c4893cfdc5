package dev.panode.spark;

import dev.panode.blas.Blas;

/**
 * What every executor JVM does once before its first task: OpenBLAS runs one thread per task. Spark already runs one
 * task per core; an OpenBLAS that also spreads each GEMM over every core would oversubscribe the machine (cores²
 * threads) and slow every task down. {@code OPENBLAS_NUM_THREADS} cannot be set from Java once the JVM runs, so this
 * calls {@code openblas_set_num_threads(1)} through {@link Blas#setThreads}. Without native BLAS it does nothing.
 */
final class ExecutorSetup {
    private ExecutorSetup() {}

    private static volatile boolean done;

    /** Idempotent and cheap after the first call. */
    static void prepare() {
        if (done) return;
        synchronized (ExecutorSetup.class) {
            if (!done) {
                Blas.setThreads(1);
                done = true;
            }
        }
    }
}
