package dev.panode.simd;

/**
 * When {@link Gemm#dgemm} (or {@link GemmF32#sgemm}) hands a product to OpenBLAS instead of the Java kernel: only when
 * OpenBLAS is loaded, and either the work {@code m·n·k} is at least {@link #minBlasVolume()} and every one of m, n, k
 * is at least {@link #minBlasDimension()}, or C is at least {@link #minBlasOutputSide()} on both sides (m and n),
 * whatever k, or — for a product in any layout but {@code A·Bᵀ} (the backward products {@code Ḡᵀ·X} and {@code Ḡ·W} of
 * a dense layer's VJP, see {@link #preferBlas(boolean, int, int, int)}) — the work is at least
 * {@link #minBlasBackwardVolume()} and below {@link #maxBlasBackwardVolume()}, with every side at least
 * {@link #minBlasBackwardDimension()} and C at least {@link #minBlasBackwardColumns()} wide, unless it is a deep
 * product ({@code k ≥ }{@link #minJavaDepthPerColumn()}{@code ·n} or
 * {@code k ≥ }{@link #minJavaDepthPerRow()}{@code ·m}, with {@code min(m, n) ≥ }{@link #minJavaDepthSide()}). Below the
 * thresholds the call overhead and the packing of OpenBLAS cost more than they save; above the upper bound a 512-bit
 * Java kernel outruns OpenBLAS's 256-bit kernels again; and deep products with C at least a vector wide were faster on
 * the Java kernels in the surveys (docs/BENCHMARKS.md §69). Each product is decided by its own m, n, k and layout, so a
 * dense layer's two VJP products (same m·n·k and sides, different depths) may go to different backends. A dense layer's
 * VJP ({@link DenseVjpKernel}, {@link DenseVjpKernelF32}) asks one more question first: a block of fewer than
 * {@link #minBlasVjpRows()} rows runs on the Java kernels whatever the other rules say of its two products (a single
 * row in the fused one-row pass, a few rows of a narrow input in the narrow block pass, others row by row or in the
 * Java GEMM), so that a layer's single rows and its small blocks share their kernels and their bits
 * ({@link #javaVjp(int)}).
 *
 * <p>The values in force come from {@link #inForce}: the system properties {@value #VOLUME_PROPERTY},
 * {@value #DIMENSION_PROPERTY}, {@value #OUTPUT_SIDE_PROPERTY}, {@value #BACKWARD_VOLUME_PROPERTY},
 * {@value #BACKWARD_DIMENSION_PROPERTY}, {@value #BACKWARD_MAX_VOLUME_PROPERTY}, {@value #BACKWARD_COLUMNS_PROPERTY},
 * {@value #DEPTH_PER_COLUMN_PROPERTY}, {@value #DEPTH_PER_ROW_PROPERTY}, {@value #DEPTH_SIDE_PROPERTY} and
 * {@value #VJP_ROWS_PROPERTY} when set (an explicit override, the same on every machine), else the base rule chosen by
 * {@value #RULE_PROPERTY}: by default the {@linkplain #rule platform rule}, which depends only on the width of the Java
 * kernel's vectors and of OpenBLAS's kernels ({@link GemmPlatform}), or with {@code measured} the single rule
 * {@link #MEASURED} on every platform (OpenBLAS only for products of 128³ and more). Nothing is timed at start-up, so
 * the choice is fixed for the whole run and the same in every run on the same platform. Small OpenBLAS calls allocate
 * nothing: the bindings make each heap segment once per array and offset and reuse it. {@link Gemm#setThresholds}
 * changes them at run time. {@code new GemmThresholds(Long.MAX_VALUE, 1)} means "always Java";
 * {@code new GemmThresholds(0, 0)} means "OpenBLAS whenever it is loaded". How the rule was measured:
 * docs/BENCHMARKS.md §6.
 *
 * @param minBlasVolume     smallest {@code m·n·k} sent to OpenBLAS by the first rule, ≥ 0
 * @param minBlasDimension  smallest {@code min(m, n, k)} sent to OpenBLAS by the first rule, ≥ 0
 * @param minBlasOutputSide smallest {@code min(m, n)} sent to OpenBLAS by the second rule, ≥ 0
 *                          ({@link Integer#MAX_VALUE}: the rule is off)
 * @param minBlasBackwardVolume smallest {@code m·n·k} of a product not of the form {@code A·Bᵀ} sent to OpenBLAS by
 *                          the third rule, ≥ 0 ({@link Long#MAX_VALUE}: the rule is off)
 * @param minBlasBackwardDimension smallest {@code min(m, n, k)} the third rule sends to OpenBLAS, ≥ 0 (0 or 1: any;
 *                          2 keeps single rows, a batch of one, on the Java kernels)
 * @param maxBlasBackwardVolume the third rule sends only {@code m·n·k} below this, ≥ 1 ({@link Long#MAX_VALUE}: no
 *                          upper bound)
 * @param minBlasVjpRows    smallest number of rows of a dense layer's VJP whose products the rules decide; fewer rows
 *                          run on the Java kernels, ≥ 1 (1: the row rule is off; {@link Integer#MAX_VALUE}: every VJP
 *                          on the Java kernels)
 * @param minBlasBackwardColumns smallest n (C's width) the third rule sends to OpenBLAS, ≥ 0 (0 or 1: any). Both
 *                          products of a dense layer's VJP have n = the layer's input width, so a narrow input's VJP
 *                          (the first layer of a low-dimensional ODE, whose {@code Ḡ·W} the Java kernel computes as
 *                          dot products) can stay on the Java kernels while the wider layers' go to OpenBLAS
 * @param minJavaDepthPerColumn the deep-product exception to the third rule, ≥ 0 (0: off): a product of the other
 *                          layouts whose depth k is at least this many times C's width n ({@code k ≥ perColumn·n}),
 *                          with C at least {@code minJavaDepthSide} on both sides, stays on the Java kernels whatever
 *                          the third rule says. Per product, not per layer: a dense layer's two VJP products share
 *                          m·n·k and their sides but not their depth, so one of them can stay while the other goes
 *                          (d32's input layer 32 → 256 over 256 rows keeps its {@code Ḡ·W}, 256 deep and 32 wide, on
 *                          the Java kernels; the mirrored 256 → 32 layer's {@code Ḡ·W} is 32 deep)
 * @param minJavaDepthPerRow the same exception against C's height: {@code k ≥ perRow·m} (0: off), e.g. the mirrored
 *                          layer's {@code Ḡᵀ·X}, 32 × 256 and 256 deep, which the float Java kernel wins
 * @param minJavaDepthSide  smallest {@code min(m, n)} of a deep product kept on the Java kernels, ≥ 0 (a product with
 *                          C narrower than a vector, or one row, gains from OpenBLAS's kernels whatever its depth)
 */
public record GemmThresholds(long minBlasVolume, int minBlasDimension, int minBlasOutputSide,
                             long minBlasBackwardVolume, int minBlasBackwardDimension, long maxBlasBackwardVolume,
                             int minBlasVjpRows, int minBlasBackwardColumns, int minJavaDepthPerColumn,
                             int minJavaDepthPerRow, int minJavaDepthSide) {

    /** System property overriding {@link #minBlasVolume()} for the whole JVM. */
    public static final String VOLUME_PROPERTY = "panode.gemm.minBlasVolume";
    /** System property overriding {@link #minBlasDimension()} for the whole JVM. */
    public static final String DIMENSION_PROPERTY = "panode.gemm.minBlasDimension";
    /** System property overriding {@link #minBlasOutputSide()} for the whole JVM. */
    public static final String OUTPUT_SIDE_PROPERTY = "panode.gemm.minBlasOutputSide";
    /**
     * System property choosing the base rule: {@code platform} (the default when unset: {@link #rule} for this
     * platform, the fastest choice the four-way survey found) or {@code measured} ({@link #MEASURED} on every platform,
     * the rule before the survey: OpenBLAS only from 128³).
     */
    public static final String RULE_PROPERTY = "panode.gemm.rule";
    /** System property overriding {@link #minBlasBackwardVolume()} for the whole JVM. */
    public static final String BACKWARD_VOLUME_PROPERTY = "panode.gemm.minBlasBackwardVolume";
    /** System property overriding {@link #minBlasBackwardDimension()} for the whole JVM. */
    public static final String BACKWARD_DIMENSION_PROPERTY = "panode.gemm.minBlasBackwardDimension";
    /** System property overriding {@link #minBlasVjpRows()} for the whole JVM (0 and 1 both turn the row rule off). */
    public static final String VJP_ROWS_PROPERTY = "panode.gemm.minBlasVjpRows";
    /** System property overriding {@link #maxBlasBackwardVolume()} for the whole JVM. */
    public static final String BACKWARD_MAX_VOLUME_PROPERTY = "panode.gemm.maxBlasBackwardVolume";
    /** System property overriding {@link #minBlasBackwardColumns()} for the whole JVM. */
    public static final String BACKWARD_COLUMNS_PROPERTY = "panode.gemm.minBlasBackwardColumns";
    /** System property overriding {@link #minJavaDepthPerColumn()} for the whole JVM (0 turns that part off). */
    public static final String DEPTH_PER_COLUMN_PROPERTY = "panode.gemm.minJavaDepthPerColumn";
    /** System property overriding {@link #minJavaDepthPerRow()} for the whole JVM (0 turns that part off). */
    public static final String DEPTH_PER_ROW_PROPERTY = "panode.gemm.minJavaDepthPerRow";
    /** System property overriding {@link #minJavaDepthSide()} for the whole JVM. */
    public static final String DEPTH_SIDE_PROPERTY = "panode.gemm.minJavaDepthSide";

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

    /** The three rules, the third by volume alone (any sides, no upper bound). */
    public GemmThresholds(long minBlasVolume, int minBlasDimension, int minBlasOutputSide, long minBlasBackwardVolume) {
        this(minBlasVolume, minBlasDimension, minBlasOutputSide, minBlasBackwardVolume, 0, Long.MAX_VALUE);
    }

    /** The three rules, the third by volume alone, and the row rule of a dense layer's VJP. */
    public GemmThresholds(long minBlasVolume, int minBlasDimension, int minBlasOutputSide, long minBlasBackwardVolume,
                          int minBlasVjpRows) {
        this(minBlasVolume, minBlasDimension, minBlasOutputSide, minBlasBackwardVolume, 0, Long.MAX_VALUE,
                minBlasVjpRows);
    }

    /** The three rules (the third without a minimum width of C) and the row rule of a dense layer's VJP. */
    public GemmThresholds(long minBlasVolume, int minBlasDimension, int minBlasOutputSide, long minBlasBackwardVolume,
                          int minBlasBackwardDimension, long maxBlasBackwardVolume, int minBlasVjpRows) {
        this(minBlasVolume, minBlasDimension, minBlasOutputSide, minBlasBackwardVolume, minBlasBackwardDimension,
                maxBlasBackwardVolume, minBlasVjpRows, 0);
    }

    /** The three rules and the row rule of a dense layer's VJP, without the deep-product exception. */
    public GemmThresholds(long minBlasVolume, int minBlasDimension, int minBlasOutputSide, long minBlasBackwardVolume,
                          int minBlasBackwardDimension, long maxBlasBackwardVolume, int minBlasVjpRows,
                          int minBlasBackwardColumns) {
        this(minBlasVolume, minBlasDimension, minBlasOutputSide, minBlasBackwardVolume, minBlasBackwardDimension,
                maxBlasBackwardVolume, minBlasVjpRows, minBlasBackwardColumns, 0, 0, 0);
    }

    /** The three rules, without the row rule of a dense layer's VJP. */
    public GemmThresholds(long minBlasVolume, int minBlasDimension, int minBlasOutputSide, long minBlasBackwardVolume,
                          int minBlasBackwardDimension, long maxBlasBackwardVolume) {
        this(minBlasVolume, minBlasDimension, minBlasOutputSide, minBlasBackwardVolume, minBlasBackwardDimension,
                maxBlasBackwardVolume, 1);
    }

    /** Checks that every threshold is ≥ 0, the upper bound of the third rule ≥ 1 and the row minimum ≥ 1. */
    public GemmThresholds {
        if (minJavaDepthPerColumn < 0) {
            throw new IllegalArgumentException("minJavaDepthPerColumn must be >= 0, got " + minJavaDepthPerColumn);
        }
        if (minJavaDepthPerRow < 0) {
            throw new IllegalArgumentException("minJavaDepthPerRow must be >= 0, got " + minJavaDepthPerRow);
        }
        if (minJavaDepthSide < 0) {
            throw new IllegalArgumentException("minJavaDepthSide must be >= 0, got " + minJavaDepthSide);
        }
        if (minBlasBackwardColumns < 0) {
            throw new IllegalArgumentException("minBlasBackwardColumns must be >= 0, got " + minBlasBackwardColumns);
        }
        if (minBlasVjpRows < 1) throw new IllegalArgumentException("minBlasVjpRows must be >= 1, got " + minBlasVjpRows);
        if (minBlasBackwardDimension < 0) {
            throw new IllegalArgumentException("minBlasBackwardDimension must be >= 0, got " + minBlasBackwardDimension);
        }
        if (maxBlasBackwardVolume < 1) {
            throw new IllegalArgumentException("maxBlasBackwardVolume must be >= 1, got " + maxBlasBackwardVolume);
        }
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
        return preferBlas(m, n, k) || !forwardLayout && backward((long) m * n * k, Math.min(m, Math.min(n, k)), n)
                && !deep(m, n, k);
    }

    private boolean backward(long volume, int minSide, int n) {
        return volume >= minBlasBackwardVolume && volume < maxBlasBackwardVolume && minSide >= minBlasBackwardDimension
                && n >= minBlasBackwardColumns;
    }

    /**
     * The deep-product exception: {@code min(m, n) ≥ minJavaDepthSide} and {@code k ≥ minJavaDepthPerColumn·n} or
     * {@code k ≥ minJavaDepthPerRow·m} (each part off at 0).
     */
    private boolean deep(int m, int n, int k) {
        return Math.min(m, n) >= minJavaDepthSide && (minJavaDepthPerColumn > 0 && k >= (long) minJavaDepthPerColumn * n
                || minJavaDepthPerRow > 0 && k >= (long) minJavaDepthPerRow * m);
    }

    /**
     * Whether a dense layer's VJP of {@code rows} rows runs on the Java kernels whatever the rules say of its two
     * products ({@code Ūᵀ·X}, {@code out × in × rows}, and {@code Ū·W}, {@code rows × in × out}): when it has fewer
     * than {@link #minBlasVjpRows()} rows. Its one-row and few-row kernels then give a row alone the same bits as the
     * row has in any block below that size.
     *
     * @return {@code rows < minBlasVjpRows}
     */
    public boolean javaVjp(int rows) {
        return rows < minBlasVjpRows;
    }

    /**
     * @return these thresholds with {@link #minBlasVjpRows()} replaced (e.g. 1 to turn the row rule off)
     * @throws IllegalArgumentException when {@code rows} is below 1
     */
    public GemmThresholds withMinBlasVjpRows(int rows) {
        return new GemmThresholds(minBlasVolume, minBlasDimension, minBlasOutputSide, minBlasBackwardVolume,
                minBlasBackwardDimension, maxBlasBackwardVolume, rows, minBlasBackwardColumns, minJavaDepthPerColumn,
                minJavaDepthPerRow, minJavaDepthSide);
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
                        : ", or, for layouts other than A·Bᵀ, when m·n·k >= " + minBlasBackwardVolume
                                + (maxBlasBackwardVolume == Long.MAX_VALUE ? "" : " and < " + maxBlasBackwardVolume)
                                + (minBlasBackwardDimension <= 1 ? ""
                                        : " and min(m, n, k) >= " + minBlasBackwardDimension)
                                + (minBlasBackwardColumns <= 1 ? "" : " and n >= " + minBlasBackwardColumns)
                                + deepWords())
                + (minBlasVjpRows <= 1 ? ""
                        : " (but a dense layer's VJP of fewer than " + minBlasVjpRows + " rows stays on the Java kernels)");
    }

    /** @return the deep-product exception in words, "" when off */
    private String deepWords() {
        if (minJavaDepthPerColumn == 0 && minJavaDepthPerRow == 0) return "";
        String col = minJavaDepthPerColumn == 0 ? "" : "k >= " + minJavaDepthPerColumn + "·n";
        String row = minJavaDepthPerRow == 0 ? "" : "k >= " + minJavaDepthPerRow + "·m";
        return ", but not when min(m, n) >= " + minJavaDepthSide + " and "
                + (col.isEmpty() ? row : row.isEmpty() ? col : "(" + col + " or " + row + ")");
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
     * The {@link #minBlasVjpRows()} of the platform rule with OpenBLAS's 512-bit kernels: the smallest that keeps a
     * single row's bits in blocks of two and three rows (docs/BENCHMARKS.md §48: a single row's fused pass is
     * 1.1–3.2× faster than OpenBLAS's two calls on every double survey layer; from two rows OpenBLAS wins on the wide
     * layers, the Java kernels on the narrow ones up to four rows).
     */
    static final int SMALL_BLOCK_ROWS_512 = 4;

    /**
     * The {@link #minBlasVolume()} of the platform rule with 512-bit Java vectors against OpenBLAS's 256-bit kernels:
     * 384³ instead of {@link #MEASURED}'s 128³. The per-product layer survey (docs/BENCHMARKS.md §69) had d32's
     * 256 → 256 layer 7–17% faster on the Java kernels in both precisions, forward and VJP, in every run, and the
     * double squares of §36 from 128³ to 384³ 4–40% faster there in two runs of three.
     */
    static final long LARGE_VOLUME_512_ON_256 = 384L * 384 * 384;

    /**
     * The {@link #minJavaDepthPerColumn()} of the platform rule with OpenBLAS's 512-bit kernels and 512-bit Java
     * vectors, and in float also its {@link #minJavaDepthPerRow()}: a VJP product at least 8 times as deep as C is wide
     * (in float: as C is wide or high) stays on the Java kernels. In the per-product layer survey (docs/BENCHMARKS.md
     * §69) those were d32's input-layer {@code Ḡ·W} (256 deep, C 256 × 32; Java 4–9% faster in both precisions),
     * d2_h64_b1024's hidden {@code Ḡᵀ·X} (1024 deep, C 64 × 64; Java 10% faster in double, even in float) and, in float
     * only, d32's output-layer {@code Ḡᵀ·X} (256 deep, C 32 × 256; Java 3–15% faster in float, 10% slower in double),
     * while every product of depth 1/8 to 1 of C's sides was OpenBLAS's or even.
     */
    static final int DEEP_RATIO_512 = 8;

    /**
     * The {@link #minJavaDepthSide()} of the platform rule with OpenBLAS's 512-bit kernels and 512-bit Java vectors:
     * one float vector. Deep products with a narrower C (a 2-D ODE's input layer: {@code Ḡᵀ·X}, 64 × 1024 → 2) or
     * fewer rows (its output layer: {@code Ḡᵀ·X}, 2 × 1024 → 64) were 1.4–5× faster in OpenBLAS.
     */
    static final int DEEP_SIDE_512 = 16;

    /**
     * The platform rule (in force by default): the thresholds for a platform, by the width of the Java kernel's
     * vectors and of OpenBLAS's kernels (docs/BENCHMARKS.md §6.1, §36 and §44 have the surveys behind each row, one
     * OpenBLAS thread):
     * <ul>
     *   <li>OpenBLAS with 512-bit kernels (SkylakeX, Cooperlake, SapphireRapids; they have small-matrix kernels):
     *       {@link #MEASURED} for the forward layout with 512-bit Java vectors (below it the fused Java kernels were
     *       1.08–3.4× faster than dgemm plus its bias pass at every layer of the benchmark nets, §74, and the forward
     *       rounding stays the Java kernels'), with 256-bit ones every layout from
     *       {@code m·n·k ≥ 32768} with every side ≥ 16 (the wide layers' forward passes were 1.4–2.0× faster in
     *       OpenBLAS, §69); every product of the other layouts (a dense layer's VJP) goes to
     *       OpenBLAS, double and float (they were 1.2–15× faster there, and within 15% at the mid-sized ones), but a
     *       dense layer's VJP of fewer than {@value #SMALL_BLOCK_ROWS_512} rows stays on the Java kernels
     *       ({@link #minBlasVjpRows()}): a single row's fused pass was 1.1–3.2× faster than OpenBLAS's two calls on
     *       every double layer of the benchmark nets, and blocks of two and three rows then keep a single row's
     *       bits; and with 512-bit Java vectors a VJP product at least {@value #DEEP_RATIO_512} times as deep as C is
     *       wide (in float: wide or high), with C at least {@value #DEEP_SIDE_512} on both sides, stays on the Java
     *       kernels (the deep-product exception, decided per product: {@link #minJavaDepthPerColumn()},
     *       {@link #minJavaDepthPerRow()}, §69);</li>
     *   <li>256-bit OpenBLAS kernels (Haswell, Zen) and a 256-bit Java kernel (AVX2, or {@code -XX:UseAVX=2}): in
     *       double every layout to OpenBLAS from {@code m·n·k ≥ 32768} with every side ≥ 16 (a 16-row block of a
     *       50-wide layer: its VJP since §44, its forward pass since §69, 15–17% faster there in three runs); in float
     *       every layout from {@code m·n·k ≥ 65536} with every side ≥ 32, and the other layouts also every product
     *       of two rows or more with C at least one float vector (8) wide — a narrow input's VJP stays on the Java
     *       kernels, whose dot products ({@link DotKernelF32}) were 1.1–1.9× faster there (§57); the wide layers of
     *       the benchmark nets were 1.1–2.4× faster there in OpenBLAS, and 1.05–6× faster in the Java kernels (fused,
     *       single-row, narrow-block) at the narrow ones;</li>
     *   <li>256-bit OpenBLAS kernels and a 512-bit Java kernel: double {@link #MEASURED} but from 384³
     *       ({@link #LARGE_VOLUME_512_ON_256}; the Java kernels were faster or within 5% at every layer, and 7–17%
     *       faster at 256³, §69), float the same plus the VJP products of two rows or more
     *       below {@code m·n·k = 131072} with C at least one float vector (16) wide (small row blocks of the wider
     *       layers, 1.3–1.7× faster in OpenBLAS; larger ones up to 1.5× slower there; a narrow input's VJP 1.1–2.4×
     *       faster on the Java kernels, §57);</li>
     *   <li>every other platform (128-bit vectors, no OpenBLAS): {@link #MEASURED}.</li>
     * </ul>
     * Where the rule keeps {@link #MEASURED} for the forward layout, a dense layer's forward product below it runs in
     * the fused Java kernels ({@link DenseKernel}: product, bias and activation in one pass). A single row (batch 1)
     * stays on the Java kernels on 256-bit OpenBLAS kernels in both layouts: its fused one-row kernels were 1.7–6×
     * faster than OpenBLAS's calls plus a bias pass.
     *
     * @param platform        the vector widths to decide by
     * @param singlePrecision true for {@link GemmF32} (float), false for {@link Gemm} (double)
     * @return the thresholds the rule gives that platform
     */
    public static GemmThresholds rule(GemmPlatform platform, boolean singlePrecision) {
        if (platform == null) throw new IllegalArgumentException("platform must be non-null");
        int blas = platform.openblasVectorBits(), java = platform.javaVectorBits();
        if (blas >= 512) {
            boolean deep = java >= 512;
            return new GemmThresholds(deep ? MEASURED.minBlasVolume() : 32_768, deep ? MEASURED.minBlasDimension() : 16,
                    MEASURED.minBlasOutputSide(), 1, 0, Long.MAX_VALUE, SMALL_BLOCK_ROWS_512, 0,
                    deep ? DEEP_RATIO_512 : 0, deep && singlePrecision ? DEEP_RATIO_512 : 0, deep ? DEEP_SIDE_512 : 0);
        }
        // float: a VJP product narrower than a Java vector (a narrow input's, the dot products of DotKernelF32) stays
        int narrow = singlePrecision ? java / Float.SIZE : 0;
        if (blas == 256 && java == 256) {
            return singlePrecision ? new GemmThresholds(65_536, 32, Integer.MAX_VALUE, 1, 2, Long.MAX_VALUE, 1, narrow)
                    : new GemmThresholds(32_768, 16);
        }
        if (blas == 256 && java > 256) {
            return singlePrecision
                    ? new GemmThresholds(LARGE_VOLUME_512_ON_256, MEASURED.minBlasDimension(),
                            MEASURED.minBlasOutputSide(), 1, 2, 131_072, 1, narrow)
                    : new GemmThresholds(LARGE_VOLUME_512_ON_256, MEASURED.minBlasDimension(),
                            MEASURED.minBlasOutputSide());
        }
        return MEASURED;
    }

    /**
     * The thresholds in force at start-up on this platform: the base rule (the {@linkplain #rule platform rule}, or
     * {@link #MEASURED} when {@value #RULE_PROPERTY} is {@code measured}), with each value replaced by its system
     * property when that is set (the override a test or a benchmark uses to fix the choice).
     *
     * @param singlePrecision true for {@link GemmF32}, false for {@link Gemm}
     * @throws IllegalArgumentException when a property is not a non-negative integer, or {@value #RULE_PROPERTY} is
     *                                  neither {@code platform} nor {@code measured} (naming property and value)
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
                longProperty(BACKWARD_VOLUME_PROPERTY, rule.minBlasBackwardVolume()),
                (int) Math.min(Integer.MAX_VALUE,
                        longProperty(BACKWARD_DIMENSION_PROPERTY, rule.minBlasBackwardDimension())),
                positive(BACKWARD_MAX_VOLUME_PROPERTY, longProperty(BACKWARD_MAX_VOLUME_PROPERTY,
                        rule.maxBlasBackwardVolume())),
                (int) Math.max(1, Math.min(Integer.MAX_VALUE, longProperty(VJP_ROWS_PROPERTY, rule.minBlasVjpRows()))),
                (int) Math.min(Integer.MAX_VALUE,
                        longProperty(BACKWARD_COLUMNS_PROPERTY, rule.minBlasBackwardColumns())),
                (int) Math.min(Integer.MAX_VALUE,
                        longProperty(DEPTH_PER_COLUMN_PROPERTY, rule.minJavaDepthPerColumn())),
                (int) Math.min(Integer.MAX_VALUE, longProperty(DEPTH_PER_ROW_PROPERTY, rule.minJavaDepthPerRow())),
                (int) Math.min(Integer.MAX_VALUE, longProperty(DEPTH_SIDE_PROPERTY, rule.minJavaDepthSide())));
        StringBuilder overridden = new StringBuilder();
        for (String name : new String[] {VOLUME_PROPERTY, DIMENSION_PROPERTY, OUTPUT_SIDE_PROPERTY,
                BACKWARD_VOLUME_PROPERTY, BACKWARD_DIMENSION_PROPERTY, BACKWARD_MAX_VOLUME_PROPERTY, VJP_ROWS_PROPERTY,
                BACKWARD_COLUMNS_PROPERTY, DEPTH_PER_COLUMN_PROPERTY, DEPTH_PER_ROW_PROPERTY, DEPTH_SIDE_PROPERTY}) {
            String v = System.getProperty(name);
            if (v != null && !v.isBlank()) overridden.append(overridden.isEmpty() ? "" : " ").append("-D").append(name)
                    .append('=').append(v.strip());
        }
        String base = byPlatform ? "platform rule for " + platform.describe() + " (-D" + RULE_PROPERTY
                + "=measured for the single rule)"
                : "single rule (-D" + RULE_PROPERTY + "=measured), OpenBLAS from 128³ on every platform, on "
                        + platform.describe();
        String origin = overridden.isEmpty() ? base : "override by system properties " + overridden + " (else the "
                + base + ")";
        return new InForce(t, origin);
    }

    /** @return whether {@value #RULE_PROPERTY} asks for the platform rule (true, also when unset) or the single one */
    private static boolean ruleChoice() {
        String v = System.getProperty(RULE_PROPERTY);
        if (v == null || v.isBlank() || v.strip().equals("platform")) return true;
        if (v.strip().equals("measured")) return false;
        throw new IllegalArgumentException("system property " + RULE_PROPERTY + " must be platform or measured, got '"
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

    private static long positive(String name, long value) {
        if (value < 1) {
            throw new IllegalArgumentException("system property " + name + " must be a positive integer, got '"
                    + System.getProperty(name) + "'");
        }
        return value;
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
