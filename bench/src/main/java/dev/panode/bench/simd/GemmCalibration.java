package dev.panode.bench.simd;

import dev.panode.blas.Blas;
import dev.panode.simd.GemmThresholds;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Measures the GEMM dispatch thresholds on this machine: runs {@link GemmBench}'s Java kernel and OpenBLAS over a grid
 * of shapes (the MLP shapes plus squares from 32³ to 512³ and skinny products), in JMH sample mode (the median is
 * robust to a busy machine), then picks the {@link GemmThresholds} pair (volume, smallest dimension) that loses the
 * least time against the faster backend summed over the grid, and prints it as system properties.
 *
 * <p>Usage (after {@code ./mvnw -pl bench -am package -DskipTests}):
 * {@code java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp <bench classpath>
 * dev.panode.bench.simd.GemmCalibration [shape,shape,...]}. Takes a few minutes; run it on a quiet machine.
 */
public final class GemmCalibration {
    private GemmCalibration() {}

    static final String GRID = "16x2x50,16x50x50,16x50x2,1024x2x64,1024x64x64,256x32x256,256x256x256,256x256x32,"
            + "32x32x32,64x64x64,96x96x96,128x128x128,192x192x192,384x384x384,512x512x512,"
            + "2048x4x256,512x512x8,64x1024x64";

    public static void main(String[] args) throws RunnerException {
        if (!Blas.isAvailable()) {
            System.out.println("OpenBLAS is not loaded: the dispatcher always uses the Java kernel; nothing to calibrate.");
            return;
        }
        String[] shapes = (args.length > 0 ? args[0] : GRID).split(",");
        Options opt = new OptionsBuilder()
                .include(GemmBench.class.getName() + ".(javaKernel|openblas)$")
                .param("shape", shapes)
                .mode(Mode.SampleTime)
                .forks(1)
                .warmupIterations(3).warmupTime(TimeValue.seconds(1))
                .measurementIterations(5).measurementTime(TimeValue.seconds(1))
                .build();
        Collection<RunResult> results = new Runner(opt).run();
        Map<String, double[]> medians = new HashMap<>(); // shape -> {java, openblas} in µs
        for (RunResult r : results) {
            String shape = r.getParams().getParam("shape");
            boolean java = r.getParams().getBenchmark().endsWith("javaKernel");
            double p50 = r.getPrimaryResult().getStatistics().getPercentile(50);
            double scale = unitToMicros(r.getPrimaryResult().getScoreUnit());
            medians.computeIfAbsent(shape, s -> new double[2])[java ? 0 : 1] = p50 * scale;
        }
        List<long[]> dims = new ArrayList<>();
        System.out.println("\nshape (m×k×n)      java µs   openblas µs   faster");
        for (String s : shapes) {
            double[] t = medians.get(s);
            String[] p = s.split("x");
            dims.add(new long[] {Long.parseLong(p[0]), Long.parseLong(p[1]), Long.parseLong(p[2])});
            System.out.printf(Locale.ROOT, "%-16s %10.2f %12.2f   %s%n", s, t[0], t[1], t[0] <= t[1] ? "java" : "openblas");
        }
        GemmThresholds best = null;
        double bestLoss = Double.POSITIVE_INFINITY;
        for (long[] v : dims) {
            long volume = v[0] * v[1] * v[2];
            for (int minDim : new int[] {1, 2, 4, 8, 16, 32, 64}) {
                GemmThresholds t = new GemmThresholds(volume, minDim);
                double loss = 0;
                for (int i = 0; i < shapes.length; i++) {
                    double[] time = medians.get(shapes[i]);
                    long[] d = dims.get(i);
                    double chosen = t.preferBlas((int) d[0], (int) d[2], (int) d[1]) ? time[1] : time[0];
                    loss += chosen / Math.min(time[0], time[1]) - 1;
                }
                if (loss < bestLoss - 1e-12) {
                    bestLoss = loss;
                    best = t;
                }
            }
        }
        System.out.printf(Locale.ROOT, "%nsuggested: -D%s=%d -D%s=%d (summed relative loss %.3f over %d shapes)%n",
                GemmThresholds.VOLUME_PROPERTY, best.minBlasVolume(), GemmThresholds.DIMENSION_PROPERTY,
                best.minBlasDimension(), bestLoss, shapes.length);
    }

    private static double unitToMicros(String unit) {
        return switch (unit) {
            case "ns/op" -> 1e-3;
            case "us/op" -> 1.0;
            case "ms/op" -> 1e3;
            case "s/op" -> 1e6;
            default -> throw new IllegalStateException("unexpected unit " + unit);
        };
    }
}
