/**
 * JMH benchmarks of the simd-core kernels: each Vector API kernel against its scalar twin at n = 32, 10³ and 10⁵;
 * the GEMM at the MLP shapes for the Java kernel, OpenBLAS and the dispatcher, each in its own fork
 * ({@link dev.panode.bench.simd.GemmBench}) and paired in one JVM ({@link dev.panode.bench.simd.GemmDuetBench}, the
 * dispatch check); and the threshold calibration ({@link dev.panode.bench.simd.GemmCalibration}). Results and the
 * calibration procedure: docs/benchmarks/simd.md.
 */
package dev.panode.bench.simd;
