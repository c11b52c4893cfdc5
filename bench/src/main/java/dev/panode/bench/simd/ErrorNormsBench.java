package dev.panode.bench.simd;

import dev.panode.bench.suite.PanodeBenchmark;
import dev.panode.simd.ErrorNorms;
import dev.panode.simd.NormKind;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/** Scaled RMS and max norms (scalar and per-component tolerances, per row of a 16-row batch): vector vs scalar twin. */
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ErrorNormsBench extends PanodeBenchmark {

    @Param({"32", "1000", "100000"})
    public int n;

    private double[] err, y0, y1, atol, rtol, rowAtol, rowRtol, rows;
    private int[] ignored;

    @Setup
    public void setUp() {
        SplittableRandom rnd = new SplittableRandom(43);
        err = rnd.doubles(n, -1e-4, 1e-4).toArray();
        y0 = rnd.doubles(n, -2, 2).toArray();
        y1 = rnd.doubles(n, -2, 2).toArray();
        atol = rnd.doubles(n, 1e-9, 1e-6).toArray();
        rtol = rnd.doubles(n, 1e-6, 1e-3).toArray();
        rowAtol = java.util.Arrays.copyOf(atol, n / 16);
        rowRtol = java.util.Arrays.copyOf(rtol, n / 16);
        rows = new double[16];
        ignored = new int[] {n / 2, n};
    }

    @Benchmark
    public double rms() {
        return ErrorNorms.scaled(NormKind.RMS, err, y0, y1, 0, n, 1e-6, 1e-3);
    }

    @Benchmark
    public double rmsScalar() {
        return ErrorNorms.scaledScalar(NormKind.RMS, err, y0, y1, 0, n, 1e-6, 1e-3);
    }

    @Benchmark
    public double maxPerComponent() {
        return ErrorNorms.scaled(NormKind.MAX, err, y0, y1, 0, n, atol, rtol);
    }

    @Benchmark
    public double maxPerComponentScalar() {
        return ErrorNorms.scaledScalar(NormKind.MAX, err, y0, y1, 0, n, atol, rtol);
    }

    @Benchmark
    public double[] rmsPerRow() {
        ErrorNorms.scaledPerRow(NormKind.RMS, err, y0, y1, 16, n / 16, rowAtol, rowRtol, rows);
        return rows;
    }

    @Benchmark
    public double[] rmsPerRowScalar() {
        ErrorNorms.scaledPerRowScalar(NormKind.RMS, err, y0, y1, 16, n / 16, rowAtol, rowRtol, rows);
        return rows;
    }

    @Benchmark
    public double seminorm() {
        return ErrorNorms.scaledSeminorm(NormKind.RMS, err, y0, y1, n, 1e-6, 1e-3, ignored);
    }
}
