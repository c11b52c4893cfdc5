package dev.panode.bench.simd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.panode.blas.Blas;
import dev.panode.simd.GemmPlatform;
import dev.panode.simd.GemmThresholds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Measures the GEMM dispatch thresholds on this machine: runs the paired {@link GemmDuetBench} over a grid of shapes
 * (the MLP shapes, squares from 32³ to 512³ and skinny products), averages each backend's per-fork median over the
 * forks, and fits the {@link GemmThresholds} that lose the least time against the faster backend
 * ({@link ThresholdFit}). Prints the table, the worst shape under the fitted thresholds and the system properties to
 * set.
 *
 * <p>Usage (after {@code ./mvnw -pl bench -am package -DskipTests}):
 * {@code java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp <bench classpath>
 * dev.panode.bench.simd.GemmCalibration [shape,shape,...] [forks]}. About 12 s per shape and fork; run it on a quiet
 * machine (OpenBLAS uses every core, so another busy process slows it more than the single-threaded Java kernel).
 * {@code GemmCalibration --fit FILE} fits a file of duet lines written by {@code GemmDuetBench} run directly (for
 * example with {@code -jvmArgsAppend -XX:UseAVX=2} or another {@code OPENBLAS_CORETYPE}).
 */
public final class GemmCalibration {
    private GemmCalibration() {}

    static final String GRID = "16x2x50,16x50x50,16x50x2,1024x2x64,1024x64x64,256x32x256,256x256x256,256x256x32,"
            + "32x32x32,64x64x64,96x96x96,128x128x128,192x192x192,384x384x384,512x512x512,"
            + "2048x4x256,512x512x8,64x1024x64";

    public static void main(String[] args) throws RunnerException, IOException {
        if (args.length == 2 && args[0].equals("--fit")) { // a duet file measured elsewhere (other JVM flags, cores)
            report(read(Path.of(args[1])), platform(Path.of(args[1])));
            return;
        }
        if (!Blas.isAvailable()) {
            System.out.println("OpenBLAS is not loaded: the dispatcher always uses the Java kernel; nothing to calibrate.");
            return;
        }
        String[] shapes = (args.length > 0 ? args[0] : GRID).split(",");
        int forks = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        Path out = Files.createTempFile("panode-gemm-duet", ".jsonl");
        try {
            Options opt = new OptionsBuilder()
                    .include(GemmDuetBench.class.getName() + ".round$")
                    .param("shape", shapes)
                    .forks(forks)
                    .jvmArgsAppend("--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                            "-D" + GemmDuetBench.OUT_PROPERTY + "=" + out)
                    .warmupIterations(3).warmupTime(TimeValue.seconds(1))
                    .measurementIterations(5).measurementTime(TimeValue.seconds(1))
                    .build();
            new Runner(opt).run();
            report(read(out), GemmPlatform.current());
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /**
     * Per product, in first-seen order: the mean over the lines (forks) of each backend's median µs. A line of
     * {@link GemmDispatchSurvey} also names its precision and layout ({@code "dtype"}, {@code "trans"}; a
     * {@link GemmDuetBench} line is taken as f64 and its own layout) and carries the median of the per-round ratios
     * ({@code "pairedRatio"}), which then stands for OpenBLAS's time relative to the Java kernel's.
     */
    static List<ThresholdFit.Measured> read(Path jsonLines) throws IOException {
        ObjectMapper json = new ObjectMapper().enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        Map<String, double[]> sums = new LinkedHashMap<>(); // "dtype trans|shape" -> {java, openblas, forks}
        for (String line : Files.readAllLines(jsonLines)) {
            if (line.isBlank()) continue;
            JsonNode r = json.readTree(line);
            String key = r.path("dtype").asText("f64") + " " + r.path("trans").asText("NT") + "|" + r.path("shape").asText();
            double[] s = sums.computeIfAbsent(key, x -> new double[3]);
            double java = r.path("java").asDouble();
            s[0] += java;
            s[1] += r.has("pairedRatio") ? java * r.path("pairedRatio").asDouble() : r.path("openblas").asDouble();
            s[2]++;
        }
        List<ThresholdFit.Measured> measured = new ArrayList<>();
        sums.forEach((key, s) -> {
            int bar = key.indexOf('|');
            int[] d = GemmProblem.dims(key.substring(bar + 1));
            measured.add(new ThresholdFit.Measured(key.substring(0, bar), d[0], d[1], d[2], s[0] / s[2], s[1] / s[2]));
        });
        return measured;
    }

    /**
     * The platform a survey file was measured on, from its {@code "environment"} ("vector 512 bits, OpenBLAS core
     * SkylakeX, …"); null when the file does not say.
     */
    static GemmPlatform platform(Path jsonLines) throws IOException {
        Matcher m = ENVIRONMENT.matcher(Files.readString(jsonLines));
        if (!m.find()) return null;
        return new GemmPlatform(Integer.parseInt(m.group(1)), m.group(2), GemmPlatform.kernelBits(m.group(2)));
    }

    private static final Pattern ENVIRONMENT = Pattern.compile("vector (\\d+) bits, OpenBLAS core (\\w+)");

    private static void report(List<ThresholdFit.Measured> all, GemmPlatform platform) {
        for (String dtype : new String[] {"f64", "f32"}) {
            List<ThresholdFit.Measured> measured = all.stream().filter(s -> s.layout().startsWith(dtype)).toList();
            if (measured.isEmpty()) continue;
            System.out.println("\n" + dtype + ": product            java µs   openblas µs   faster");
            for (ThresholdFit.Measured s : measured) {
                System.out.printf(Locale.ROOT, "%-24s %10.3f %12.3f   %s%n", s.label(), s.javaMicros(),
                        s.openblasMicros(), s.javaMicros() <= s.openblasMicros() ? "java" : "openblas");
            }
            ThresholdFit.Fit fit = ThresholdFit.fit(measured);
            GemmThresholds t = fit.thresholds();
            System.out.printf(Locale.ROOT, "%s fitted: -D%s=%d -D%s=%d -D%s=%d -D%s=%d (summed relative loss %.3f over "
                            + "%d products; worst %s at %.3f× the faster backend)%n", dtype,
                    GemmThresholds.VOLUME_PROPERTY, t.minBlasVolume(), GemmThresholds.DIMENSION_PROPERTY,
                    t.minBlasDimension(), GemmThresholds.OUTPUT_SIDE_PROPERTY, t.minBlasOutputSide(),
                    GemmThresholds.BACKWARD_VOLUME_PROPERTY, t.minBlasBackwardVolume(), fit.loss(),
                    measured.size(), measured.get(fit.worstIndex()).label(), fit.worstRatio());
            if (platform != null) {
                GemmThresholds rule = GemmThresholds.rule(platform, dtype.equals("f32"));
                ThresholdFit.Fit r = ThresholdFit.score(rule, measured);
                System.out.printf(Locale.ROOT, "%s rule for %s: %s; summed relative loss %.3f, worst %s at %.3f×%n",
                        dtype, platform.describe(), rule.describe(), r.loss(), measured.get(r.worstIndex()).label(),
                        r.worstRatio());
                boolean layers = measured.stream().anyMatch(s -> s.layout().endsWith("VJP"));
                for (ThresholdFit.Measured s : measured) {
                    if (layers && !s.layout().endsWith("VJP") && !s.forwardLayout()) continue; // a VJP's product
                    ThresholdFit.Judged j = layers ? ThresholdFit.judge(s, rule, measured)
                            : new ThresholdFit.Judged(s, s.chosen(rule), s.chosen(rule) == s.javaMicros() ? "java"
                                    : "openblas", s.best(), "");
                    if (j.ratio() > 1.05) {
                        System.out.printf(Locale.ROOT, "  over 5%%: %s at %.3f× (%s chosen, %s fastest)%n", s.label(),
                                j.ratio(), j.choice(), j.fastest());
                    }
                }
            }
        }
    }
}
