package dev.panode.simd;

/**
 * When {@link Gemm#dgemm} hands a product to OpenBLAS instead of the Java kernel {@link GemmKernel}: only when
 * OpenBLAS is loaded, and either the work {@code m·n·k} is at least {@link #minBlasVolume()} and every one of m, n, k
 * is at least {@link #minBlasDimension()}, or C is at least {@link #minBlasOutputSide()} on both sides (m and n), whatever
 * k. Below that the call overhead and the packing of OpenBLAS cost more than they save; a large C with a short k is
 * where the Java kernel's broadcast form (which re-reads a packed Bᵀ panel for every 4 rows) falls behind.
 *
 * <p>The defaults ({@link #MEASURED}) were measured with the JMH benchmark {@code dev.panode.bench.simd.GemmBench}
 * on the reference machine (see docs/benchmarks/simd.md, which also gives the calibration procedure).
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
     * and 2 threads): OpenBLAS from 128 in every dimension (128³ flop volume). The Java kernel was faster at every MLP
     * shape with a dimension of 64 or less (16×2×50, 16×50×2, 1024×2×64, 1024×64×64, 256×256×32, 64³), about even at
     * 256×32×256 and 16×50×50, and OpenBLAS faster from 128³ on (1.6× at 128³, 1.7× at 256³ and 512³). A later run
     * with two forks (docs/BENCHMARKS.md §6) found OpenBLAS 7% faster at 256×256×32 (111 vs 120 µs): C of 256 × 256 or
     * more goes to OpenBLAS whatever k.
     */
    public static final GemmThresholds MEASURED = new GemmThresholds(128L * 128 * 128, 128, 256);

    /** The first rule alone (the second is off). */
    public GemmThresholds(long minBlasVolume, int minBlasDimension) {
        this(minBlasVolume, minBlasDimension, Integer.MAX_VALUE);
    }

    public GemmThresholds {
        if (minBlasOutputSide < 0) {
            throw new IllegalArgumentException("minBlasOutputSide must be >= 0, got " + minBlasOutputSide);
        }
        if (minBlasVolume < 0) throw new IllegalArgumentException("minBlasVolume must be >= 0, got " + minBlasVolume);
        if (minBlasDimension < 0) {
            throw new IllegalArgumentException("minBlasDimension must be >= 0, got " + minBlasDimension);
        }
    }

    /** @return whether an {@code m × n × k} product is large enough for OpenBLAS under these thresholds */
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
