package dev.panode.bench.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchResultTest {
    private static final String JMH_JSON = """
            [{"jmhVersion":"1.37","benchmark":"dev.panode.bench.blas.DgemmBench.dgemm","mode":"avgt","threads":1,"forks":1,
              "params":{"shape":"512x512x512"},
              "primaryMetric":{"score":20000000.0,"scoreError":"NaN","scoreUnit":"ns/op","rawData":[[2.0E7]]},
              "secondaryMetrics":{"gc.alloc.rate.norm":{"score":0.05,"scoreError":"NaN","scoreUnit":"B/op"}}},
             {"benchmark":"dev.panode.bench.x.T.m","mode":"thrpt","params":{},
              "primaryMetric":{"score":2.0E6,"scoreError":1.0E4,"scoreUnit":"ops/s"},"secondaryMetrics":{}}]
            """;

    @Test
    void readsJmhJson() throws Exception {
        JsonNode array = ResultsFile.JSON.readTree(JMH_JSON);
        BenchResult dgemm = BenchResult.fromJmhJson(array.get(0));
        assertEquals("DgemmBench.dgemm", dgemm.shortName());
        assertEquals(Map.of("shape", "512x512x512"), dgemm.params());
        assertEquals(2e7, dgemm.score());
        assertEquals(0.0, dgemm.error(), "JMH's \"NaN\" error reads as no error estimate");
        assertEquals(0.05, dgemm.allocBytesPerOp());
        assertEquals(2e7, dgemm.nanosPerOp());
        // 2 * 512^3 flops in 20 ms = 13.4 GFLOP/s
        assertEquals(2.0 * 512 * 512 * 512 / 2e7, FlopModels.gflops(dgemm), 1e-12);

        BenchResult thrpt = BenchResult.fromJmhJson(array.get(1));
        assertTrue(Double.isNaN(thrpt.allocBytesPerOp()));
        assertEquals(500.0, thrpt.nanosPerOp(), 1e-9);
        assertTrue(Double.isNaN(FlopModels.gflops(thrpt)));
    }

    @Test
    void aResultsFileWithADuplicateKeyIsRefused(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path f = java.nio.file.Files.writeString(dir.resolve("twice.json"),
                JMH_JSON.replace("\"mode\":\"avgt\",", "\"mode\":\"avgt\",\"mode\":\"thrpt\","));
        java.io.IOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> ResultsFile.read(f));
        assertTrue(e.getMessage().contains("Duplicate field 'mode'"), e.getMessage());
    }

    @Test
    void rooflineRelatesToThePeakOfTheSameRun() {
        BenchResult peak = new BenchResult(Roofline.PEAK_BENCHMARK, "avgt", Map.of("shape", "512x512x512"), 2.0e7, 0, "ns/op", 0);
        BenchResult small = new BenchResult(Roofline.PEAK_BENCHMARK, "avgt", Map.of("shape", "16x50x2"), 1000, 0, "ns/op", 0);
        List<BenchResult> run = List.of(peak, small);
        double peakGflops = 2.0 * 512 * 512 * 512 / 2.0e7;
        assertEquals(peakGflops, Roofline.peakGflops(run).orElseThrow(), 1e-12);
        List<Roofline.Entry> entries = Roofline.evaluate(run);
        assertEquals(1.0, entries.get(0).ratio(), 1e-12, "the peak is at its own roofline");
        assertEquals(1000 / (2.0 * 16 * 50 * 2 / peakGflops), entries.get(1).ratio(), 1e-9);
        assertTrue(Roofline.render(run).contains("dgemm peak in this run: 13.42 GFLOP/s"), Roofline.render(run));
        assertTrue(Roofline.render(List.of()).contains("did not run"));
    }

    @Test
    void mlpRooflineCountsGemmFlopsAndActivationsOfTheSameRun() {
        BenchResult peak = peakAt10Gflops();
        BenchResult tanh = tanhAt(2.0);
        BenchResult eval = new BenchResult("dev.panode.bench.mlp.MlpFieldBenchmark.evaluate", "avgt",
                Map.of("shape", "2x50x16"), 10.0, 0, "us/op", 0);
        List<Roofline.Entry> entries = Roofline.evaluate(List.of(peak, tanh, eval));
        Roofline.Entry mlp = entries.stream().filter(e -> e.result() == eval).findFirst().orElseThrow();
        double flops = 2.0 * 16 * (2 * 2 * 50 + 50 * 50);       // 86 400
        double bound = flops / 10.0 + 2.0 * 16 * 50 * 2.0;      // GEMM at 10 GFLOP/s + 1600 tanh at 2 ns
        assertEquals(bound, mlp.boundNanos(), 1e-9);
        assertEquals(10_000.0 / bound, mlp.ratio(), 1e-12);
    }

    @Test
    void theRooflineReportsTheEvaluationAloneAndHeldAgainstTheSameFloor() {
        BenchResult peak = peakAt10Gflops();
        BenchResult tanh = tanhAt(1.0);
        BenchResult alone = new BenchResult(Roofline.EVALUATE, "avgt", Map.of("shape", "2x50x1"), 0.8, 0, "us/op", 0);
        BenchResult held = new BenchResult(Roofline.EVALUATE_HELD, "avgt", Map.of("shape", "2x50x1"), 0.3, 0, "us/op", 0);
        double floor = 2.0 * (2 * 2 * 50 + 50 * 50) / 10.0 + 100 * 1.0; // 640 ns
        String table = Roofline.render(List.of(peak, tanh, alone, held));
        String line = table.lines().filter(l -> l.trim().startsWith("2x50x1") && !l.contains("MFLOP")).findFirst()
                .orElseThrow(() -> new AssertionError(table));
        assertTrue(line.contains("800.0") && line.contains("300.0") && line.contains("%.1f".formatted(floor))
                && line.contains("%.2f".formatted(800 / floor)) && line.contains("%.2f".formatted(300 / floor)), line);
        assertTrue(Roofline.render(List.of(peak)).indexOf("Field evaluation") < 0);
    }

    /** The dgemm peak benchmark at 512³ running at 10 GFLOP/s. */
    private static BenchResult peakAt10Gflops() {
        double peakNs = 2.0 * 512 * 512 * 512 / 10.0;
        return new BenchResult(Roofline.PEAK_BENCHMARK, "avgt", Map.of("shape", "512x512x512"), peakNs, 0, "ns/op", 0);
    }

    /** The TANH bias-and-activation benchmark at n = 100000 costing {@code nsPerElement} per element. */
    private static BenchResult tanhAt(double nsPerElement) {
        return new BenchResult(RooflineModels.ACTIVATION_BENCHMARK, "avgt", Map.of("n", "100000", "activation", "TANH"),
                100_000 * nsPerElement, 0, "ns/op", 0);
    }
}
