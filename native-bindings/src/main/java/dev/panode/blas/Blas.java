package dev.panode.blas;

/** Placeholder: the checked OpenBLAS facade (see issue "Foundation"). */
public final class Blas {
    private Blas() {}
}
