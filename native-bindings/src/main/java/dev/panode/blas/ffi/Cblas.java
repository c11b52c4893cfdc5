package dev.panode.blas.ffi;

/** Placeholder for the generated-shape CBLAS bindings. */
public final class Cblas {
    private Cblas() {}
}
