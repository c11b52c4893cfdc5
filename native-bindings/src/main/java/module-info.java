/** FFM bindings to OpenBLAS's CBLAS, the library loader and the checked {@link dev.panode.blas.Blas} facade. */
module dev.panode.blas {
    exports dev.panode.blas;
    exports dev.panode.blas.ffi;
}
