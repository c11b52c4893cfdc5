/**
 * JMH benchmarks of the simd-core kernels: each Vector API kernel against its scalar twin at n = 32, 10³ and 10⁵,
 * and the GEMM at the MLP shapes for the Java kernel, OpenBLAS and the dispatcher. Results and the threshold
 * calibration procedure: docs/benchmarks/simd.md.
 */
package dev.panode.bench.simd;
