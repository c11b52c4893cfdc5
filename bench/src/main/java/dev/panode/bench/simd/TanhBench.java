package dev.panode.bench.simd;

import dev.panode.bench.suite.PanodeBenchmark;
import dev.panode.simd.ActivationKernel;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * tanh over {@code n} contiguous arguments in [−4, 4]: panode's reproducible vector tanh ({@link ActivationKernel#TANH})
 * against the JDK's vector intrinsic {@code lanewise(TANH)} (SVML once compiled; not bitwise reproducible) and the
 * scalar {@link Math#tanh} loop. Results: docs/benchmarks/simd.md.
 */
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TanhBench extends PanodeBenchmark {
    private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;

    @Param({"32", "1000", "100000"})
    public int n;

    private double[] u, out;

    @Setup
    public void setUp() {
        u = new SplittableRandom(45).doubles(n, -4, 4).toArray();
        out = new double[n];
    }

    @Benchmark
    public double[] reproducible() {
        ActivationKernel.TANH.apply(u, 0, out, 0, n);
        return out;
    }

    @Benchmark
    public double[] svml() {
        int j = 0;
        for (int bound = SPECIES.loopBound(n); j < bound; j += SPECIES.length()) {
            DoubleVector.fromArray(SPECIES, u, j).lanewise(VectorOperators.TANH).intoArray(out, j);
        }
        if (j < n) {
            VectorMask<Double> m = SPECIES.indexInRange(j, n);
            DoubleVector.fromArray(SPECIES, u, j, m).lanewise(VectorOperators.TANH).intoArray(out, j, m);
        }
        return out;
    }

    @Benchmark
    public double[] mathScalar() {
        for (int j = 0; j < n; j++) out[j] = Math.tanh(u[j]);
        return out;
    }
}
