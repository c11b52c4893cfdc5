package dev.panode.bench.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.bench.simd.ThresholdFit.Measured;
import dev.panode.simd.GemmThresholds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ThresholdFitTest {

    /** OpenBLAS wins from 128 in every dimension and on a wide C: the fit must find rules that pick right everywhere. */
    @Test
    void findsThresholdsThatPickTheFasterBackendEverywhere() {
        List<Measured> shapes = List.of(
                new Measured(16, 50, 50, 2.4, 3.1),
                new Measured(256, 256, 32, 75, 100),
                new Measured(1024, 64, 64, 130, 200),
                new Measured(128, 128, 128, 300, 200),
                new Measured(512, 512, 512, 5000, 2500),
                new Measured(512, 8, 512, 200, 120));
        ThresholdFit.Fit fit = ThresholdFit.fit(shapes);
        assertEquals(0.0, fit.loss(), 1e-12, fit.toString());
        assertEquals(1.0, fit.worstRatio(), 1e-12);
        GemmThresholds t = fit.thresholds();
        assertTrue(t.preferBlas(128, 128, 128) && t.preferBlas(512, 512, 8) && !t.preferBlas(256, 32, 256), t.toString());
    }

    @Test
    void aTieKeepsTheJavaKernel() {
        ThresholdFit.Fit fit = ThresholdFit.fit(List.of(new Measured(64, 64, 64, 10, 10)));
        assertEquals(false, fit.thresholds().preferBlas(64, 64, 64));
    }

    @Test
    void scoreSumsTheRelativeExcessAndNamesTheWorstShape() {
        List<Measured> shapes = List.of(new Measured(16, 2, 50, 1.0, 2.0), new Measured(256, 256, 256, 900, 450));
        ThresholdFit.Fit allJava = ThresholdFit.score(new GemmThresholds(Long.MAX_VALUE, 1), shapes);
        assertEquals(1.0, allJava.loss(), 1e-12);
        assertEquals(1, allJava.worstIndex());
        assertEquals(2.0, allJava.worstRatio(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> ThresholdFit.fit(List.of()));
    }

    @Test
    void calibrationAveragesTheForksOfEachShape(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("duet.jsonl");
        Files.writeString(f, """
                {"shape":"16x2x50","java":0.30,"openblas":0.50,"dispatcher":0.31}
                {"shape":"16x2x50","java":0.34,"openblas":0.70,"dispatcher":0.35}
                {"shape":"256x256x256","java":800,"openblas":500,"dispatcher":505}
                """);
        List<Measured> m = GemmCalibration.read(f);
        assertEquals(2, m.size());
        assertEquals(16, m.get(0).m());
        assertEquals(2, m.get(0).k());
        assertEquals(50, m.get(0).n());
        assertEquals(0.32, m.get(0).javaMicros(), 1e-12);
        assertEquals(0.60, m.get(0).openblasMicros(), 1e-12);
        assertEquals(800, m.get(1).javaMicros(), 1e-12);
        assertEquals(500, m.get(1).openblasMicros(), 1e-12);
    }

    /** A survey line names its precision and layout and carries the paired ratio, which stands for OpenBLAS's time. */
    @Test
    void surveyLinesKeepPrecisionAndLayoutApartAndUseThePairedRatio(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("survey.jsonl");
        Files.writeString(f, """
                {"dtype":"f64","trans":"NT","shape":"64x1024x2","rounds":9,"java":40.0,"openblas":5.0,"pairedRatio":0.5,"environment":"vector 256 bits, OpenBLAS core Haswell, 1 threads"}
                {"dtype":"f64","trans":"TN","shape":"64x1024x2","rounds":9,"java":40.0,"openblas":5.0,"pairedRatio":0.125,"environment":"vector 256 bits, OpenBLAS core Haswell, 1 threads"}
                {"dtype":"f32","trans":"TN","shape":"64x1024x2","rounds":9,"java":30.0,"openblas":3.0,"pairedRatio":0.1,"environment":"vector 256 bits, OpenBLAS core Haswell, 1 threads"}
                """);
        List<Measured> m = GemmCalibration.read(f);
        assertEquals(3, m.size());
        assertEquals("f64 NT 64x1024x2", m.get(0).label());
        assertEquals(20.0, m.get(0).openblasMicros(), 1e-12);
        assertEquals("f64 TN 64x1024x2", m.get(1).label());
        assertEquals(5.0, m.get(1).openblasMicros(), 1e-12);
        assertEquals("f32 TN 64x1024x2", m.get(2).label());
        assertEquals(new dev.panode.simd.GemmPlatform(256, "Haswell", 256), GemmCalibration.platform(f));
    }

    /** The backward-layout rule is fitted only where it helps: here OpenBLAS wins the TN product and loses the NT one. */
    @Test
    void theFitUsesTheBackwardRuleForTheLayoutsItCovers() {
        List<Measured> shapes = List.of(
                new Measured("f64 NT", 1024, 64, 2, 20, 28),
                new Measured("f64 TN", 64, 1024, 2, 42, 5),
                new Measured("f64 NN", 1024, 2, 64, 20, 17));
        ThresholdFit.Fit fit = ThresholdFit.fit(shapes);
        assertEquals(0.0, fit.loss(), 1e-12, fit.toString());
        GemmThresholds t = fit.thresholds();
        assertTrue(!t.preferBlas(true, 1024, 2, 64) && t.preferBlas(false, 64, 2, 1024) && t.preferBlas(false, 1024, 64, 2),
                t.toString());
        ThresholdFit.Fit forwardOnly = ThresholdFit.score(new GemmThresholds(Long.MAX_VALUE, 1), shapes);
        assertEquals(42.0 / 5, forwardOnly.worstRatio(), 1e-12);
    }

    /**
     * A layer survey's VJP under a rule that parts its products: the OpenBLAS layer's time with the Java product's
     * time put in for its OpenBLAS time; the fastest of the four choices; a rule that parts a layer without product
     * rows is an error, not a guess.
     */
    @Test
    void aVjpWhoseProductsPartIsJudgedFromItsProductRows() {
        // rows 256, out 256, in 32: Ḡᵀ·X is TN 256x256x32 (m = out, k = rows), Ḡ·W NN 256x256x32 (m = rows, k = out)
        Measured layer = new Measured("f32 VJP", 256, 256, 32, 64.0, 66.0);
        Measured tn = new Measured("f32 TN", 256, 256, 32, 31.0, 30.0);
        Measured nn = new Measured("f32 NN", 256, 256, 32, 29.0, 33.0);
        List<Measured> survey = List.of(layer, tn, nn);
        GemmThresholds blas = new GemmThresholds(Long.MAX_VALUE, 1, Integer.MAX_VALUE, 1);
        ThresholdFit.Judged j = ThresholdFit.judge(layer, blas, survey);
        assertEquals("BB", j.choice());
        assertEquals(66.0, j.chosen(), 1e-12);
        assertEquals("JJ", j.fastest(), "the faster backend for the whole layer");
        assertEquals(66.0 / 64.0, j.ratio(), 1e-12);
        GemmThresholds parted = new GemmThresholds(Long.MAX_VALUE, 1, Integer.MAX_VALUE, 1, 0, Long.MAX_VALUE, 1, 0, 0,
                8, 16); // k >= 8·m: Ḡ·W (m = 256 rows, k = 256) stays, Ḡᵀ·X (m = 256 outputs, k = 256 rows) too: none
        assertEquals("BB", ThresholdFit.judge(layer, parted, survey).choice());
        Measured tall = new Measured("f32 VJP", 2048, 256, 32, 120.0, 130.0); // rows 2048, out 256, in 32
        List<Measured> tallSurvey = List.of(tall, new Measured("f32 TN", 256, 2048, 32, 58.0, 60.0),
                new Measured("f32 NN", 2048, 256, 32, 55.0, 62.0));
        ThresholdFit.Judged split = ThresholdFit.judge(tall, parted, tallSurvey);
        assertEquals("JB", split.choice(), "Ḡᵀ·X 2048 deep over 256 rows of C: Java; Ḡ·W 256 deep over 2048: OpenBLAS");
        assertEquals(130.0 - 60.0 - 62.0 + 58.0 + 62.0, split.chosen(), 1e-12, "OpenBLAS's layer, Ḡᵀ·X's time swapped");
        assertEquals(120.0, split.best(), 1e-12);
        GemmThresholds deepJava = new GemmThresholds(Long.MAX_VALUE, 1, Integer.MAX_VALUE, 1, 0, Long.MAX_VALUE, 1, 0,
                8, 0, 16);
        assertEquals("JJ", ThresholdFit.judge(layer, deepJava, survey).choice(), "both 256 deep, 32 wide");
        assertEquals(64.0, ThresholdFit.judge(layer, deepJava, survey).chosen(), 1e-12);
        assertEquals(1.0, ThresholdFit.judge(new Measured("f32 NT", 256, 32, 256, 10.0, 12.0), blas, survey).ratio(),
                1e-12, "a forward pass: the first two rules leave it on the Java kernels");
        Measured rowsApart = new Measured("f32 VJP", 256, 64, 32, 64.0, 66.0); // Ḡ·W 64 deep: OpenBLAS; Ḡᵀ·X Java
        assertThrows(IllegalStateException.class, () -> ThresholdFit.judge(rowsApart, deepJava, survey));
    }
}
