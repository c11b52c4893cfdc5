package dev.panode.bench.blas;

import dev.panode.blas.Blas;

/** Shared set-up of the BLAS benchmarks. */
final class BlasBenchSupport {
    private BlasBenchSupport() {}

    /** Fails the trial (rather than timing the Java fallback under a BLAS name) when OpenBLAS is not loaded. */
    static void requireNative() {
        if (!Blas.isAvailable()) {
            throw new IllegalStateException("these benchmarks measure OpenBLAS, which is not loaded: " + Blas.info().message());
        }
        System.out.println("[panode] " + Blas.info().message());
    }

    /** "16x50x2" -> {16, 50, 2} */
    static int[] parseShape(String shape) {
        String[] parts = shape.split("x");
        if (parts.length != 3) {
            throw new IllegalArgumentException("shape = '" + shape + "' must be MxNxK");
        }
        return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2])};
    }
}
