/**
 * FFM bindings to OpenBLAS's CBLAS and LAPACK LU routines, the library loader and the checked
 * {@link dev.panode.blas.Blas} and {@link dev.panode.blas.Lapack} facades.
 */
module dev.panode.blas {
    exports dev.panode.blas;
    exports dev.panode.blas.ffi;
}
