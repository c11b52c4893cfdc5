/**
 * JMH benchmarks of the native BLAS layer: the cost of a downcall (critical on heap arrays versus an ordinary
 * downcall on native memory, with and without the copy it needs), and dgemm on the neural-ODE shapes from tiny to
 * 512³. Run through {@code ./panode bench blas} or JMH's own main (see docs/benchmarks/foundation.md).
 */
package dev.panode.bench.blas;
