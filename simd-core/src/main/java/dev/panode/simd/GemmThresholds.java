package dev.panode.simd;

/**
 * When {@link Gemm#dgemm} hands a product to OpenBLAS instead of the Java kernel {@link GemmKernel}: only when
 * OpenBLAS is loaded, and either the work {@code m·n·k} is at least {@link #minBlasVolume()} and every one of m, n, k
 * is at least {@link #minBlasDimension()}, or C is at least {@link #minBlasOutputSide()} on both sides (m and n), whatever
 * k. Below that the call overhead and the packing of OpenBLAS cost more than they save; a large C is where
 * OpenBLAS's second thread pays for itself even with a short k (the Java kernel runs on one core).
 *
 * <p>The defaults ({@link #MEASURED}) were measured with {@code dev.panode.bench.simd.GemmCalibration}, which fits
 * the three values to the paired benchmark {@code GemmDuetBench} over a grid of shapes, on the reference machine (see
 * docs/benchmarks/simd.md, which also gives the procedure for another machine).
 * Override them per JVM with the system properties {@value #VOLUME_PROPERTY}, {@value #DIMENSION_PROPERTY} and
 * {@value #OUTPUT_SIDE_PROPERTY}, or at run time with {@link Gemm#setThresholds}.
 * {@code new GemmThresholds(Long.MAX_VALUE, 1)} means "always Java"; {@code new GemmThresholds(0, 0)} means "OpenBLAS
 * whenever it is loaded".
 *
 * @param minBlasVolume     smallest {@code m·n·k} sent to OpenBLAS by the first rule, ≥ 0
 * @param minBlasDimension  smallest {@code min(m, n, k)} sent to OpenBLAS by the first rule, ≥ 0
 * @param minBlasOutputSide smallest {@code min(m, n)} sent to OpenBLAS by the second rule, ≥ 0
 *                          ({@link Integer#MAX_VALUE}: the rule is off)
 */
public record GemmThresholds(long minBlasVolume, int minBlasDimension, int minBlasOutputSide) {

    /** System property overriding {@link #minBlasVolume()} for the whole JVM. */
    public static final String VOLUME_PROPERTY = "panode.gemm.minBlasVolume";
    /** System property overriding {@link #minBlasDimension()} for the whole JVM. */
    public static final String DIMENSION_PROPERTY = "panode.gemm.minBlasDimension";
    /** System property overriding {@link #minBlasOutputSide()} for the whole JVM. */
    public static final String OUTPUT_SIDE_PROPERTY = "panode.gemm.minBlasOutputSide";

    /**
     * The thresholds measured on the reference machine (2 cores, AVX-512, OpenBLAS 0.3.21 with its Haswell kernels
     * and 2 threads) with the reworked, cache-line-aligned kernel (docs/benchmarks/simd.md): OpenBLAS from 128³ with
     * every side at least 128; the output-side rule is off. Each backend alone ({@code GemmBench}, 2 forks, quiet
     * machine) the Java kernel was faster at every MLP shape but 256³ (OpenBLAS 1.16×), including 256×32×256 (1.29×)
     * and 2048×4×256 (1.14×), which the output-side rule had sent to OpenBLAS; 128³ is a tie (OpenBLAS 5%).
     * Interleaved with OpenBLAS ({@code GemmDuetBench}) the Java kernel is slower at those two shapes, because
     * OpenBLAS's second thread spins for a while after each multithreaded call: a program that alternates the two
     * backends on mid-sized products may prefer {@code -Dpanode.gemm.minBlasOutputSide=256}.
     */
    public static final GemmThresholds MEASURED = new GemmThresholds(128L * 128 * 128, 128, Integer.MAX_VALUE);

    /** The first rule alone (the second is off). */
    public GemmThresholds(long minBlasVolume, int minBlasDimension) {
        this(minBlasVolume, minBlasDimension, Integer.MAX_VALUE);
    }

    /** Checks that every threshold is ≥ 0. */
    public GemmThresholds {
        if (minBlasOutputSide < 0) {
            throw new IllegalArgumentException("minBlasOutputSide must be >= 0, got " + minBlasOutputSide);
        }
        if (minBlasVolume < 0) throw new IllegalArgumentException("minBlasVolume must be >= 0, got " + minBlasVolume);
        if (minBlasDimension < 0) {
            throw new IllegalArgumentException("minBlasDimension must be >= 0, got " + minBlasDimension);
        }
    }

    /**
     * Whether a product shape goes to OpenBLAS.
     *
     * @return whether an {@code m × n × k} product is large enough for OpenBLAS under these thresholds
     */
    public boolean preferBlas(int m, int n, int k) {
        return ((long) m * n * k >= minBlasVolume && Math.min(m, Math.min(n, k)) >= minBlasDimension)
                || Math.min(m, n) >= minBlasOutputSide;
    }

    /**
     * {@link #MEASURED}, with each value replaced by its system property when that is set.
     *
     * @throws IllegalArgumentException when a property is not a non-negative integer (naming property and value)
     */
    public static GemmThresholds fromSystemProperties() {
        return new GemmThresholds(
                longProperty(VOLUME_PROPERTY, MEASURED.minBlasVolume()),
                (int) Math.min(Integer.MAX_VALUE, longProperty(DIMENSION_PROPERTY, MEASURED.minBlasDimension())),
                (int) Math.min(Integer.MAX_VALUE, longProperty(OUTPUT_SIDE_PROPERTY, MEASURED.minBlasOutputSide())));
    }

    private static long longProperty(String name, long fallback) {
        String v = System.getProperty(name);
        if (v == null || v.isBlank()) return fallback;
        try {
            long parsed = Long.parseLong(v.strip());
            if (parsed < 0) throw new NumberFormatException();
            return parsed;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("system property " + name + " must be a non-negative integer, got '"
                    + v + "'", e);
        }
    }
}
