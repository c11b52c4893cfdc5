package dev.panode.bench.suite;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The JMH settings every panode benchmark shares, written once: one state per thread, the average time of an
 * operation in microseconds, and one fork started with the Vector API module and native access (what the kernels
 * and OpenBLAS need). JMH's class annotations are inherited, so a benchmark extends this and states only what is its
 * own: another time unit, and warm-up and measurement where JMH's defaults do not suit it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public abstract class PanodeBenchmark {
    /** For subclasses. */
    protected PanodeBenchmark() {}
}
