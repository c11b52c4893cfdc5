/** Vector API kernels for stage combinations, error norms, activations and small matrix products. */
module dev.panode.simd {
    requires transitive dev.panode.blas;
    requires transitive jdk.incubator.vector;
    exports dev.panode.simd;
}
