package dev.panode.simd;

/**
 * When {@link Gemm#dgemm} (or {@link GemmF32#sgemm}) hands a product to OpenBLAS instead of the Java kernel: only when
 * OpenBLAS is loaded, and either the work {@code m·n·k} is at least {@link #minBlasVolume()} and every one of m, n, k
 * is at least {@link #minBlasDimension()}, or C is at least {@link #minBlasOutputSide()} on both sides (m and n),
 * whatever k, or — for a product in any layout but {@code A·Bᵀ} (the backward products {@code Ḡᵀ·X} and {@code Ḡ·W}
 * of a dense layer's VJP, see {@link #preferBlas(boolean, int, int, int)}) — the work is at least
 * {@link #minBlasBackwardVolume()}, whatever the sides. Below that the call overhead and the packing of OpenBLAS cost
 * more than they save.
 *
 * <p>The values in force come from {@link #inForce}: the system properties {@value #VOLUME_PROPERTY},
 * {@value #DIMENSION_PROPERTY}, {@value #OUTPUT_SIDE_PROPERTY} and {@value #BACKWARD_VOLUME_PROPERTY} when set (an
 * explicit override, the same on every machine), else the base rule chosen by {@value #RULE_PROPERTY}: by default
 * {@link #MEASURED} on every platform (OpenBLAS only for products of 128³ and more, so the small products of a step
 * never pass through the heap-segment wrappers that may allocate, docs/NATIVE.md), or with {@code platform} the
 * {@linkplain #rule platform rule}, which depends only on the width of the Java kernel's vectors and of OpenBLAS's
 * kernels ({@link GemmPlatform}). Nothing is timed at start-up, so the choice is fixed for the whole run and the same
 * in every run on the same platform.
 * {@link Gemm#setThresholds} changes them at run time. {@code new GemmThresholds(Long.MAX_VALUE, 1)} means "always
 * Java"; {@code new GemmThresholds(0, 0)} means "OpenBLAS whenever it is loaded". How the rule was measured:
 * docs/BENCHMARKS.md §6.
 *
 * @param minBlasVolume     smallest {@code m·n·k} sent to OpenBLAS by the first rule, ≥ 0
 * @param minBlasDimension  smallest {@code min(m, n, k)} sent to OpenBLAS by the first rule, ≥ 0
 * @param minBlasOutputSide smallest {@code min(m, n)} sent to OpenBLAS by the second rule, ≥ 0
 *                          ({@link Integer#MAX_VALUE}: the rule is off)
 * @param minBlasBackwardVolume smallest {@code m·n·k} of a product not of the form {@code A·Bᵀ} sent to OpenBLAS by
 *                          the third rule, ≥ 0 ({@link Long#MAX_VALUE}: the rule is off)
 */
public record GemmThresholds(long minBlasVolume, int minBlasDimension, int minBlasOutputSide,
                             long minBlasBackwardVolume) {

    /** System property overriding {@link #minBlasVolume()} for the whole JVM. */
    public static final String VOLUME_PROPERTY = "panode.gemm.minBlasVolume";
    /** System property overriding {@link #minBlasDimension()} for the whole JVM. */
    public static final String DIMENSION_PROPERTY = "panode.gemm.minBlasDimension";
    /** System property overriding {@link #minBlasOutputSide()} for the whole JVM. */
    public static final String OUTPUT_SIDE_PROPERTY = "panode.gemm.minBlasOutputSide";
    /**
     * System property choosing the base rule: {@code default} (unset: {@link #MEASURED} on every platform) or
     * {@code platform} ({@link #rule}, the fastest choice the four-way survey found, which makes more, smaller
     * OpenBLAS calls; each may allocate its heap-segment wrappers, docs/NATIVE.md "Known gap").
     */
    public static final String RULE_PROPERTY = "panode.gemm.rule";
    /** System property overriding {@link #minBlasBackwardVolume()} for the whole JVM. */
    public static final String BACKWARD_VOLUME_PROPERTY = "panode.gemm.minBlasBackwardVolume";

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

    /** The first rule alone (the others are off). */
    public GemmThresholds(long minBlasVolume, int minBlasDimension) {
        this(minBlasVolume, minBlasDimension, Integer.MAX_VALUE);
    }

    /** The first two rules (the backward-layout rule is off). */
    public GemmThresholds(long minBlasVolume, int minBlasDimension, int minBlasOutputSide) {
        this(minBlasVolume, minBlasDimension, minBlasOutputSide, Long.MAX_VALUE);
    }

    /** Checks that every threshold is ≥ 0. */
    public GemmThresholds {
        if (minBlasBackwardVolume < 0) {
            throw new IllegalArgumentException("minBlasBackwardVolume must be >= 0, got " + minBlasBackwardVolume);
        }
        if (minBlasOutputSide < 0) {
            throw new IllegalArgumentException("minBlasOutputSide must be >= 0, got " + minBlasOutputSide);
        }
        if (minBlasVolume < 0) throw new IllegalArgumentException("minBlasVolume must be >= 0, got " + minBlasVolume);
        if (minBlasDimension < 0) {
            throw new IllegalArgumentException("minBlasDimension must be >= 0, got " + minBlasDimension);
        }
    }

    /**
     * Whether a product {@code A·Bᵀ} (the forward layout, {@code X·Wᵀ}) goes to OpenBLAS.
     *
     * @return whether an {@code m × n × k} product is large enough for OpenBLAS under the first two rules
     */
    public boolean preferBlas(int m, int n, int k) {
        return ((long) m * n * k >= minBlasVolume && Math.min(m, Math.min(n, k)) >= minBlasDimension)
                || Math.min(m, n) >= minBlasOutputSide;
    }

    /**
     * Whether a product goes to OpenBLAS, given its layout.
     *
     * @param forwardLayout true for {@code op(A)·op(B) = A·Bᵀ} (transA = NO, transB = YES), false for the others
     * @return {@link #preferBlas(int, int, int)}, or for the other layouts also the third rule
     */
    public boolean preferBlas(boolean forwardLayout, int m, int n, int k) {
        return preferBlas(m, n, k) || !forwardLayout && (long) m * n * k >= minBlasBackwardVolume;
    }

    /**
     * @return the rule in words, for {@code panode info} and logs, e.g. "OpenBLAS when m·n·k >= 2097152 and
     *         min(m, n, k) >= 128 (output-side rule off)"
     */
    public String describe() {
        return "OpenBLAS when m·n·k >= " + minBlasVolume + " and min(m, n, k) >= " + minBlasDimension
                + (minBlasOutputSide == Integer.MAX_VALUE ? " (output-side rule off)"
                        : ", or when min(m, n) >= " + minBlasOutputSide)
                + (minBlasBackwardVolume == Long.MAX_VALUE ? ""
                        : ", or, for layouts other than A·Bᵀ, when m·n·k >= " + minBlasBackwardVolume);
    }

    /**
     * The thresholds in force and where they came from, for {@code panode info} and logs.
     *
     * @param thresholds the values the dispatcher uses
     * @param origin     where they came from, in words: the rule (with its platform), the system properties, or a
     *                   call at run time
     */
    public record InForce(GemmThresholds thresholds, String origin) {
        /** Checks that neither component is null. */
        public InForce {
            if (thresholds == null) throw new IllegalArgumentException("thresholds must be non-null");
            if (origin == null) throw new IllegalArgumentException("origin must be non-null");
        }
    }

    /**
     * The platform rule (in force with {@code -Dpanode.gemm.rule=platform}): the thresholds for a platform, by the width
     * of the Java kernel's vectors and of OpenBLAS's kernels (docs/BENCHMARKS.md §6.1 has the four-way survey behind
     * each row, one OpenBLAS thread, double and float alike unless said). It makes more, smaller OpenBLAS calls than
     * {@link #MEASURED}, and each may allocate its heap-segment wrappers, which is why it is not the default:
     * <ul>
     *   <li>OpenBLAS with 512-bit kernels (SkylakeX, Cooperlake, SapphireRapids; they have small-matrix kernels): every
     *       product not of the form {@code A·Bᵀ} goes to OpenBLAS (the VJP products were 1.2–15× faster there,
     *       within about 12% at the mid-sized ones);</li>
     *   <li>a Java kernel narrower than 512 bits (AVX2, or {@code -XX:UseAVX=2}) against 256- or 512-bit OpenBLAS
     *       kernels: OpenBLAS from 16 in every dimension (OpenBLAS was faster at every surveyed product with all
     *       sides ≥ 16, by 1.1–2.5×); against 256-bit kernels, products not of the form {@code A·Bᵀ} also from
     *       {@code m·n·k ≥ 16384} whatever the sides;</li>
     *   <li>a 512-bit Java kernel, forward layout: {@link #MEASURED} for double (OpenBLAS from 128³; below that the two
     *       are within about ±15% of each other); for float against 512-bit OpenBLAS kernels from 32³ with every
     *       side ≥ 16 (sgemm was 1.2–1.9× faster from there);</li>
     *   <li>every other platform (128-bit vectors, no OpenBLAS): {@link #MEASURED}.</li>
     * </ul>
     * The forward products {@code X·Wᵀ} of a dense layer below these thresholds run in the fused Java kernels
     * ({@link DenseKernel}), which the survey does not time, so the forward rows stay conservative.
     *
     * @param platform        the vector widths to decide by
     * @param singlePrecision true for {@link GemmF32} (float), false for {@link Gemm} (double)
     * @return the thresholds the rule gives that platform
     */
    public static GemmThresholds rule(GemmPlatform platform, boolean singlePrecision) {
        if (platform == null) throw new IllegalArgumentException("platform must be non-null");
        int blas = platform.openblasVectorBits(), java = platform.javaVectorBits();
        GemmThresholds forward;
        if (java == 256 && blas >= 256) forward = OPENBLAS_FROM_16;
        else if (java >= 512 && blas >= 512 && singlePrecision) forward = F32_AVX512;
        else forward = MEASURED;
        long backward = blas >= 512 ? 1 : java == 256 && blas == 256 ? 16_384 : Long.MAX_VALUE;
        return new GemmThresholds(forward.minBlasVolume(), forward.minBlasDimension(), forward.minBlasOutputSide(),
                backward);
    }

    /** OpenBLAS for every product with all sides ≥ 16: the rule's forward row for a 256-bit Java kernel. */
    public static final GemmThresholds OPENBLAS_FROM_16 = new GemmThresholds(16L * 16 * 16, 16);

    /** OpenBLAS from 32³ with every side ≥ 16: the rule's forward float row for 512-bit Java and OpenBLAS kernels. */
    public static final GemmThresholds F32_AVX512 = new GemmThresholds(32L * 32 * 32, 16);

    /**
     * The thresholds in force at start-up on this platform: the base rule ({@link #MEASURED}, or the
     * {@linkplain #rule platform rule} when {@value #RULE_PROPERTY} is {@code platform}), with each value replaced by
     * its system property when that is set (the override a test or a benchmark uses to fix the choice).
     *
     * @param singlePrecision true for {@link GemmF32}, false for {@link Gemm}
     * @throws IllegalArgumentException when a property is not a non-negative integer, or {@value #RULE_PROPERTY} is
     *                                  neither {@code default} nor {@code platform} (naming property and value)
     */
    public static InForce inForce(boolean singlePrecision) {
        return inForce(GemmPlatform.current(), singlePrecision);
    }

    /** {@link #inForce(boolean)} for a given platform. */
    static InForce inForce(GemmPlatform platform, boolean singlePrecision) {
        boolean byPlatform = ruleChoice();
        GemmThresholds rule = byPlatform ? rule(platform, singlePrecision) : MEASURED;
        GemmThresholds t = new GemmThresholds(
                longProperty(VOLUME_PROPERTY, rule.minBlasVolume()),
                (int) Math.min(Integer.MAX_VALUE, longProperty(DIMENSION_PROPERTY, rule.minBlasDimension())),
                (int) Math.min(Integer.MAX_VALUE, longProperty(OUTPUT_SIDE_PROPERTY, rule.minBlasOutputSide())),
                longProperty(BACKWARD_VOLUME_PROPERTY, rule.minBlasBackwardVolume()));
        StringBuilder overridden = new StringBuilder();
        for (String name : new String[] {VOLUME_PROPERTY, DIMENSION_PROPERTY, OUTPUT_SIDE_PROPERTY,
                BACKWARD_VOLUME_PROPERTY}) {
            String v = System.getProperty(name);
            if (v != null && !v.isBlank()) overridden.append(overridden.isEmpty() ? "" : " ").append("-D").append(name)
                    .append('=').append(v.strip());
        }
        String base = byPlatform ? "platform rule (-D" + RULE_PROPERTY + "=platform) for " + platform.describe()
                : "default rule, OpenBLAS from 128³ on every platform (-D" + RULE_PROPERTY + "=platform for the "
                        + "platform rule), on " + platform.describe();
        String origin = overridden.isEmpty() ? base : "override by system properties " + overridden + " (else the "
                + base + ")";
        return new InForce(t, origin);
    }

    /** @return whether {@value #RULE_PROPERTY} asks for the platform rule (true) or the default (false) */
    private static boolean ruleChoice() {
        String v = System.getProperty(RULE_PROPERTY);
        if (v == null || v.isBlank() || v.strip().equals("default")) return false;
        if (v.strip().equals("platform")) return true;
        throw new IllegalArgumentException("system property " + RULE_PROPERTY + " must be default or platform, got '"
                + v + "'");
    }

    /**
     * The double-precision thresholds in force at start-up: {@code inForce(false).thresholds()}.
     *
     * @throws IllegalArgumentException when a property is not a non-negative integer (naming property and value)
     */
    public static GemmThresholds fromSystemProperties() {
        return inForce(false).thresholds();
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
