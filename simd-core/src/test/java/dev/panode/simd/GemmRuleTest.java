package dev.panode.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jdk.incubator.vector.DoubleVector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The dispatch rule by platform, its override by system properties, and the origin {@code panode info} shows. */
class GemmRuleTest {

    private static final GemmPlatform AVX512_SKYLAKEX = new GemmPlatform(512, "SkylakeX", 512);
    private static final GemmPlatform AVX512_HASWELL = new GemmPlatform(512, "Haswell", 256);
    private static final GemmPlatform AVX2_SKYLAKEX = new GemmPlatform(256, "SkylakeX", 512);
    private static final GemmPlatform AVX2_HASWELL = new GemmPlatform(256, "Haswell", 256);

    @AfterEach
    void clearProperties() {
        System.clearProperty(GemmThresholds.VOLUME_PROPERTY);
        System.clearProperty(GemmThresholds.DIMENSION_PROPERTY);
        System.clearProperty(GemmThresholds.OUTPUT_SIDE_PROPERTY);
        System.clearProperty(GemmThresholds.BACKWARD_VOLUME_PROPERTY);
        System.clearProperty(GemmThresholds.VJP_ROWS_PROPERTY);
        System.clearProperty(GemmThresholds.BACKWARD_DIMENSION_PROPERTY);
        System.clearProperty(GemmThresholds.BACKWARD_MAX_VOLUME_PROPERTY);
        System.clearProperty(GemmThresholds.BACKWARD_COLUMNS_PROPERTY);
        System.clearProperty(GemmThresholds.DEPTH_PER_COLUMN_PROPERTY);
        System.clearProperty(GemmThresholds.DEPTH_PER_ROW_PROPERTY);
        System.clearProperty(GemmThresholds.DEPTH_SIDE_PROPERTY);
        System.clearProperty(GemmThresholds.RULE_PROPERTY);
    }

    /** The backward rule's minimum side and upper bound: their meaning, their words, their properties. */
    @Test
    void theBackwardRuleHasAMinimumSideAndAnUpperBound() {
        GemmThresholds t = new GemmThresholds(Long.MAX_VALUE, 1, Integer.MAX_VALUE, 10, 2, 1000);
        assertFalse(t.preferBlas(false, 1, 50, 50), "a single row");
        assertTrue(t.preferBlas(false, 2, 50, 9), "900 in [10, 1000), sides >= 2");
        assertFalse(t.preferBlas(false, 2, 50, 10), "1000 is the upper bound, excluded");
        assertFalse(t.preferBlas(true, 2, 50, 9), "the forward layout is not the backward rule's");
        assertEquals("OpenBLAS when m·n·k >= 9223372036854775807 and min(m, n, k) >= 1 (output-side rule off), or, "
                + "for layouts other than A·Bᵀ, when m·n·k >= 10 and < 1000 and min(m, n, k) >= 2", t.describe());
        assertEquals(new GemmThresholds(1, 2, 3, 4, 0, Long.MAX_VALUE), new GemmThresholds(1, 2, 3, 4));
        var e = assertThrows(IllegalArgumentException.class, () -> new GemmThresholds(0, 0, 0, 0, -1, 5));
        assertTrue(e.getMessage().contains("minBlasBackwardDimension") && e.getMessage().contains("-1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new GemmThresholds(0, 0, 0, 0, 0, 0));
        assertTrue(e.getMessage().contains("maxBlasBackwardVolume") && e.getMessage().contains("0"), e.getMessage());

        System.setProperty(GemmThresholds.BACKWARD_DIMENSION_PROPERTY, "4");
        System.setProperty(GemmThresholds.BACKWARD_MAX_VOLUME_PROPERTY, "4096");
        GemmThresholds.InForce o = GemmThresholds.inForce(AVX2_HASWELL, true);
        assertEquals(4, o.thresholds().minBlasBackwardDimension());
        assertEquals(4096, o.thresholds().maxBlasBackwardVolume());
        assertTrue(o.origin().contains("-Dpanode.gemm.minBlasBackwardDimension=4")
                && o.origin().contains("-Dpanode.gemm.maxBlasBackwardVolume=4096"), o.origin());
        System.setProperty(GemmThresholds.BACKWARD_MAX_VOLUME_PROPERTY, "0");
        e = assertThrows(IllegalArgumentException.class, () -> GemmThresholds.inForce(AVX2_HASWELL, true));
        assertTrue(e.getMessage().contains(GemmThresholds.BACKWARD_MAX_VOLUME_PROPERTY) && e.getMessage().contains("'0'"),
                e.getMessage());
    }

    @Test
    void kernelWidthsFollowOpenBlasCoreNames() {
        for (String core : new String[] {"SkylakeX", "COOPERLAKE", "sapphirerapids"}) {
            assertEquals(512, GemmPlatform.kernelBits(core), core);
        }
        for (String core : new String[] {"Haswell", "Zen", "Excavator", "NeoverseV1"}) {
            assertEquals(256, GemmPlatform.kernelBits(core), core);
        }
        for (String core : new String[] {"Sandybridge", "Prescott", "ARMV8", "POWER9", "", "someday-lake"}) {
            assertEquals(128, GemmPlatform.kernelBits(core), core);
        }
        var e = assertThrows(IllegalArgumentException.class, () -> new GemmPlatform(0, "Haswell", 256));
        assertTrue(e.getMessage().contains("javaVectorBits") && e.getMessage().contains("0"), e.getMessage());
    }

    @Test
    void theCurrentPlatformIsThisJvmsSpeciesAndOpenBlasCore() {
        GemmPlatform p = GemmPlatform.current();
        assertEquals(DoubleVector.SPECIES_PREFERRED.vectorBitSize(), p.javaVectorBits());
        assertEquals(dev.panode.blas.Blas.isAvailable() ? GemmPlatform.kernelBits(p.openblasCore()) : 0,
                p.openblasVectorBits());
    }

    @Test
    void theRuleHasOneRowPerMeasuredPlatform() {
        long off = Long.MAX_VALUE;
        GemmThresholds m = GemmThresholds.MEASURED;
        GemmThresholds deep = new GemmThresholds(m.minBlasVolume(), m.minBlasDimension(), m.minBlasOutputSide(), 1, 0,
                off, 4, 0, 8, 0, 16);
        GemmThresholds deepF32 = new GemmThresholds(m.minBlasVolume(), m.minBlasDimension(), m.minBlasOutputSide(), 1,
                0, off, 4, 0, 8, 8, 16);
        assertEquals(deep, GemmThresholds.rule(AVX512_SKYLAKEX, false));
        assertEquals(deepF32, GemmThresholds.rule(AVX512_SKYLAKEX, true));
        assertEquals(deepF32, GemmThresholds.rule(new GemmPlatform(512, "Cooperlake", 512), true));
        long from384 = 384L * 384 * 384;
        assertEquals(new GemmThresholds(from384, m.minBlasDimension(), m.minBlasOutputSide()),
                GemmThresholds.rule(AVX512_HASWELL, false));
        assertEquals(new GemmThresholds(from384, m.minBlasDimension(), m.minBlasOutputSide(), 1, 2, 131_072, 1, 16),
                GemmThresholds.rule(AVX512_HASWELL, true));
        assertEquals(new GemmThresholds(32_768, 16), GemmThresholds.rule(AVX2_HASWELL, false));
        assertEquals(new GemmThresholds(65_536, 32, Integer.MAX_VALUE, 1, 2, off, 1, 8),
                GemmThresholds.rule(AVX2_HASWELL, true));
        for (boolean f32 : new boolean[] {false, true}) {
            assertEquals(rows(backward(new GemmThresholds(32_768, 16), 1), 4), GemmThresholds.rule(AVX2_SKYLAKEX, f32));
            assertEquals(m, GemmThresholds.rule(new GemmPlatform(256, "", 0), f32), "no OpenBLAS");
            assertEquals(m, GemmThresholds.rule(new GemmPlatform(128, "ARMV8", 128), f32));
            assertEquals(m, GemmThresholds.rule(new GemmPlatform(256, "Sandybridge", 128), f32));
            assertEquals(m, GemmThresholds.rule(new GemmPlatform(128, "Haswell", 256), f32), "128-bit Java vectors");
        }
        assertEquals(off, m.minBlasBackwardVolume());
    }

    /**
     * The forward layout (a dense layer's X·Wᵀ, fused below the thresholds) keeps the single rule with 512-bit Java
     * vectors and OpenBLAS's 512-bit kernels; 256-bit Java vectors give OpenBLAS more on either kernels (it was faster
     * at every wide layer), 512-bit ones against the 256-bit kernels less: only from 384³ (the Java kernels were 7–17%
     * faster at 256³, docs/BENCHMARKS.md §69).
     */
    @Test
    void theForwardLayoutKeepsTheSingleRuleButOnHaswell() {
        int[] sides = {1, 2, 16, 50, 64, 128, 256, 384, 1024};
        for (boolean f32 : new boolean[] {false, true}) {
            GemmThresholds t = GemmThresholds.rule(AVX512_HASWELL, f32);
            assertFalse(t.preferBlas(true, 256, 256, 256) || t.preferBlas(256, 256, 256), "256³ on the Java kernels");
            assertTrue(t.preferBlas(true, 384, 384, 384) && !t.preferBlas(true, 384, 384, 127), "from 384³, sides 128");
        }
        for (boolean f32 : new boolean[] {false, true}) {
            GemmThresholds t = GemmThresholds.rule(AVX2_SKYLAKEX, f32);
            assertTrue(t.preferBlas(true, 16, 50, 50) && !t.preferBlas(true, 16, 50, 2)
                    && !t.preferBlas(true, 15, 50, 50), "256-bit Java, 512-bit OpenBLAS: from 32768, every side >= 16");
        }
        for (GemmPlatform p : new GemmPlatform[] {AVX512_SKYLAKEX}) {
            for (boolean f32 : new boolean[] {false, true}) {
                GemmThresholds t = GemmThresholds.rule(p, f32);
                for (int a : sides) for (int b : sides) for (int c : sides) {
                    assertEquals(GemmThresholds.MEASURED.preferBlas(a, b, c), t.preferBlas(true, a, b, c),
                            p.describe() + " " + a + "x" + c + "x" + b);
                }
            }
        }
    }

    private static GemmThresholds rows(GemmThresholds t, int vjpRows) {
        return t.withMinBlasVjpRows(vjpRows);
    }

    /**
     * A dense layer's VJP below the row minimum stays on the Java kernels (its single rows and small blocks share
     * their bits); the rule on the products is the same as without it; the minimum is at least 1.
     */
    @Test
    void theRowRuleKeepsSmallVjpsOnTheJavaKernels() {
        GemmThresholds t = rows(backward(GemmThresholds.MEASURED, 1), 4);
        assertTrue(t.javaVjp(1) && t.javaVjp(3));
        assertFalse(t.javaVjp(4) || t.javaVjp(16));
        assertFalse(GemmThresholds.MEASURED.javaVjp(1), "off in the single rule: its products decide");
        assertEquals(1, new GemmThresholds(0, 0, 0, 0).minBlasVjpRows());
        for (int[] p : new int[][] {{50, 50, 1}, {1, 50, 50}, {64, 2, 1024}}) {
            assertEquals(backward(GemmThresholds.MEASURED, 1).preferBlas(false, p[0], p[1], p[2]),
                    t.preferBlas(false, p[0], p[1], p[2]));
        }
        assertTrue(t.describe().endsWith(" (but a dense layer's VJP of fewer than 4 rows stays on the Java kernels)"),
                t.describe());
        assertFalse(GemmThresholds.MEASURED.describe().contains("VJP"), GemmThresholds.MEASURED.describe());
        var e = assertThrows(IllegalArgumentException.class, () -> new GemmThresholds(0, 0, 0, 0, 0));
        assertTrue(e.getMessage().contains("minBlasVjpRows") && e.getMessage().contains("0"), e.getMessage());
        System.setProperty(GemmThresholds.VJP_ROWS_PROPERTY, "16");
        GemmThresholds.InForce o = GemmThresholds.inForce(AVX512_SKYLAKEX, false);
        assertEquals(rows(GemmThresholds.rule(AVX512_SKYLAKEX, false), 16), o.thresholds());
        assertTrue(o.origin().startsWith("override by system properties -Dpanode.gemm.minBlasVjpRows=16"), o.origin());
        System.setProperty(GemmThresholds.VJP_ROWS_PROPERTY, "1");
        assertEquals(1, GemmThresholds.inForce(AVX512_SKYLAKEX, false).thresholds().minBlasVjpRows());
    }

    /**
     * The third rule's minimum width of C: both products of a dense layer's VJP have n = the layer's input width, so
     * a narrow input's VJP stays on the Java kernels and the wider layers' go on to OpenBLAS.
     */
    @Test
    void theColumnRuleKeepsANarrowInputsVjpOnTheJavaKernels() {
        GemmThresholds t = GemmThresholds.rule(AVX2_HASWELL, true);
        assertEquals(8, t.minBlasBackwardColumns());
        for (int rows : new int[] {2, 16, 1024}) {
            assertFalse(t.preferBlas(false, 50, 2, rows), "W̄ = Ḡᵀ·X of 2 → 50, " + rows + " rows");
            assertFalse(t.preferBlas(false, rows, 2, 50), "x̄ = Ḡ·W of 2 → 50, " + rows + " rows");
            assertTrue(t.preferBlas(false, 2, 50, rows), "W̄ of 50 → 2, " + rows + " rows");
            assertTrue(t.preferBlas(false, rows, 50, 2), "x̄ of 50 → 2, " + rows + " rows");
        }
        assertEquals(0, GemmThresholds.rule(AVX2_HASWELL, false).minBlasBackwardColumns(), "double: off");
        assertEquals(0, GemmThresholds.rule(AVX512_SKYLAKEX, true).minBlasBackwardColumns(), "512-bit OpenBLAS: off");
        assertTrue(t.describe().contains(" and min(m, n, k) >= 2 and n >= 8"), t.describe());
        assertFalse(GemmThresholds.rule(AVX2_HASWELL, false).describe().contains("n >="));
        var e = assertThrows(IllegalArgumentException.class,
                () -> new GemmThresholds(0, 0, 0, 0, 0, 1, 1, -1));
        assertEquals("minBlasBackwardColumns must be >= 0, got -1", e.getMessage());
        System.setProperty(GemmThresholds.BACKWARD_COLUMNS_PROPERTY, "1");
        GemmThresholds.InForce o = GemmThresholds.inForce(AVX2_HASWELL, true);
        assertEquals(1, o.thresholds().minBlasBackwardColumns());
        assertTrue(o.thresholds().preferBlas(false, 16, 2, 50));
        assertTrue(o.origin().startsWith("override by system properties -Dpanode.gemm.minBlasBackwardColumns=1"),
                o.origin());
    }

    private static GemmThresholds backward(GemmThresholds forward, long backwardVolume) {
        return new GemmThresholds(forward.minBlasVolume(), forward.minBlasDimension(), forward.minBlasOutputSide(),
                backwardVolume);
    }

    /**
     * The deep-product exception decides each product by its own depth: with OpenBLAS's 512-bit kernels and 512-bit
     * Java vectors, d32's input layer (32 → 256 over 256 rows) keeps its {@code Ḡ·W} and {@code Ḡᵀ·X} (256 × 256 → 32)
     * on the Java kernels, while of the mirrored 256 → 32 layer's products the {@code Ḡ·W} (256 × 32 → 256) goes to
     * OpenBLAS and the {@code Ḡᵀ·X} (32 × 256 → 256) in double too, in float not; every product with a narrow C or few
     * rows of it goes to OpenBLAS; the forward layout and the first rules are untouched.
     */
    @Test
    void theDeepProductExceptionKeepsDeepNarrowProductsOnTheJavaKernels() {
        for (boolean f32 : new boolean[] {false, true}) {
            GemmThresholds t = GemmThresholds.rule(AVX512_SKYLAKEX, f32);
            String p = f32 ? "f32 " : "f64 ";
            assertFalse(t.preferBlas(false, 256, 32, 256), p + "d32 input layer: Ḡ·W and Ḡᵀ·X, 256 deep, 32 wide");
            assertTrue(t.preferBlas(false, 256, 256, 32), p + "mirror's Ḡ·W: 32 deep");
            assertEquals(!f32, t.preferBlas(false, 32, 256, 256), p + "mirror's Ḡᵀ·X: 256 deep, 32 high, 256 wide");
            assertFalse(t.preferBlas(false, 64, 64, 1024), p + "d2_h64_b1024's hidden Ḡᵀ·X: 1024 deep, 64 wide");
            assertTrue(t.preferBlas(false, 1024, 64, 64), p + "its Ḡ·W: 64 deep");
            assertTrue(t.preferBlas(false, 64, 2, 1024), p + "input layer's Ḡᵀ·X: C 2 wide");
            assertTrue(t.preferBlas(false, 2, 64, 1024), p + "output layer's Ḡᵀ·X: C 2 high");
            assertTrue(t.preferBlas(false, 64, 16, 127) && !t.preferBlas(false, 64, 16, 128), p + "k >= 8·n: bound");
            assertTrue(t.preferBlas(false, 15, 16, 1024) && t.preferBlas(false, 16, 15, 1024), p + "min(m, n) >= 16");
            assertTrue(t.preferBlas(false, 2048, 2048, 2048 * 8), p + "the first rule still sends what it sends");
            assertTrue(t.preferBlas(false, 32, 32, 255) && !t.preferBlas(false, 32, 32, 256), p + "k >= 8·n, square C");
            assertEquals(0, GemmThresholds.rule(AVX2_SKYLAKEX, f32).minJavaDepthPerColumn(), "256-bit Java: off");
            assertEquals(0, GemmThresholds.rule(AVX512_HASWELL, f32).minJavaDepthPerColumn(), "256-bit OpenBLAS: off");
            assertFalse(GemmThresholds.rule(AVX2_SKYLAKEX, f32).describe().contains("but not"));
        }
        assertTrue(GemmThresholds.rule(AVX512_SKYLAKEX, false).describe()
                .endsWith("but not when min(m, n) >= 16 and k >= 8·n (but a dense layer's VJP of fewer than 4 rows"
                        + " stays on the Java kernels)"), GemmThresholds.rule(AVX512_SKYLAKEX, false).describe());
        assertTrue(GemmThresholds.rule(AVX512_SKYLAKEX, true).describe()
                .contains("but not when min(m, n) >= 16 and (k >= 8·n or k >= 8·m)"));

        var e = assertThrows(IllegalArgumentException.class,
                () -> new GemmThresholds(0, 0, 0, 0, 0, 1, 1, 0, -1, 0, 0));
        assertTrue(e.getMessage().contains("minJavaDepthPerColumn") && e.getMessage().contains("-1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new GemmThresholds(0, 0, 0, 0, 0, 1, 1, 0, 8, -3, 0));
        assertTrue(e.getMessage().contains("minJavaDepthPerRow") && e.getMessage().contains("-3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new GemmThresholds(0, 0, 0, 0, 0, 1, 1, 0, 8, 0, -2));
        assertTrue(e.getMessage().contains("minJavaDepthSide") && e.getMessage().contains("-2"), e.getMessage());
        System.setProperty(GemmThresholds.DEPTH_PER_COLUMN_PROPERTY, "0");
        GemmThresholds.InForce o = GemmThresholds.inForce(AVX512_SKYLAKEX, false);
        assertTrue(o.thresholds().preferBlas(false, 256, 32, 256), "0 turns the exception off");
        assertTrue(o.origin().contains("-Dpanode.gemm.minJavaDepthPerColumn=0"), o.origin());
        System.setProperty(GemmThresholds.DEPTH_PER_COLUMN_PROPERTY, "4");
        System.setProperty(GemmThresholds.DEPTH_PER_ROW_PROPERTY, "2");
        System.setProperty(GemmThresholds.DEPTH_SIDE_PROPERTY, "64");
        o = GemmThresholds.inForce(AVX512_SKYLAKEX, false);
        assertEquals(4, o.thresholds().minJavaDepthPerColumn());
        assertEquals(2, o.thresholds().minJavaDepthPerRow());
        assertEquals(64, o.thresholds().minJavaDepthSide());
        assertTrue(o.thresholds().preferBlas(false, 256, 32, 256), "min(m, n) = 32 < 64");
        assertFalse(o.thresholds().preferBlas(false, 64, 64, 256), "256 >= 4·64");
        assertFalse(o.thresholds().preferBlas(false, 64, 512, 128), "128 >= 2·64");
    }

    /** The third rule applies to every layout but A·Bᵀ, and to nothing when off. */
    @Test
    void theBackwardRuleLeavesTheForwardLayoutAlone() {
        GemmThresholds t = new GemmThresholds(Long.MAX_VALUE, 1, Integer.MAX_VALUE, 100);
        assertFalse(t.preferBlas(true, 64, 2, 1024));
        assertFalse(t.preferBlas(64, 2, 1024));
        assertTrue(t.preferBlas(false, 64, 2, 1024));
        assertFalse(t.preferBlas(false, 2, 7, 7), "98 < 100");
        assertFalse(GemmThresholds.MEASURED.preferBlas(false, 64, 2, 1024));
        assertTrue(t.describe().endsWith("for layouts other than A·Bᵀ, when m·n·k >= 100"), t.describe());
        var e = assertThrows(IllegalArgumentException.class, () -> new GemmThresholds(0, 0, 0, -5));
        assertTrue(e.getMessage().contains("minBlasBackwardVolume") && e.getMessage().contains("-5"), e.getMessage());
        Gemm.setThresholds(t);
        try {
            boolean blas = dev.panode.blas.Blas.isAvailable();
            assertEquals(blas ? Gemm.Backend.OPENBLAS : Gemm.Backend.JAVA,
                    Gemm.backendFor(dev.panode.blas.Transpose.YES, dev.panode.blas.Transpose.NO, 64, 2, 1024));
            assertEquals(Gemm.Backend.JAVA,
                    Gemm.backendFor(dev.panode.blas.Transpose.NO, dev.panode.blas.Transpose.YES, 64, 2, 1024));
            assertEquals(Gemm.Backend.JAVA, Gemm.backendFor(64, 2, 1024));
        } finally {
            Gemm.resetThresholds();
        }
    }

    /**
     * A narrower Java kernel, or a wider OpenBLAS kernel, never takes a product away from OpenBLAS — except in the
     * forward layout against OpenBLAS's 512-bit kernels, whose rows keep the single rule there for the forward
     * rounding's sake, not for speed (so AVX2 against Haswell sends wide forward products to OpenBLAS that AVX2 against
     * SkylakeX keeps), and the deep products that the 512-bit rows keep on 512-bit Java kernels (measured against
     * those kernels, docs/BENCHMARKS.md §69; none of them was surveyed on 256-bit OpenBLAS kernels without the Java
     * kernels winning it too).
     */
    @Test
    void theRuleIsMonotoneInBothWidths() {
        int[] sides = {1, 2, 16, 32, 50, 64, 96, 128, 192, 256, 384, 512, 1024, 2048};
        GemmPlatform[][] weakerBlasFirst = {{AVX512_HASWELL, AVX512_SKYLAKEX}, {AVX2_HASWELL, AVX2_SKYLAKEX},
                {AVX512_HASWELL, AVX2_HASWELL}, {AVX512_SKYLAKEX, AVX2_SKYLAKEX}};
        for (boolean f32 : new boolean[] {false, true}) {
            for (GemmPlatform[] pair : weakerBlasFirst) {
                GemmThresholds less = GemmThresholds.rule(pair[0], f32), more = GemmThresholds.rule(pair[1], f32);
                for (int m : sides) for (int n : sides) for (int k : sides) for (boolean fw : new boolean[] {true, false}) {
                    if (fw && pair[1].openblasVectorBits() == 512 && pair[0].openblasVectorBits() == 256) continue;
                    if (!fw && Math.min(m, n) >= more.minJavaDepthSide() && (more.minJavaDepthPerColumn() > 0
                            && k >= (long) more.minJavaDepthPerColumn() * n
                            || more.minJavaDepthPerRow() > 0 && k >= (long) more.minJavaDepthPerRow() * m)) {
                        continue; // the deep-product exception: measured against the 512-bit kernels themselves
                    }
                    if (less.preferBlas(fw, m, n, k)) {
                        assertTrue(more.preferBlas(fw, m, n, k), pair[0].describe() + " vs " + pair[1].describe()
                                + " " + m + "x" + k + "x" + n + (fw ? " NT" : " backward"));
                    }
                }
            }
        }
    }

    /**
     * VJP products where one backend was faster by 1.2× or more in every run of the four-way survey that measured
     * the current kernels (docs/BENCHMARKS.md §36; m×k×n written as {@code preferBlas(false, m, n, k)}): the rule must
     * pick that backend.
     */
    @Test
    void theRulePicksTheClearlyFasterBackendOfTheSurvey() {
        for (GemmPlatform p : new GemmPlatform[] {AVX512_SKYLAKEX, AVX2_SKYLAKEX}) { // TN 64x1024x2, 50x16x2
            for (boolean single : new boolean[] {false, true}) {
                GemmThresholds t = GemmThresholds.rule(p, single);
                assertTrue(t.preferBlas(false, 64, 2, 1024) && t.preferBlas(false, 50, 2, 16), p.describe());
            }
        }
        assertFalse(GemmThresholds.rule(AVX2_HASWELL, false).preferBlas(false, 1, 2, 50), "f64 NN 1x50x2: Java 1.6x");
    }

    /**
     * The rows for OpenBLAS's 256-bit kernels give the choices of the layer survey (docs/BENCHMARKS.md §44, §57: each
     * layer of the benchmark nets and of the spiral's, forward pass and VJP, as the MLP runs it with either backend):
     * per layer {rows, in, out}, the backend of its forward pass and of its VJP under each row, where one backend was
     * faster by more than 5% in both hot runs (on these rows a VJP's two products go together, as they share volume
     * and sides: {@code Ḡ·W} stands for both; the deep-product exception that parts them is the 512-bit kernels'). No
     * timing here: the surveyed verdicts are data.
     */
    @Test
    void theHaswellRowsGiveTheLayerSurveysChoices() {
        // {rows, in, out}, then per platform and precision — AVX2 f64, AVX2 f32, AVX-512 f64, AVX-512 f32 — the forward
        // pass and the VJP: 'J' the Java kernels, 'B' OpenBLAS (faster by more than 5% in both hot runs of §57, and
        // for 16x50x50's double forward pass with 256-bit vectors and 256³ with 512-bit ones in §69's), '-' either
        // (within 5% in one run at least). Float narrow-input VJPs (2 → 50, 2 → 64) are Java's since the dot-product
        // kernel of §57; double 1024x2x64's VJP with 512-bit vectors, OpenBLAS's by 6–7% in §57, was the Java
        // kernels' by 1–9% in §69 (either).
        Object[][] layers = {
            {1, 2, 50, "JJ", "JJ", "JJ", "JJ"}, {1, 50, 50, "JJ", "JJ", "JJ", "JJ"}, {1, 50, 2, "JJ", "JJ", "JJ", "JJ"},
            {16, 2, 50, "-J", "JJ", "JJ", "J-"}, {16, 50, 50, "BB", "JB", "JJ", "JB"}, {16, 50, 2, "JJ", "JB", "JJ", "JB"},
            {10, 2, 50, "-J", "JJ", "JJ", "JJ"}, {10, 50, 2, "JJ", "JB", "JJ", "JB"},
            {20, 2, 50, "-J", "JJ", "JJ", "JJ"}, {20, 50, 2, "J-", "JB", "JJ", "JB"},
            {1024, 2, 64, "-J", "JJ", "J-", "JJ"}, {1024, 64, 64, "BB", "BB", "JJ", "JJ"},
            {1024, 64, 2, "JJ", "JB", "JJ", "JJ"},
            {256, 32, 256, "BB", "BB", "JJ", "JJ"}, {256, 256, 256, "BB", "BB", "JJ", "-J"},
            {256, 256, 32, "BB", "BB", "JJ", "JJ"}};
        GemmPlatform[] platforms = {AVX2_HASWELL, AVX2_HASWELL, AVX512_HASWELL, AVX512_HASWELL};
        for (Object[] l : layers) {
            int rows = (int) l[0], in = (int) l[1], out = (int) l[2];
            for (int c = 0; c < 4; c++) {
                GemmThresholds t = GemmThresholds.rule(platforms[c], c % 2 == 1);
                String expected = (String) l[3 + c];
                String where = platforms[c].describe() + (c % 2 == 1 ? " f32 " : " f64 ") + rows + "x" + in + "x" + out;
                boolean[] chosen = {t.preferBlas(true, rows, out, in), t.preferBlas(false, rows, in, out)};
                for (int pass = 0; pass < 2; pass++) {
                    char e = expected.charAt(pass);
                    if (e == 'J' || e == 'B') {
                        assertEquals(e == 'B', chosen[pass], where + (pass == 0 ? " forward" : " VJP"));
                    }
                }
                assertEquals(t.preferBlas(false, out, in, rows), chosen[1], where + ": Ḡᵀ·X goes with Ḡ·W");
            }
        }
    }

    @Test
    void propertiesOverrideTheRuleAndSaySo() {
        GemmThresholds.InForce byDefault = GemmThresholds.inForce(AVX2_SKYLAKEX, false);
        assertEquals(GemmThresholds.rule(AVX2_SKYLAKEX, false), byDefault.thresholds());
        assertEquals("platform rule for 256-bit Java vectors, OpenBLAS SkylakeX (512-bit kernels) "
                + "(-Dpanode.gemm.rule=measured for the single rule)", byDefault.origin());
        System.setProperty(GemmThresholds.RULE_PROPERTY, "platform");
        assertEquals(byDefault, GemmThresholds.inForce(AVX2_SKYLAKEX, false));
        System.setProperty(GemmThresholds.RULE_PROPERTY, "measured");
        GemmThresholds.InForce single = GemmThresholds.inForce(AVX2_SKYLAKEX, false);
        assertEquals(GemmThresholds.MEASURED, single.thresholds());
        assertEquals("single rule (-Dpanode.gemm.rule=measured), OpenBLAS from 128³ on every platform, on 256-bit "
                + "Java vectors, OpenBLAS SkylakeX (512-bit kernels)", single.origin());
        System.clearProperty(GemmThresholds.RULE_PROPERTY);
        System.setProperty(GemmThresholds.VOLUME_PROPERTY, " 4096 ");
        GemmThresholds.InForce o = GemmThresholds.inForce(AVX2_SKYLAKEX, true);
        assertEquals(4096, o.thresholds().minBlasVolume());
        assertEquals(GemmThresholds.rule(AVX2_SKYLAKEX, true).minBlasDimension(), o.thresholds().minBlasDimension());
        assertTrue(o.origin().startsWith("override by system properties -Dpanode.gemm.minBlasVolume=4096"), o.origin());
        System.setProperty(GemmThresholds.DIMENSION_PROPERTY, "x7");
        var e = assertThrows(IllegalArgumentException.class, () -> GemmThresholds.inForce(AVX2_SKYLAKEX, false));
        assertTrue(e.getMessage().contains(GemmThresholds.DIMENSION_PROPERTY) && e.getMessage().contains("x7"),
                e.getMessage());
        System.clearProperty(GemmThresholds.DIMENSION_PROPERTY);
        System.setProperty(GemmThresholds.RULE_PROPERTY, "fastest");
        e = assertThrows(IllegalArgumentException.class, () -> GemmThresholds.inForce(AVX2_SKYLAKEX, false));
        assertTrue(e.getMessage().contains(GemmThresholds.RULE_PROPERTY) && e.getMessage().contains("fastest"),
                e.getMessage());
    }

    @Test
    void theOriginFollowsRunTimeChangesAndReset() {
        String atStart = Gemm.thresholdsOrigin();
        GemmThresholds start = Gemm.thresholds();
        try {
            Gemm.setThresholds(new GemmThresholds(1, 1));
            assertEquals("set at run time (Gemm.setThresholds)", Gemm.thresholdsOrigin());
            assertEquals(atStart.isEmpty(), false);
        } finally {
            Gemm.resetThresholds();
        }
        assertEquals(atStart, Gemm.thresholdsOrigin());
        assertEquals(start, Gemm.thresholds());
        String f32 = GemmF32.thresholdsOrigin();
        try {
            GemmF32.setThresholds(new GemmThresholds(1, 1));
            assertEquals("set at run time (GemmF32.setThresholds)", GemmF32.thresholdsOrigin());
        } finally {
            GemmF32.resetThresholds();
        }
        assertEquals(f32, GemmF32.thresholdsOrigin());
    }
}
