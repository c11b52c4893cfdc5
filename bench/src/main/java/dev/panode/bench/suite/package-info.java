/**
 * The benchmark suite as one tool: run the JMH benchmarks with a profile and a name filter
 * ({@link dev.panode.bench.suite.SuiteRunner}), keep the results as JSON with the machine they ran on
 * ({@link dev.panode.bench.suite.ResultsFile}), print them as a table with GFLOP/s and bytes allocated per operation
 * ({@link dev.panode.bench.suite.ResultTable}), compare them with a committed baseline
 * ({@link dev.panode.bench.suite.BaselineComparison}), and relate MLP timings to the dgemm peak of the same run
 * ({@link dev.panode.bench.suite.Roofline}). The {@code panode bench} command is a thin layer over these classes.
 */
package dev.panode.bench.suite;
