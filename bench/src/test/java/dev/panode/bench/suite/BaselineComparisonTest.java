package dev.panode.bench.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.bench.suite.BaselineComparison.Verdict;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BaselineComparisonTest {
    private static BenchResult avgt(String name, double score, double error, double alloc) {
        return new BenchResult("dev.panode.bench.x.B." + name, "avgt", Map.of("n", "4"), score, error, "ns/op", alloc);
    }

    private static Verdict verdict(BenchResult base, BenchResult now) {
        BaselineComparison c = BaselineComparison.compare(List.of(base), List.of(now), 1.25, 1.0);
        assertEquals(1, c.rows().size());
        return c.rows().get(0).verdict();
    }

    @Test
    void equalRunsPass() {
        BaselineComparison c = BaselineComparison.compare(List.of(avgt("a", 100, 2, 0)), List.of(avgt("a", 101, 2, 0)), 1.25, 1.0);
        assertEquals(Verdict.OK, c.rows().get(0).verdict());
        assertEquals(1.01, c.rows().get(0).ratio(), 1e-12);
        assertFalse(c.failed());
        assertTrue(c.render().contains("PASS"), c.render());
    }

    @Test
    void slowerBeyondItsErrorFails() {
        assertEquals(Verdict.SLOWER, verdict(avgt("a", 100, 1, 0), avgt("a", 150, 1, 0)));
        BaselineComparison c = BaselineComparison.compare(List.of(avgt("a", 100, 1, 0)), List.of(avgt("a", 150, 1, 0)), 1.25, 1.0);
        assertTrue(c.failed());
        assertTrue(c.render().contains("FAIL: 1 benchmark"), c.render());
    }

    @Test
    void slowerWithinItsErrorPasses() {
        // ratio 1.5, relative errors 0.2 and 0.2 -> ratio error 1.5 * sqrt(0.08) = 0.42 -> lower bound 1.08 < 1.25
        Verdict v = verdict(avgt("a", 100, 20, 0), avgt("a", 150, 30, 0));
        assertEquals(Verdict.OK, v);
    }

    @Test
    void ratioErrorCombinesBothRelativeErrors() {
        BaselineComparison c = BaselineComparison.compare(List.of(avgt("a", 100, 3, 0)), List.of(avgt("a", 200, 8, 0)), 1.25, 1.0);
        assertEquals(2.0 * Math.hypot(0.03, 0.04), c.rows().get(0).ratioError(), 1e-12);
    }

    @Test
    void throughputIsInvertedSoThatAboveOneIsSlower() {
        BenchResult base = new BenchResult("b.T.m", "thrpt", Map.of(), 1000, 1, "ops/s", Double.NaN);
        BenchResult now = new BenchResult("b.T.m", "thrpt", Map.of(), 500, 1, "ops/s", Double.NaN);
        BaselineComparison c = BaselineComparison.compare(List.of(base), List.of(now), 1.25, 1.0);
        assertEquals(2.0, c.rows().get(0).ratio(), 1e-12);
        assertEquals(Verdict.SLOWER, c.rows().get(0).verdict());
    }

    @Test
    void differentTimeUnitsAreCompared() {
        BenchResult base = new BenchResult("b.T.m", "avgt", Map.of(), 2.0, 0, "us/op", Double.NaN);
        BenchResult now = new BenchResult("b.T.m", "avgt", Map.of(), 2000.0, 0, "ns/op", Double.NaN);
        assertEquals(1.0, BaselineComparison.compare(List.of(base), List.of(now), 1.25, 1.0).rows().get(0).ratio(), 1e-12);
    }

    @Test
    void fasterIsReportedAndPasses() {
        assertEquals(Verdict.FASTER, verdict(avgt("a", 100, 1, 0), avgt("a", 50, 1, 0)));
    }

    @Test
    void allocatingWhereTheBaselineDidNotFails() {
        assertEquals(Verdict.ALLOCATES, verdict(avgt("a", 100, 1, 0.001), avgt("a", 100, 1, 24)));
        assertEquals(Verdict.OK, verdict(avgt("a", 100, 1, 48), avgt("a", 100, 1, 64)), "already allocating: speed decides");
        assertEquals(Verdict.OK, verdict(avgt("a", 100, 1, Double.NaN), avgt("a", 100, 1, 64)), "baseline without gc profiler");
        assertEquals(Verdict.OK, verdict(avgt("a", 100, 1, 0), avgt("a", 100, 1, 0.4)), "below the limit: noise");
    }

    @Test
    void parametersAreOnePartOfTheKey() {
        BenchResult n4 = avgt("a", 100, 1, 0);
        BenchResult n8 = new BenchResult(n4.benchmark(), "avgt", Map.of("n", "8"), 1000, 1, "ns/op", 0);
        BaselineComparison c = BaselineComparison.compare(List.of(n4), List.of(n8), 1.25, 1.0);
        assertEquals(List.of(Verdict.NEW, Verdict.MISSING), c.rows().stream().map(BaselineComparison.Row::verdict).toList());
        assertFalse(c.failed(), "new and missing benchmarks do not fail the gate");
    }

    @Test
    void thresholdMustExceedOne() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BaselineComparison.compare(List.of(), List.of(), 0.9, 1.0));
        assertTrue(e.getMessage().contains("threshold = 0.9"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BaselineComparison.compare(List.of(), List.of(), 1.25, -1));
    }
}
