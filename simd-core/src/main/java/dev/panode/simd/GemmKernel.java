package dev.panode.simd;

import static dev.panode.simd.Simd.LANES;
import static dev.panode.simd.Simd.SPECIES;

import dev.panode.blas.HeapAlignment;
import dev.panode.blas.Transpose;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;

/**
 * The pure-Java register-blocked GEMM: row-major {@code C = α·op(A)·op(B) + β·C}, all four transpose combinations,
 * the same arguments as {@link Gemm#dgemm}.
 *
 * <p>The micro-kernels keep a block of 4 rows × w vectors of C in registers (w = 3, 2 or 1: up to 12 accumulators,
 * 4 × 24 doubles with AVX-512) and, for each {@code p < k}, load w vectors of row {@code p} of {@code op(B)},
 * broadcast four elements of column {@code p} of {@code op(A)} and issue 4·w FMAs (the broadcast form of
 * Goto &amp; van de Geijn 2008); with 512-bit vectors (32 vector registers) the three- and two-vector panels take
 * eight rows at a time (up to 24 accumulators: twice the FMAs per load of B and per loop step), with the same chains
 * and so the same bits. The loops around them follow BLIS (Van Zee &amp; van de Geijn 2015): k is cut into
 * blocks of {@value #KC} and the rows into blocks of {@value #MC}; within a block the column panel loop is outside
 * the row loop, so a {@code KC × w} micro-panel of B (at most 24 KiB) stays in L1 while the rows of A stream past it
 * from L2. {@code op(A)} is read by strides (no packing: a transposed A costs nothing; the eight-row kernels come in
 * one form for A by rows and one for A by columns, each with a single variable stride of A, so that C2 can check the
 * range of A's loads once before the loop (by rows) or merge the checks of its eight adjacent elements (by columns),
 * docs/BENCHMARKS.md §107; with B in micro-panels, below, B's stride is fixed per width too, §110); a transposed B is first packed
 * into a row-major panel held per thread, so that the vector loads are contiguous. From {@value #ALIGN_MIN_WORK}
 * multiply-adds on, B (transposed or not) goes through that panel placed on a cache-line boundary
 * ({@link dev.panode.blas.HeapAlignment}): a load that straddles two lines made the kernel about 30% slower, and
 * where a heap array starts is up to the allocator (256×32×256: 80 µs aligned against 113 µs). With 512-bit vectors
 * that panel holds each k block as micro-panels, one per column panel, rows {@code w·LANES} apart
 * ({@link #packMicroPanels}). The panel widths are chosen so
 * that no block narrower than two vectors is left when that can be avoided (a one-vector block has only four
 * independent FMA chains and runs at half speed); the last partial vector of each row is masked. Cost:
 * {@code m·n·k} FMAs plus, for {@code op(B) = Bᵀ}, one pass over B.
 *
 * <p>Unchecked: {@link Gemm#dgemm} checks the arguments and chooses between this kernel and OpenBLAS. Use this class
 * directly only to benchmark it. It is fastest for the small and skinny products of an MLP over a modest batch;
 * for large square products (from about 256³ on an AVX-512 server) multithreaded OpenBLAS is faster.
 * Nothing is allocated after the first call on a thread (the packing panel grows once).
 */
public final class GemmKernel {
    private GemmKernel() {}

    /** Doubles in the per-thread panel that holds a packed {@code op(B) = Bᵀ} (512 KiB). */
    static final int PACK_CAPACITY = 1 << 16;
    /** Depth of a k block: a {@code KC × 3} vector micro-panel of B is 24 KiB, half an L1 data cache. */
    static final int KC = 128;
    /** Rows of A per row block: {@code MC × KC} doubles of A (512 KiB) stay in L2 across the column panels. */
    static final int MC = 512;
    static final int MR = 4;
    /**
     * Products of at least this many multiply-adds place B's panel on a cache-line boundary (one downcall to find it);
     * smaller ones read B where it is.
     */
    static final long ALIGN_MIN_WORK = 1 << 16;
    private static final ThreadLocal<Panel> PANEL = ThreadLocal.withInitial(Panel::new);

    /**
     * Per-thread space: the panel for B (grown once, with a cache line of slack so that it can start on a line
     * boundary) and a scratch row for lane sums.
     */
    private static final class Panel {
        private static final int SLACK = HeapAlignment.CACHE_LINE / Double.BYTES;
        private double[] packed = new double[0];
        private MemorySegment segment = MemorySegment.ofArray(packed);
        final double[] scratch = new double[DOT_SCRATCH]; // dot products' sums and tails; masked tiles' sums
        /** A masked tile's B ({@link #KC} rows) and C ({@link #MR} rows), a vector apart ({@link #maskedOnCopies}). */
        final double[] edge = new double[(KC + MR) * LANES];

        /** @return an array with at least {@code doubles} elements from {@link #alignedStart} on */
        double[] reserve(int doubles) {
            if (packed.length < doubles + SLACK) {
                packed = new double[Math.max(doubles, Math.min(PACK_CAPACITY, 2 * doubles)) + SLACK];
                segment = MemorySegment.ofArray(packed);
            }
            return packed;
        }

        /** @return the first index of {@link #reserve}'s array that starts a cache line, now (0 if unknown) */
        int alignedStart() {
            return HeapAlignment.firstAlignedIndex(segment);
        }
    }

    /** Unchecked {@code C = α·op(A)·op(B) + β·C}; see {@link Gemm#dgemm} for the meaning of every argument. */
    public static void dgemm(Transpose ta, Transpose tb, int m, int n, int k, double alpha,
                             double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                             double beta, double[] c, int cOff, int ldc) {
        if (m == 0 || n == 0) return;
        if (k == 0 || alpha == 0.0) {
            scale(m, n, beta, c, cOff, ldc);
            return;
        }
        if (ta == Transpose.NO && n < LANES && k >= LANES) {
            dotForm(tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        } else {
            broadcastForm(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        }
    }

    /** The blocked broadcast form (see the class comment), for k ≥ 1 and α ≠ 0. */
    private static void broadcastForm(Transpose ta, Transpose tb, int m, int n, int k, double alpha,
                                      double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                                      double beta, double[] c, int cOff, int ldc) {
        int ars = ta == Transpose.NO ? lda : 1;
        int acs = ta == Transpose.NO ? 1 : lda;
        boolean align = (long) m * n * k >= ALIGN_MIN_WORK;
        if (readsBInPlace(tb, m, n, k)) {
            for (int p0 = 0; p0 < k; p0 += KC) {
                int kb = Math.min(KC, k - p0);
                double betaBlock = p0 == 0 ? beta : 1.0;
                block(m, n, kb, alpha, a, aOff + p0 * acs, ars, acs, b, bOff + p0 * ldb, ldb, betaBlock, c, cOff, ldc);
            }
            return;
        }
        // each k block of op(B) is copied (B) or packed (Bᵀ) into a row-major panel whose rows start a whole number of
        // vectors apart, from a cache-line boundary for the larger products
        int ldp = panelStride(n);
        int kc = panelDepth(ldp);
        Panel ws = PANEL.get();
        double[] panel = ws.reserve(Math.min(kc, k) * ldp);
        int base = align ? ws.alignedStart() : 0;
        if (WIDE_TILES) {
            for (int p0 = 0; p0 < k; p0 += kc) {
                int kb = Math.min(kc, k - p0);
                packMicroPanels(tb, b, tb == Transpose.NO ? bOff + p0 * ldb : bOff + p0, ldb, kb, n, panel, base);
                blockOnMicroPanels(m, n, kb, alpha, a, aOff + p0 * acs, ars, acs, panel, base, p0 == 0 ? beta : 1.0,
                        c, cOff, ldc);
            }
            return;
        }
        for (int p0 = 0; p0 < k; p0 += kc) {
            int kb = Math.min(kc, k - p0);
            if (tb == Transpose.NO) copyRows(b, bOff + p0 * ldb, ldb, kb, n, panel, base, ldp);
            else packTransposed(b, bOff + p0, ldb, kb, n, panel, base, ldp);
            block(m, n, kb, alpha, a, aOff + p0 * acs, ars, acs, panel, base, ldp, p0 == 0 ? beta : 1.0, c, cOff, ldc);
        }
    }

    /** The row stride of a packing panel for {@code n} columns: n rounded up to whole vectors. */
    static int panelStride(int n) {
        return (n + LANES - 1) / LANES * LANES;
    }

    /**
     * The depth of the k blocks of a product whose {@code op(B)} goes through the packing panel with rows {@code ldp}
     * apart ({@code n} rounded up to whole vectors): {@code min(KC, PACK_CAPACITY / ldp)}, at least 1.
     */
    static int panelDepth(int ldp) {
        return Math.max(1, Math.min(KC, PACK_CAPACITY / ldp));
    }

    /**
     * Whether the broadcast form runs on B in place, in k blocks of {@link #KC}: B not transposed and a product under
     * {@link #ALIGN_MIN_WORK} multiply-adds; otherwise each k block of {@code op(B)} goes through the packing panel.
     */
    static boolean readsBInPlace(Transpose tb, int m, int n, int k) {
        return tb == Transpose.NO && (long) m * n * k < ALIGN_MIN_WORK;
    }

    /**
     * The depth of the k blocks the broadcast form cuts {@code C = α·A·op(B) + β·C} into ({@code m × n ← k}): the
     * chains a caller must cut alike to reproduce its bits.
     */
    static int broadcastDepth(Transpose tb, int m, int n, int k) {
        return readsBInPlace(tb, m, n, k) ? KC : panelDepth(panelStride(n));
    }

    /**
     * {@code C = α·A·op(B) + β·C} with A not transposed and the whole of {@code op(B)} (k × n) already packed by the
     * caller, row-major from {@code base} with rows {@code ldp} apart ({@code n} rounded up to whole vectors): the
     * k blocks of the broadcast form ({@link #panelDepth}) on that panel instead of on the per-thread one, so the
     * same sums in the same order, the same bits as {@link #dgemm} for the same product in its broadcast form
     * (A not transposed and, when {@code k ≥ LANES}, {@code n ≥ LANES}: narrower ones are its dot form). For a
     * caller that keeps a packed {@code Bᵀ} across calls (a dense layer's Wᵀ, {@link DenseKernel}); k ≥ 1, α ≠ 0.
     */
    static void onPanel(int m, int n, int k, double alpha, double[] a, int aOff, int lda, double[] panel, int base,
                        int ldp, double beta, double[] c, int cOff, int ldc) {
        int kc = panelDepth(ldp);
        for (int p0 = 0; p0 < k; p0 += kc) {
            block(m, n, Math.min(kc, k - p0), alpha, a, aOff + p0, lda, 1, panel, base + p0 * ldp, ldp,
                    p0 == 0 ? beta : 1.0, c, cOff, ldc);
        }
    }

    /**
     * One k block of {@code op(B)} ({@code kb × n}) copied (B) or packed (Bᵀ) into micro-panels: for each column panel
     * of {@link #block}'s sequence ({@link #panelWidth}), from column j on and {@code w} vectors wide, its {@code kb}
     * rows {@code w·LANES} apart from {@code dst + j·kb}; the last partial vector's columns rows {@code LANES} apart.
     * The same {@code kb · ldp} doubles as the row-major panel, and the kernels read B with a stride fixed per width.
     */
    static void packMicroPanels(Transpose tb, double[] b, int src, int ldb, int kb, int n, double[] panel, int dst) {
        int j = 0;
        while (j < n) {
            int wd = j + LANES <= n ? panelWidth((n - j) / LANES) * LANES : n - j;
            int ld = Math.max(wd, LANES), at = dst + j * kb;
            if (tb == Transpose.YES) packTransposed(b, src + j * ldb, ldb, kb, wd, panel, at, ld);
            else if (wd < LANES) copyRows(b, src + j, ldb, kb, wd, panel, at, ld);
            else copyVectors(b, src + j, ldb, kb, wd, panel, at);
            j += wd;
        }
    }

    /** {@link #block} on B in {@link #packMicroPanels}'s layout from {@code bOff}: the same kernels' chains, the same bits. */
    private static void blockOnMicroPanels(int m, int n, int k, double alpha, double[] a, int aOff, int ars, int acs,
                                           double[] b, int bOff, double beta, double[] c, int cOff, int ldc) {
        for (int i0 = 0; i0 < m; i0 += MC) {
            int i1 = Math.min(m, i0 + MC);
            int j = 0;
            while (j + LANES <= n) {
                int w = panelWidth((n - j) / LANES);
                columnPanel(w, true, i0, i1, k, alpha, a, aOff, ars, acs, b, bOff + j * k, w * LANES, beta, c,
                        cOff + j, ldc);
                j += w * LANES;
            }
            if (j < n) {
                maskedPanel(i0, i1, k, alpha, a, aOff, ars, acs, b, bOff + j * k, LANES, beta, c, cOff + j, ldc, n - j);
            }
        }
    }

    /**
     * {@code panel[dst + p·w + j] = b[src + p·ldb + j]} for {@code p < kb, j < w}, w a whole number of vectors: by
     * vectors, where {@link System#arraycopy}'s call per row of a micro-panel cost more than the copy.
     */
    private static void copyVectors(double[] b, int src, int ldb, int kb, int w, double[] panel, int dst) {
        for (int p = 0; p < kb; p++) {
            for (int j = 0, s = src + p * ldb, d = dst + p * w; j < w; j += LANES) {
                DoubleVector.fromArray(SPECIES, b, s + j).intoArray(panel, d + j);
            }
        }
    }

    /**
     * {@link #onPanel} on a panel that {@link #packMicroPanelsWhole} filled: the same k blocks, the same kernels' chains
     * (with B's row stride fixed per width where the tiles have eight rows), the same bits.
     */
    static void onMicroPanels(int m, int n, int k, double alpha, double[] a, int aOff, int lda, double[] panel,
                              int base, double beta, double[] c, int cOff, int ldc) {
        int ldp = panelStride(n), kc = panelDepth(ldp);
        for (int p0 = 0; p0 < k; p0 += kc) {
            blockOnMicroPanels(m, n, Math.min(kc, k - p0), alpha, a, aOff + p0, lda, 1, panel, base + p0 * ldp,
                    p0 == 0 ? beta : 1.0, c, cOff, ldc);
        }
    }

    /**
     * The whole of {@code op(B) = Bᵀ} (B n × k, rows {@code ldb} apart from {@code src}) packed for {@link #onMicroPanels}:
     * each k block of {@link #panelDepth} rows in {@link #packMicroPanels}'s layout, from {@code dst + p0·ldp}
     * ({@code ldp} = n rounded up to whole vectors): {@code k · ldp} doubles, as {@link #packTransposed}'s whole panel.
     */
    static void packMicroPanelsWhole(double[] b, int src, int ldb, int k, int n, double[] panel, int dst) {
        int ldp = panelStride(n), kc = panelDepth(ldp);
        for (int p0 = 0; p0 < k; p0 += kc) {
            packMicroPanels(Transpose.YES, b, src + p0, ldb, Math.min(kc, k - p0), n, panel, dst + p0 * ldp);
        }
    }

    /** {@code panel[dst + p·ldp + j] = b[src + p·ldb + j]} for {@code p < kb, j < n}. */
    private static void copyRows(double[] b, int src, int ldb, int kb, int n, double[] panel, int dst, int ldp) {
        for (int p = 0; p < kb; p++) System.arraycopy(b, src + p * ldb, panel, dst + p * ldp, n);
    }

    /**
     * {@code panel[dst + p·ldp + j] = b[src + j·ldb + p]} for {@code p < kb, j < n}: eight columns of the panel per
     * pass, so that the reads are eight sequential streams and each step writes eight adjacent doubles (a whole cache
     * line of a panel that starts on one: with four columns per pass every line was written in two passes, and the
     * 256 × 256 packing of a dense layer's Wᵀ took about three times as long, docs/BENCHMARKS.md §87).
     */
    static void packTransposed(double[] b, int src, int ldb, int kb, int n, double[] panel, int dst, int ldp) {
        int j = 0;
        for (; j + 8 <= n; j += 8) {
            int s0 = src + j * ldb, s1 = s0 + ldb, s2 = s1 + ldb, s3 = s2 + ldb;
            int s4 = s3 + ldb, s5 = s4 + ldb, s6 = s5 + ldb, s7 = s6 + ldb;
            for (int p = 0, d = dst + j; p < kb; p++, d += ldp) {
                panel[d] = b[s0 + p];
                panel[d + 1] = b[s1 + p];
                panel[d + 2] = b[s2 + p];
                panel[d + 3] = b[s3 + p];
                panel[d + 4] = b[s4 + p];
                panel[d + 5] = b[s5 + p];
                panel[d + 6] = b[s6 + p];
                panel[d + 7] = b[s7 + p];
            }
        }
        for (; j < n; j++) {
            int s0 = src + j * ldb;
            for (int p = 0, d = dst + j; p < kb; p++, d += ldp) panel[d] = b[s0 + p];
        }
    }

    /**
     * {@code C = α·A·op(B) + β·C} for a C narrower than one vector (an MLP's output layer, or its input cotangent for a
     * low-dimensional state) as dot products along k: the columns of op(B) are made contiguous (packed, {@code n·k}
     * doubles, when B is not transposed) and handed to {@link #dotProducts} with the rows of A. A transposed A is left
     * to the broadcast form: packing its {@code m·k} strided elements costs more than the lanes it would save.
     */
    private static void dotForm(Transpose tb, int m, int n, int k, double alpha, double[] a, int aOff, int lda,
                                double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc) {
        if (tb == Transpose.YES) {
            dotProducts(m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        double[] packed = PANEL.get().reserve(n * k);
        packTransposed(b, bOff, ldb, n, k, packed, 0, k); // packed[j·k + p] = op(B)[p][j] = b[bOff + p·ldb + j]
        dotProducts(m, n, k, alpha, a, aOff, lda, packed, 0, k, beta, c, cOff, ldc);
    }

    /**
     * {@code C = α·A·Bᵀ + β·C} with A (m×k) and B (n×k) both row-major, as dot products of rows vectorised along k:
     * for a C narrower than one vector, where the broadcast form would leave most lanes idle.
     * The lanes of each dot product are added in index order through a per-thread scratch row, so the bits do not
     * depend on the JIT (the order of {@code reduceLanes(ADD)} is unspecified). B's tails are copied once per call
     * when its last row would reach past its array's end, A's for the last block of rows only ({@link #tailsPastEnd}).
     */
    private static void dotProducts(int m, int n, int k, double alpha, double[] a, int aOff, int lda,
                                    double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc) {
        double[] scratch = PANEL.get().scratch;
        boolean copyB = tailsPastEnd(b, bOff, ldb, n, k);
        double[] tb = copyB ? scratch : b;
        int tbOff = copyB ? copyTails(b, bOff, ldb, n, k, scratch, DOT_B_TAILS) : bOff, tldb = copyB ? LANES : ldb;
        int i = 0;
        for (; i + MR <= m; i += MR) {
            int ai = aOff + i * lda;
            boolean copyA = tailsPastEnd(a, ai, lda, MR, k);
            double[] ta = copyA ? scratch : a;
            int tai = copyA ? copyTails(a, ai, lda, MR, k, scratch, DOT_A_TAILS) : ai, tlda = copyA ? LANES : lda;
            for (int j = 0; j < n; j++) {
                dot4x1(k, a, ai, lda, b, bOff + j * ldb, ta, tai, tlda, tb, tbOff + j * tldb, scratch);
                for (int r = 0; r < MR; r++) {
                    put(alpha * laneSum(scratch, r * LANES), beta, c, cOff + (i + r) * ldc + j);
                }
            }
        }
        for (; i < m; i++) {
            int ai = aOff + i * lda;
            boolean copyA = tailsPastEnd(a, ai, 0, 1, k);
            double[] ta = copyA ? scratch : a;
            int tai = copyA ? copyTails(a, ai, 0, 1, k, scratch, DOT_A_TAILS) : ai;
            for (int j = 0; j < n; j++) {
                dot1x1(k, a, ai, b, bOff + j * ldb, ta, tai, tb, tbOff + j * tldb, scratch);
                put(alpha * laneSum(scratch, 0), beta, c, cOff + i * ldc + j);
            }
        }
    }

    /**
     * Where a dot-product scratch row ({@link #DOT_SCRATCH} doubles) keeps copies of B's tails ({@link #copyTails}):
     * after the sums of up to eight dot products, room for {@code LANES} rows (a narrow B has fewer).
     */
    static final int DOT_B_TAILS = 2 * MR * LANES;
    /** Where a dot-product scratch row keeps copies of the tails of a block of up to {@link #MR} rows of A. */
    static final int DOT_A_TAILS = DOT_B_TAILS + LANES * LANES;
    /** The doubles of a dot-product scratch row: eight vectors of sums, then copies of B's and A's tails. */
    static final int DOT_SCRATCH = DOT_A_TAILS + MR * LANES;

    /**
     * Whether the last partial vector of the last of {@code rows} rows ({@code ld} apart from {@code off}, k long),
     * loaded whole from {@code loopBound(k)} on, would reach past the end of {@code x}. The dot products never load
     * such a vector from x, not even under a mask: the Vector API checks a masked access that reaches past an
     * array's end lane by lane ({@code AbstractMask.checkIndexByLane}), and in some C2 compilations that mask is
     * boxed on the heap. Their callers load those tails from copies instead ({@link #copyTails}); the masked lanes
     * are the same, so are the bits. (When k is a multiple of the lanes the tail is empty and its mask all false.)
     */
    static boolean tailsPastEnd(double[] x, int off, int ld, int rows, int k) {
        return off + (rows - 1) * ld + SPECIES.loopBound(k) + LANES > x.length;
    }

    /**
     * Copies the tails {@code [loopBound(k), k)} of {@code rows} rows of {@code src} ({@code ld} apart from
     * {@code off}) to {@code dst[at + r·LANES ..]}, one vector apart, and returns the offset from which a dot-product
     * kernel indexes them as rows of stride {@code LANES}: {@code at − loopBound(k)}.
     */
    static int copyTails(double[] src, int off, int ld, int rows, int k, double[] dst, int at) {
        int p = SPECIES.loopBound(k);
        for (int r = 0; r < rows; r++) { // fewer than LANES elements a row: a plain loop, cheaper than arraycopy's call
            for (int q = p; q < k; q++) dst[at + r * LANES + q - p] = src[off + r * ld + q];
        }
        return at - p;
    }

    /**
     * Lane-wise partial sums of four dot products {@code A[ai + r·lda, ·]·B[bj, ·]} into {@code scratch[r·LANES ..]}.
     * The last partial vector (from {@code p = loopBound(k)}) of A's row r is loaded from
     * {@code ta[tai + r·tlda + p ..]} and B's from {@code tb[tbj + p ..]}, under the mask of its indices in range:
     * the rows themselves ({@code ta = a, tai = ai, tlda = lda}), or copies of their tails that the caller made
     * before ({@link #copyTails}) where a row would reach past its array's end ({@link #tailsPastEnd}). No branch,
     * no call: the vectors stay in registers.
     */
    static void dot4x1(int k, double[] a, int ai, int lda, double[] b, int bj, double[] ta, int tai, int tlda,
                       double[] tb, int tbj, double[] scratch) {
        DoubleVector s0 = DoubleVector.zero(SPECIES), s1 = s0, s2 = s0, s3 = s0;
        int p = 0;
        for (int full = SPECIES.loopBound(k); p < full; p += LANES) {
            DoubleVector bv = DoubleVector.fromArray(SPECIES, b, bj + p);
            s0 = DoubleVector.fromArray(SPECIES, a, ai + p).fma(bv, s0);
            s1 = DoubleVector.fromArray(SPECIES, a, ai + lda + p).fma(bv, s1);
            s2 = DoubleVector.fromArray(SPECIES, a, ai + 2 * lda + p).fma(bv, s2);
            s3 = DoubleVector.fromArray(SPECIES, a, ai + 3 * lda + p).fma(bv, s3);
        }
        VectorMask<Double> tail = SPECIES.indexInRange(p, k); // all false when k is a multiple of LANES
        DoubleVector bv = DoubleVector.fromArray(SPECIES, tb, tbj + p, tail);
        s0 = DoubleVector.fromArray(SPECIES, ta, tai + p, tail).fma(bv, s0);
        s1 = DoubleVector.fromArray(SPECIES, ta, tai + tlda + p, tail).fma(bv, s1);
        s2 = DoubleVector.fromArray(SPECIES, ta, tai + 2 * tlda + p, tail).fma(bv, s2);
        s3 = DoubleVector.fromArray(SPECIES, ta, tai + 3 * tlda + p, tail).fma(bv, s3);
        s0.intoArray(scratch, 0);
        s1.intoArray(scratch, LANES);
        s2.intoArray(scratch, 2 * LANES);
        s3.intoArray(scratch, 3 * LANES);
    }

    /** {@link #dot4x1} for one row of A. */
    static void dot1x1(int k, double[] a, int ai, double[] b, int bj, double[] ta, int tai, double[] tb, int tbj,
                       double[] scratch) {
        DoubleVector s0 = DoubleVector.zero(SPECIES);
        int p = 0;
        for (int full = SPECIES.loopBound(k); p < full; p += LANES) {
            s0 = DoubleVector.fromArray(SPECIES, a, ai + p).fma(DoubleVector.fromArray(SPECIES, b, bj + p), s0);
        }
        VectorMask<Double> tail = SPECIES.indexInRange(p, k);
        s0 = DoubleVector.fromArray(SPECIES, ta, tai + p, tail).fma(DoubleVector.fromArray(SPECIES, tb, tbj + p, tail),
                s0);
        s0.intoArray(scratch, 0);
    }

    static double laneSum(double[] x, int from) {
        double sum = x[from];
        for (int l = 1; l < LANES; l++) sum += x[from + l];
        return sum;
    }

    /** {@code c[ci] = v + β·c[ci]}; β = 0 does not read C. */
    private static void put(double v, double beta, double[] c, int ci) {
        c[ci] = beta == 0.0 ? v : Math.fma(beta, c[ci], v);
    }

    /** Vectors in the next column panel when {@code vectors} full vectors of a row remain: 3, 2 or 1. */
    static int panelWidth(int vectors) {
        return switch (vectors) {
            case 1 -> 1;
            case 2, 4 -> 2;
            default -> 3;
        };
    }

    /**
     * {@code C = α·op(A)·B + β·C} for one k block, with {@code op(A)[i][p] = a[aOff + i·ars + p·acs]} and B row-major.
     * β = 0 writes C without reading it (no NaN from C leaks in): each kernel comes as {@code ...Over} for β = 0 and
     * {@code ...Acc} otherwise, chosen outside it, because a branch on β inside a kernel that has only ever seen one
     * side makes C2 keep its vectors boxed for deoptimisation (kilobytes allocated per call, ten times slower).
     */
    static void block(int m, int n, int k, double alpha, double[] a, int aOff, int ars, int acs,
                              double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc) {
        for (int i0 = 0; i0 < m; i0 += MC) {
            int i1 = Math.min(m, i0 + MC);
            int j = 0;
            while (j + LANES <= n) {
                int w = panelWidth((n - j) / LANES);
                columnPanel(w, false, i0, i1, k, alpha, a, aOff, ars, acs, b, bOff + j, ldb, beta, c, cOff + j, ldc);
                j += w * LANES;
            }
            if (j < n) {
                maskedPanel(i0, i1, k, alpha, a, aOff, ars, acs, b, bOff + j, ldb, beta, c, cOff + j, ldc, n - j);
            }
        }
    }

    /**
     * {@link #block} with β = 0 for a B whose rows are padded to whole vectors and readable there (a packed panel,
     * {@code ldb ≥ n} rounded up to the lanes): the same bits, but where the last column panel is three vectors wide
     * and a partial vector follows it, the rows in groups of four compute both in one pass
     * ({@link #kernel4x3TailOver}), sharing each broadcast of A, where {@link #block} runs the masked one-vector kernel
     * afterwards, bound by its four broadcasts per four FMAs (a 16 × 50 × 50 product: 1.45 against 1.89 µs). The
     * partial vectors go through {@code scratch} ({@code 4·LANES} doubles or more), whose whole vectors are stored
     * and whose first columns are copied to C: no masked store, none past C's end. The other panels are
     * {@link #columnPanel}'s (eight rows at a time with 512-bit vectors).
     */
    static void blockPadded(int m, int n, int k, double alpha, double[] a, int aOff, int ars, int acs,
                            double[] b, int bOff, int ldb, double[] c, int cOff, int ldc, double[] scratch) {
        for (int i0 = 0; i0 < m; i0 += MC) {
            int i1 = Math.min(m, i0 + MC);
            int j = 0;
            while (j + LANES <= n) {
                int w = panelWidth((n - j) / LANES);
                int rest = n - j - w * LANES;
                if (w == 3 && rest > 0 && rest < LANES) {
                    int i = i0;
                    for (; i + MR <= i1; i += MR) {
                        kernel4x3TailOver(k, alpha, a, aOff + i * ars, ars, acs, b, bOff + j, ldb, c,
                                cOff + j + i * ldc, ldc, rest, scratch);
                    }
                    if (i < i1) {
                        columnPanel(w, false, i, i1, k, alpha, a, aOff, ars, acs, b, bOff + j, ldb, 0.0, c, cOff + j, ldc);
                        maskedPanel(i, i1, k, alpha, a, aOff, ars, acs, b, bOff + j + w * LANES, ldb, 0.0, c,
                                cOff + j + w * LANES, ldc, rest);
                    }
                    j = n;
                    break;
                }
                columnPanel(w, false, i0, i1, k, alpha, a, aOff, ars, acs, b, bOff + j, ldb, 0.0, c, cOff + j, ldc);
                j += w * LANES;
            }
            if (j < n) {
                maskedPanel(i0, i1, k, alpha, a, aOff, ars, acs, b, bOff + j, ldb, 0.0, c, cOff + j, ldc, n - j);
            }
        }
    }

    /**
     * Four rows of a three-vector column panel and of the partial vector after it ({@code width < LANES} columns),
     * β = 0: the panel's elements the chains of {@link #kernel4x3Over}, the partial vector's those of
     * {@link #kernel4x1MaskedOver} (even and odd p in two chains, added at the end), so the same bits as the two
     * kernels one after the other. The partial vector of B is loaded whole (B's padding); the four rows' partial
     * vectors are stored whole in {@code tails} and their first {@code width} columns copied to C.
     */
    private static void kernel4x3TailOver(int k, double alpha, double[] a, int ai, int ars, int acs, double[] b,
                                          int bj, int ldb, double[] c, int ci, int ldc, int width,
                                          double[] tails) {
        DoubleVector z = DoubleVector.zero(SPECIES);
        DoubleVector c00 = z, c01 = z, c02 = z, c10 = z, c11 = z, c12 = z;
        DoubleVector c20 = z, c21 = z, c22 = z, c30 = z, c31 = z, c32 = z;
        DoubleVector e0 = z, e1 = z, e2 = z, e3 = z, o0 = z, o1 = z, o2 = z, o3 = z; // the tail's even and odd p
        int p = 0;
        for (; p + 1 < k; p += 2) {
            int bp = bj + p * ldb;
            DoubleVector b0 = DoubleVector.fromArray(SPECIES, b, bp);
            DoubleVector b1 = DoubleVector.fromArray(SPECIES, b, bp + LANES);
            DoubleVector b2 = DoubleVector.fromArray(SPECIES, b, bp + 2 * LANES);
            DoubleVector bt = DoubleVector.fromArray(SPECIES, b, bp + 3 * LANES);
            int ap = ai + p * acs;
            DoubleVector a0 = DoubleVector.broadcast(SPECIES, a[ap]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            c02 = a0.fma(b2, c02);
            e0 = a0.fma(bt, e0);
            DoubleVector a1 = DoubleVector.broadcast(SPECIES, a[ap + ars]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            c12 = a1.fma(b2, c12);
            e1 = a1.fma(bt, e1);
            DoubleVector a2 = DoubleVector.broadcast(SPECIES, a[ap + 2 * ars]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            c22 = a2.fma(b2, c22);
            e2 = a2.fma(bt, e2);
            DoubleVector a3 = DoubleVector.broadcast(SPECIES, a[ap + 3 * ars]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            c32 = a3.fma(b2, c32);
            e3 = a3.fma(bt, e3);
            bp += ldb;
            b0 = DoubleVector.fromArray(SPECIES, b, bp);
            b1 = DoubleVector.fromArray(SPECIES, b, bp + LANES);
            b2 = DoubleVector.fromArray(SPECIES, b, bp + 2 * LANES);
            bt = DoubleVector.fromArray(SPECIES, b, bp + 3 * LANES);
            ap += acs;
            a0 = DoubleVector.broadcast(SPECIES, a[ap]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            c02 = a0.fma(b2, c02);
            o0 = a0.fma(bt, o0);
            a1 = DoubleVector.broadcast(SPECIES, a[ap + ars]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            c12 = a1.fma(b2, c12);
            o1 = a1.fma(bt, o1);
            a2 = DoubleVector.broadcast(SPECIES, a[ap + 2 * ars]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            c22 = a2.fma(b2, c22);
            o2 = a2.fma(bt, o2);
            a3 = DoubleVector.broadcast(SPECIES, a[ap + 3 * ars]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            c32 = a3.fma(b2, c32);
            o3 = a3.fma(bt, o3);
        }
        if (p < k) {
            int bp = bj + p * ldb;
            DoubleVector b0 = DoubleVector.fromArray(SPECIES, b, bp);
            DoubleVector b1 = DoubleVector.fromArray(SPECIES, b, bp + LANES);
            DoubleVector b2 = DoubleVector.fromArray(SPECIES, b, bp + 2 * LANES);
            DoubleVector bt = DoubleVector.fromArray(SPECIES, b, bp + 3 * LANES);
            int ap = ai + p * acs;
            DoubleVector a0 = DoubleVector.broadcast(SPECIES, a[ap]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            c02 = a0.fma(b2, c02);
            e0 = a0.fma(bt, e0);
            DoubleVector a1 = DoubleVector.broadcast(SPECIES, a[ap + ars]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            c12 = a1.fma(b2, c12);
            e1 = a1.fma(bt, e1);
            DoubleVector a2 = DoubleVector.broadcast(SPECIES, a[ap + 2 * ars]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            c22 = a2.fma(b2, c22);
            e2 = a2.fma(bt, e2);
            DoubleVector a3 = DoubleVector.broadcast(SPECIES, a[ap + 3 * ars]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            c32 = a3.fma(b2, c32);
            e3 = a3.fma(bt, e3);
        }
        DoubleVector av = DoubleVector.broadcast(SPECIES, alpha);
        c00.mul(av).intoArray(c, ci);
        c01.mul(av).intoArray(c, ci + LANES);
        c02.mul(av).intoArray(c, ci + 2 * LANES);
        e0.add(o0).mul(av).intoArray(tails, 0);
        c10.mul(av).intoArray(c, ci + ldc);
        c11.mul(av).intoArray(c, ci + ldc + LANES);
        c12.mul(av).intoArray(c, ci + ldc + 2 * LANES);
        e1.add(o1).mul(av).intoArray(tails, LANES);
        c20.mul(av).intoArray(c, ci + 2 * ldc);
        c21.mul(av).intoArray(c, ci + 2 * ldc + LANES);
        c22.mul(av).intoArray(c, ci + 2 * ldc + 2 * LANES);
        e2.add(o2).mul(av).intoArray(tails, 2 * LANES);
        c30.mul(av).intoArray(c, ci + 3 * ldc);
        c31.mul(av).intoArray(c, ci + 3 * ldc + LANES);
        c32.mul(av).intoArray(c, ci + 3 * ldc + 2 * LANES);
        e3.add(o3).mul(av).intoArray(tails, 3 * LANES);
        // the partial vectors' columns from the scratch: no masked store, none past C's end
        for (int r = 0, t = ci + 3 * LANES; r < MR; r++, t += ldc) {
            for (int j = 0; j < width; j++) c[t + j] = tails[r * LANES + j];
        }
    }

    /** Rows {@code [i0, i1)} of one column panel {@code w} vectors wide. */
    private static void columnPanel(int w, boolean micro, int i0, int i1, int k, double alpha, double[] a, int aOff,
                                    int ars, int acs, double[] b, int bj, int ldb, double beta, double[] c, int cj, int ldc) {
        boolean over = beta == 0.0;
        int i = i0;
        if (w > 1 && WIDE_TILES && acs == 1) {
            for (; i + 2 * MR <= i1; i += 2 * MR) {
                int ai = aOff + i * ars, ci = cj + i * ldc;
                if (micro && w == 3) {
                    if (over) kernel8x3OverMicro(k, alpha, a, ai, ars, b, bj, c, ci, ldc);
                    else kernel8x3AccMicro(k, alpha, a, ai, ars, b, bj, beta, c, ci, ldc);
                } else if (micro) {
                    if (over) kernel8x2OverMicro(k, alpha, a, ai, ars, b, bj, c, ci, ldc);
                    else kernel8x2AccMicro(k, alpha, a, ai, ars, b, bj, beta, c, ci, ldc);
                } else if (w == 3) {
                    if (over) kernel8x3Over(k, alpha, a, ai, ars, b, bj, ldb, c, ci, ldc);
                    else kernel8x3Acc(k, alpha, a, ai, ars, b, bj, ldb, beta, c, ci, ldc);
                } else {
                    if (over) kernel8x2Over(k, alpha, a, ai, ars, b, bj, ldb, c, ci, ldc);
                    else kernel8x2Acc(k, alpha, a, ai, ars, b, bj, ldb, beta, c, ci, ldc);
                }
            }
        } else if (w > 1 && WIDE_TILES && ars == 1) {
            for (; i + 2 * MR <= i1; i += 2 * MR) {
                int ai = aOff + i, ci = cj + i * ldc;
                if (micro && w == 3) {
                    if (over) kernel8x3OverTMicro(k, alpha, a, ai, acs, b, bj, c, ci, ldc);
                    else kernel8x3AccTMicro(k, alpha, a, ai, acs, b, bj, beta, c, ci, ldc);
                } else if (micro) {
                    if (over) kernel8x2OverTMicro(k, alpha, a, ai, acs, b, bj, c, ci, ldc);
                    else kernel8x2AccTMicro(k, alpha, a, ai, acs, b, bj, beta, c, ci, ldc);
                } else if (w == 3) {
                    if (over) kernel8x3OverT(k, alpha, a, ai, acs, b, bj, ldb, c, ci, ldc);
                    else kernel8x3AccT(k, alpha, a, ai, acs, b, bj, ldb, beta, c, ci, ldc);
                } else {
                    if (over) kernel8x2OverT(k, alpha, a, ai, acs, b, bj, ldb, c, ci, ldc);
                    else kernel8x2AccT(k, alpha, a, ai, acs, b, bj, ldb, beta, c, ci, ldc);
                }
            }
        }
        for (; i + MR <= i1; i += MR) {
            int ai = aOff + i * ars, ci = cj + i * ldc;
            switch (w) {
                case 3 -> {
                    if (over) kernel4x3Over(k, alpha, a, ai, ars, acs, b, bj, ldb, c, ci, ldc);
                    else kernel4x3Acc(k, alpha, a, ai, ars, acs, b, bj, ldb, beta, c, ci, ldc);
                }
                case 2 -> {
                    if (over) kernel4x2Over(k, alpha, a, ai, ars, acs, b, bj, ldb, c, ci, ldc);
                    else kernel4x2Acc(k, alpha, a, ai, ars, acs, b, bj, ldb, beta, c, ci, ldc);
                }
                default -> {
                    if (over) kernel4x1Over(k, alpha, a, ai, ars, acs, b, bj, ldb, c, ci, ldc);
                    else kernel4x1Acc(k, alpha, a, ai, ars, acs, b, bj, ldb, beta, c, ci, ldc);
                }
            }
        }
        for (; i < i1; i++) {
            int ai = aOff + i * ars, ci = cj + i * ldc;
            switch (w) {
                case 3 -> {
                    if (over) kernel1x3Over(k, alpha, a, ai, acs, b, bj, ldb, c, ci);
                    else kernel1x3Acc(k, alpha, a, ai, acs, b, bj, ldb, beta, c, ci);
                }
                case 2 -> {
                    if (over) kernel1x2Over(k, alpha, a, ai, acs, b, bj, ldb, c, ci);
                    else kernel1x2Acc(k, alpha, a, ai, acs, b, bj, ldb, beta, c, ci);
                }
                default -> {
                    if (over) kernel1x1Over(k, alpha, a, ai, acs, b, bj, ldb, c, ci);
                    else kernel1x1Acc(k, alpha, a, ai, acs, b, bj, ldb, beta, c, ci);
                }
            }
        }
    }

    /** Rows {@code [i0, i1)} of the last {@code width < LANES} columns. */
    private static void maskedPanel(int i0, int i1, int k, double alpha, double[] a, int aOff, int ars, int acs,
                                    double[] b, int bj, int ldb, double beta, double[] c, int cj, int ldc, int width) {
        boolean over = beta == 0.0;
        double[] scratch = over ? null : PANEL.get().scratch;
        int i = i0;
        for (; i + MR <= i1; i += MR) {
            int ai = aOff + i * ars, ci = cj + i * ldc;
            if (pastEnd(k, b, bj, ldb, MR, c, ci, ldc)) {
                maskedOnCopies(MR, k, alpha, a, ai, ars, acs, b, bj, ldb, beta, c, ci, ldc, width);
            } else if (over) {
                kernel4x1MaskedOver(k, alpha, a, ai, ars, acs, b, bj, ldb, c, ci, ldc, width);
            } else {
                kernel4x1MaskedAcc(k, alpha, a, ai, ars, acs, b, bj, ldb, beta, c, ci, ldc, width, scratch);
            }
        }
        for (; i < i1; i++) {
            int ai = aOff + i * ars, ci = cj + i * ldc;
            if (pastEnd(k, b, bj, ldb, 1, c, ci, 0)) {
                maskedOnCopies(1, k, alpha, a, ai, ars, acs, b, bj, ldb, beta, c, ci, 0, width);
            } else if (over) {
                kernel1x1MaskedOver(k, alpha, a, ai, acs, b, bj, ldb, c, ci, width);
            } else {
                kernel1x1MaskedAcc(k, alpha, a, ai, acs, b, bj, ldb, beta, c, ci, width);
            }
        }
    }

    /**
     * Whether a masked tile ({@code rows} rows of C from {@code ci}, k rows of B from {@code bj}) would load or store
     * a vector that reaches past the end of b or c (see {@link Simd#pastEnd}); such a tile runs on copies.
     */
    private static boolean pastEnd(int k, double[] b, int bj, int ldb, int rows, double[] c, int ci, int ldc) {
        return bj + (k - 1) * ldb + LANES > b.length || ci + (rows - 1) * ldc + LANES > c.length;
    }

    /**
     * A masked tile of {@code rows} (4 or 1) rows whose vectors would reach past the end of b or c, computed by the
     * same kernel on copies of its part of B (when b is the short one) and of C, one vector apart in the per-thread
     * scratch, then C copied back: the same operations on the same lanes, so the same bits, with every masked access
     * inside an array.
     */
    private static void maskedOnCopies(int rows, int k, double alpha, double[] a, int ai, int ars, int acs,
                                       double[] b, int bj, int ldb, double beta, double[] c, int ci, int ldc,
                                       int width) {
        Panel ws = PANEL.get();
        double[] e = ws.edge;
        int ce = KC * LANES;
        if (bj + (k - 1) * ldb + LANES > b.length) {
            for (int p = 0; p < k; p++) System.arraycopy(b, bj + p * ldb, e, p * LANES, width);
            b = e;
            bj = 0;
            ldb = LANES;
        }
        for (int r = 0; r < rows; r++) System.arraycopy(c, ci + r * ldc, e, ce + r * LANES, width);
        boolean over = beta == 0.0;
        if (rows == MR && over) {
            kernel4x1MaskedOver(k, alpha, a, ai, ars, acs, b, bj, ldb, e, ce, LANES, width);
        } else if (rows == MR) {
            kernel4x1MaskedAcc(k, alpha, a, ai, ars, acs, b, bj, ldb, beta, e, ce, LANES, width, ws.scratch);
        } else if (over) {
            kernel1x1MaskedOver(k, alpha, a, ai, acs, b, bj, ldb, e, ce, width);
        } else {
            kernel1x1MaskedAcc(k, alpha, a, ai, acs, b, bj, ldb, beta, e, ce, width);
        }
        for (int r = 0; r < rows; r++) System.arraycopy(e, ce + r * LANES, c, ci + r * ldc, width);
    }

    /**
     * Whether the vector registers hold {@link #kernel8x3Over}'s 24 accumulators and its four operands: 512-bit
     * vectors, which come with AVX-512's 32 registers (AVX2 has 16).
     */
    static final boolean WIDE_TILES = SPECIES.vectorBitSize() >= 512;

    /**
     * {@link #kernel4x3Over} for eight rows of A by rows ({@code acs = 1}: A not transposed): each element the same
     * chain and the same product by α, so the same bits as two calls of the four-row kernel, with twice the FMAs per
     * load of B and per loop step (the four-row kernel's loads, broadcasts, index checks and branch run at about the
     * rate of its FMAs, docs/BENCHMARKS.md §74, §87). For 512-bit vectors ({@link #WIDE_TILES}): 24 accumulators and
     * four operands. A's column stride is the constant 1, so each row's index is the loop's counter plus an invariant
     * and C2 can check its range once before the loop; {@link #kernel8x3OverT} is the form for A by columns.
     */
    private static void kernel8x3Over(int k, double alpha, double[] a, int ai, int ars,
                                     double[] b, int bj, int ldb, double[] c, int ci, int ldc) {
        DoubleVector c00 = DoubleVector.zero(SPECIES), c01 = c00, c02 = c00;
        DoubleVector c10 = c00, c11 = c00, c12 = c00;
        DoubleVector c20 = c00, c21 = c00, c22 = c00;
        DoubleVector c30 = c00, c31 = c00, c32 = c00;
        DoubleVector c40 = c00, c41 = c00, c42 = c00;
        DoubleVector c50 = c00, c51 = c00, c52 = c00;
        DoubleVector c60 = c00, c61 = c00, c62 = c00;
        DoubleVector c70 = c00, c71 = c00, c72 = c00;
        for (int p = 0; p < k; p++) {
            int bp = bj + p * ldb;
            DoubleVector b0 = DoubleVector.fromArray(SPECIES, b, bp);
            DoubleVector b1 = DoubleVector.fromArray(SPECIES, b, bp + LANES);
            DoubleVector b2 = DoubleVector.fromArray(SPECIES, b, bp + 2 * LANES);
            int ap = ai + p;
            DoubleVector a0 = DoubleVector.broadcast(SPECIES, a[ap]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            c02 = a0.fma(b2, c02);
            DoubleVector a1 = DoubleVector.broadcast(SPECIES, a[ap + ars]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            c12 = a1.fma(b2, c12);
            DoubleVector a2 = DoubleVector.broadcast(SPECIES, a[ap + 2 * ars]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            c22 = a2.fma(b2, c22);
            DoubleVector a3 = DoubleVector.broadcast(SPECIES, a[ap + 3 * ars]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            c32 = a3.fma(b2, c32);
            DoubleVector a4 = DoubleVector.broadcast(SPECIES, a[ap + 4 * ars]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            c42 = a4.fma(b2, c42);
            DoubleVector a5 = DoubleVector.broadcast(SPECIES, a[ap + 5 * ars]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
            c52 = a5.fma(b2, c52);
            DoubleVector a6 = DoubleVector.broadcast(SPECIES, a[ap + 6 * ars]);
            c60 = a6.fma(b0, c60);
            c61 = a6.fma(b1, c61);
            c62 = a6.fma(b2, c62);
            DoubleVector a7 = DoubleVector.broadcast(SPECIES, a[ap + 7 * ars]);
            c70 = a7.fma(b0, c70);
            c71 = a7.fma(b1, c71);
            c72 = a7.fma(b2, c72);
        }
        DoubleVector av = DoubleVector.broadcast(SPECIES, alpha);
        c00.mul(av).intoArray(c, ci);
        c01.mul(av).intoArray(c, ci + LANES);
        c02.mul(av).intoArray(c, ci + 2 * LANES);
        c10.mul(av).intoArray(c, ci + ldc);
        c11.mul(av).intoArray(c, ci + ldc + LANES);
        c12.mul(av).intoArray(c, ci + ldc + 2 * LANES);
        c20.mul(av).intoArray(c, ci + 2 * ldc);
        c21.mul(av).intoArray(c, ci + 2 * ldc + LANES);
        c22.mul(av).intoArray(c, ci + 2 * ldc + 2 * LANES);
        c30.mul(av).intoArray(c, ci + 3 * ldc);
        c31.mul(av).intoArray(c, ci + 3 * ldc + LANES);
        c32.mul(av).intoArray(c, ci + 3 * ldc + 2 * LANES);
        c40.mul(av).intoArray(c, ci + 4 * ldc);
        c41.mul(av).intoArray(c, ci + 4 * ldc + LANES);
        c42.mul(av).intoArray(c, ci + 4 * ldc + 2 * LANES);
        c50.mul(av).intoArray(c, ci + 5 * ldc);
        c51.mul(av).intoArray(c, ci + 5 * ldc + LANES);
        c52.mul(av).intoArray(c, ci + 5 * ldc + 2 * LANES);
        c60.mul(av).intoArray(c, ci + 6 * ldc);
        c61.mul(av).intoArray(c, ci + 6 * ldc + LANES);
        c62.mul(av).intoArray(c, ci + 6 * ldc + 2 * LANES);
        c70.mul(av).intoArray(c, ci + 7 * ldc);
        c71.mul(av).intoArray(c, ci + 7 * ldc + LANES);
        c72.mul(av).intoArray(c, ci + 7 * ldc + 2 * LANES);
    }

    /** {@link #kernel8x3Over} for A by columns ({@code ars = 1}: a transposed A), its eight elements of column p adjacent. */
    private static void kernel8x3OverT(int k, double alpha, double[] a, int ai, int acs,
                                     double[] b, int bj, int ldb, double[] c, int ci, int ldc) {
        DoubleVector c00 = DoubleVector.zero(SPECIES), c01 = c00, c02 = c00;
        DoubleVector c10 = c00, c11 = c00, c12 = c00;
        DoubleVector c20 = c00, c21 = c00, c22 = c00;
        DoubleVector c30 = c00, c31 = c00, c32 = c00;
        DoubleVector c40 = c00, c41 = c00, c42 = c00;
        DoubleVector c50 = c00, c51 = c00, c52 = c00;
        DoubleVector c60 = c00, c61 = c00, c62 = c00;
        DoubleVector c70 = c00, c71 = c00, c72 = c00;
        for (int p = 0; p < k; p++) {
            int bp = bj + p * ldb;
            DoubleVector b0 = DoubleVector.fromArray(SPECIES, b, bp);
            DoubleVector b1 = DoubleVector.fromArray(SPECIES, b, bp + LANES);
            DoubleVector b2 = DoubleVector.fromArray(SPECIES, b, bp + 2 * LANES);
            int ap = ai + p * acs;
            DoubleVector a0 = DoubleVector.broadcast(SPECIES, a[ap]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            c02 = a0.fma(b2, c02);
            DoubleVector a1 = DoubleVector.broadcast(SPECIES, a[ap + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            c12 = a1.fma(b2, c12);
            DoubleVector a2 = DoubleVector.broadcast(SPECIES, a[ap + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            c22 = a2.fma(b2, c22);
            DoubleVector a3 = DoubleVector.broadcast(SPECIES, a[ap + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            c32 = a3.fma(b2, c32);
            DoubleVector a4 = DoubleVector.broadcast(SPECIES, a[ap + 4]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            c42 = a4.fma(b2, c42);
            DoubleVector a5 = DoubleVector.broadcast(SPECIES, a[ap + 5]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
            c52 = a5.fma(b2, c52);
            DoubleVector a6 = DoubleVector.broadcast(SPECIES, a[ap + 6]);
            c60 = a6.fma(b0, c60);
            c61 = a6.fma(b1, c61);
            c62 = a6.fma(b2, c62);
            DoubleVector a7 = DoubleVector.broadcast(SPECIES, a[ap + 7]);
            c70 = a7.fma(b0, c70);
            c71 = a7.fma(b1, c71);
            c72 = a7.fma(b2, c72);
        }
        DoubleVector av = DoubleVector.broadcast(SPECIES, alpha);
        c00.mul(av).intoArray(c, ci);
        c01.mul(av).intoArray(c, ci + LANES);
        c02.mul(av).intoArray(c, ci + 2 * LANES);
        c10.mul(av).intoArray(c, ci + ldc);
        c11.mul(av).intoArray(c, ci + ldc + LANES);
        c12.mul(av).intoArray(c, ci + ldc + 2 * LANES);
        c20.mul(av).intoArray(c, ci + 2 * ldc);
        c21.mul(av).intoArray(c, ci + 2 * ldc + LANES);
        c22.mul(av).intoArray(c, ci + 2 * ldc + 2 * LANES);
        c30.mul(av).intoArray(c, ci + 3 * ldc);
        c31.mul(av).intoArray(c, ci + 3 * ldc + LANES);
        c32.mul(av).intoArray(c, ci + 3 * ldc + 2 * LANES);
        c40.mul(av).intoArray(c, ci + 4 * ldc);
        c41.mul(av).intoArray(c, ci + 4 * ldc + LANES);
        c42.mul(av).intoArray(c, ci + 4 * ldc + 2 * LANES);
        c50.mul(av).intoArray(c, ci + 5 * ldc);
        c51.mul(av).intoArray(c, ci + 5 * ldc + LANES);
        c52.mul(av).intoArray(c, ci + 5 * ldc + 2 * LANES);
        c60.mul(av).intoArray(c, ci + 6 * ldc);
        c61.mul(av).intoArray(c, ci + 6 * ldc + LANES);
        c62.mul(av).intoArray(c, ci + 6 * ldc + 2 * LANES);
        c70.mul(av).intoArray(c, ci + 7 * ldc);
        c71.mul(av).intoArray(c, ci + 7 * ldc + LANES);
        c72.mul(av).intoArray(c, ci + 7 * ldc + 2 * LANES);
    }

    /** {@link #kernel8x3Over} with {@code C = α·s + β·C}: the bits of two calls of {@link #kernel4x3Acc}. */
    private static void kernel8x3Acc(int k, double alpha, double[] a, int ai, int ars,
                                     double[] b, int bj, int ldb, double beta, double[] c, int ci, int ldc) {
        DoubleVector c00 = DoubleVector.zero(SPECIES), c01 = c00, c02 = c00;
        DoubleVector c10 = c00, c11 = c00, c12 = c00;
        DoubleVector c20 = c00, c21 = c00, c22 = c00;
        DoubleVector c30 = c00, c31 = c00, c32 = c00;
        DoubleVector c40 = c00, c41 = c00, c42 = c00;
        DoubleVector c50 = c00, c51 = c00, c52 = c00;
        DoubleVector c60 = c00, c61 = c00, c62 = c00;
        DoubleVector c70 = c00, c71 = c00, c72 = c00;
        for (int p = 0; p < k; p++) {
            int bp = bj + p * ldb;
            DoubleVector b0 = DoubleVector.fromArray(SPECIES, b, bp);
            DoubleVector b1 = DoubleVector.fromArray(SPECIES, b, bp + LANES);
            DoubleVector b2 = DoubleVector.fromArray(SPECIES, b, bp + 2 * LANES);
            int ap = ai + p;
            DoubleVector a0 = DoubleVector.broadcast(SPECIES, a[ap]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            c02 = a0.fma(b2, c02);
            DoubleVector a1 = DoubleVector.broadcast(SPECIES, a[ap + ars]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            c12 = a1.fma(b2, c12);
            DoubleVector a2 = DoubleVector.broadcast(SPECIES, a[ap + 2 * ars]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            c22 = a2.fma(b2, c22);
            DoubleVector a3 = DoubleVector.broadcast(SPECIES, a[ap + 3 * ars]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            c32 = a3.fma(b2, c32);
            DoubleVector a4 = DoubleVector.broadcast(SPECIES, a[ap + 4 * ars]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            c42 = a4.fma(b2, c42);
            DoubleVector a5 = DoubleVector.broadcast(SPECIES, a[ap + 5 * ars]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
            c52 = a5.fma(b2, c52);
            DoubleVector a6 = DoubleVector.broadcast(SPECIES, a[ap + 6 * ars]);
            c60 = a6.fma(b0, c60);
            c61 = a6.fma(b1, c61);
            c62 = a6.fma(b2, c62);
            DoubleVector a7 = DoubleVector.broadcast(SPECIES, a[ap + 7 * ars]);
            c70 = a7.fma(b0, c70);
            c71 = a7.fma(b1, c71);
            c72 = a7.fma(b2, c72);
        }
        DoubleVector av = DoubleVector.broadcast(SPECIES, alpha), bv = DoubleVector.broadcast(SPECIES, beta);
        c00.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci).mul(bv)).intoArray(c, ci);
        c01.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + LANES).mul(bv)).intoArray(c, ci + LANES);
        c02.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 2 * LANES).mul(bv)).intoArray(c, ci + 2 * LANES);
        c10.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + ldc).mul(bv)).intoArray(c, ci + ldc);
        c11.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + ldc + LANES).mul(bv)).intoArray(c, ci + ldc + LANES);
        c12.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + ldc + 2 * LANES).mul(bv))
                .intoArray(c, ci + ldc + 2 * LANES);
        c20.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 2 * ldc).mul(bv)).intoArray(c, ci + 2 * ldc);
        c21.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 2 * ldc + LANES).mul(bv))
                .intoArray(c, ci + 2 * ldc + LANES);
        c22.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 2 * ldc + 2 * LANES).mul(bv))
                .intoArray(c, ci + 2 * ldc + 2 * LANES);
        c30.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 3 * ldc).mul(bv)).intoArray(c, ci + 3 * ldc);
        c31.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 3 * ldc + LANES).mul(bv))
                .intoArray(c, ci + 3 * ldc + LANES);
        c32.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 3 * ldc + 2 * LANES).mul(bv))
                .intoArray(c, ci + 3 * ldc + 2 * LANES);
        c40.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 4 * ldc).mul(bv)).intoArray(c, ci + 4 * ldc);
        c41.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 4 * ldc + LANES).mul(bv))
                .intoArray(c, ci + 4 * ldc + LANES);
        c42.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 4 * ldc + 2 * LANES).mul(bv))
                .intoArray(c, ci + 4 * ldc + 2 * LANES);
        c50.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 5 * ldc).mul(bv)).intoArray(c, ci + 5 * ldc);
        c51.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 5 * ldc + LANES).mul(bv))
                .intoArray(c, ci + 5 * ldc + LANES);
        c52.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 5 * ldc + 2 * LANES).mul(bv))
                .intoArray(c, ci + 5 * ldc + 2 * LANES);
        c60.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 6 * ldc).mul(bv)).intoArray(c, ci + 6 * ldc);
        c61.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 6 * ldc + LANES).mul(bv))
                .intoArray(c, ci + 6 * ldc + LANES);
        c62.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 6 * ldc + 2 * LANES).mul(bv))
                .intoArray(c, ci + 6 * ldc + 2 * LANES);
        c70.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 7 * ldc).mul(bv)).intoArray(c, ci + 7 * ldc);
        c71.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 7 * ldc + LANES).mul(bv))
                .intoArray(c, ci + 7 * ldc + LANES);
        c72.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 7 * ldc + 2 * LANES).mul(bv))
                .intoArray(c, ci + 7 * ldc + 2 * LANES);
    }

    /** {@link #kernel8x3Acc} for A by columns ({@code ars = 1}: a transposed A), its eight elements of column p adjacent. */
    private static void kernel8x3AccT(int k, double alpha, double[] a, int ai, int acs,
                                     double[] b, int bj, int ldb, double beta, double[] c, int ci, int ldc) {
        DoubleVector c00 = DoubleVector.zero(SPECIES), c01 = c00, c02 = c00;
        DoubleVector c10 = c00, c11 = c00, c12 = c00;
        DoubleVector c20 = c00, c21 = c00, c22 = c00;
        DoubleVector c30 = c00, c31 = c00, c32 = c00;
        DoubleVector c40 = c00, c41 = c00, c42 = c00;
        DoubleVector c50 = c00, c51 = c00, c52 = c00;
        DoubleVector c60 = c00, c61 = c00, c62 = c00;
        DoubleVector c70 = c00, c71 = c00, c72 = c00;
        for (int p = 0; p < k; p++) {
            int bp = bj + p * ldb;
            DoubleVector b0 = DoubleVector.fromArray(SPECIES, b, bp);
            DoubleVector b1 = DoubleVector.fromArray(SPECIES, b, bp + LANES);
            DoubleVector b2 = DoubleVector.fromArray(SPECIES, b, bp + 2 * LANES);
            int ap = ai + p * acs;
            DoubleVector a0 = DoubleVector.broadcast(SPECIES, a[ap]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            c02 = a0.fma(b2, c02);
            DoubleVector a1 = DoubleVector.broadcast(SPECIES, a[ap + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            c12 = a1.fma(b2, c12);
            DoubleVector a2 = DoubleVector.broadcast(SPECIES, a[ap + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            c22 = a2.fma(b2, c22);
            DoubleVector a3 = DoubleVector.broadcast(SPECIES, a[ap + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            c32 = a3.fma(b2, c32);
            DoubleVector a4 = DoubleVector.broadcast(SPECIES, a[ap + 4]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            c42 = a4.fma(b2, c42);
            DoubleVector a5 = DoubleVector.broadcast(SPECIES, a[ap + 5]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
            c52 = a5.fma(b2, c52);
            DoubleVector a6 = DoubleVector.broadcast(SPECIES, a[ap + 6]);
            c60 = a6.fma(b0, c60);
            c61 = a6.fma(b1, c61);
            c62 = a6.fma(b2, c62);
            DoubleVector a7 = DoubleVector.broadcast(SPECIES, a[ap + 7]);
            c70 = a7.fma(b0, c70);
            c71 = a7.fma(b1, c71);
            c72 = a7.fma(b2, c72);
        }
        DoubleVector av = DoubleVector.broadcast(SPECIES, alpha), bv = DoubleVector.broadcast(SPECIES, beta);
        c00.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci).mul(bv)).intoArray(c, ci);
        c01.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + LANES).mul(bv)).intoArray(c, ci + LANES);
        c02.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 2 * LANES).mul(bv)).intoArray(c, ci + 2 * LANES);
        c10.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + ldc).mul(bv)).intoArray(c, ci + ldc);
        c11.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + ldc + LANES).mul(bv)).intoArray(c, ci + ldc + LANES);
        c12.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + ldc + 2 * LANES).mul(bv))
                .intoArray(c, ci + ldc + 2 * LANES);
        c20.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 2 * ldc).mul(bv)).intoArray(c, ci + 2 * ldc);
        c21.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 2 * ldc + LANES).mul(bv))
                .intoArray(c, ci + 2 * ldc + LANES);
        c22.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 2 * ldc + 2 * LANES).mul(bv))
                .intoArray(c, ci + 2 * ldc + 2 * LANES);
        c30.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 3 * ldc).mul(bv)).intoArray(c, ci + 3 * ldc);
        c31.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 3 * ldc + LANES).mul(bv))
                .intoArray(c, ci + 3 * ldc + LANES);
        c32.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 3 * ldc + 2 * LANES).mul(bv))
                .intoArray(c, ci + 3 * ldc + 2 * LANES);
        c40.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 4 * ldc).mul(bv)).intoArray(c, ci + 4 * ldc);
        c41.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 4 * ldc + LANES).mul(bv))
                .intoArray(c, ci + 4 * ldc + LANES);
        c42.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 4 * ldc + 2 * LANES).mul(bv))
                .intoArray(c, ci + 4 * ldc + 2 * LANES);
        c50.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 5 * ldc).mul(bv)).intoArray(c, ci + 5 * ldc);
        c51.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 5 * ldc + LANES).mul(bv))
                .intoArray(c, ci + 5 * ldc + LANES);
        c52.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 5 * ldc + 2 * LANES).mul(bv))
                .intoArray(c, ci + 5 * ldc + 2 * LANES);
        c60.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 6 * ldc).mul(bv)).intoArray(c, ci + 6 * ldc);
        c61.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 6 * ldc + LANES).mul(bv))
                .intoArray(c, ci + 6 * ldc + LANES);
        c62.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 6 * ldc + 2 * LANES).mul(bv))
                .intoArray(c, ci + 6 * ldc + 2 * LANES);
        c70.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 7 * ldc).mul(bv)).intoArray(c, ci + 7 * ldc);
        c71.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 7 * ldc + LANES).mul(bv))
                .intoArray(c, ci + 7 * ldc + LANES);
        c72.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 7 * ldc + 2 * LANES).mul(bv))
                .intoArray(c, ci + 7 * ldc + 2 * LANES);
    }

    /** {@link #kernel8x3Over} for a two-vector column panel: the bits of two calls of {@link #kernel4x2Over}. */
    private static void kernel8x2Over(int k, double alpha, double[] a, int ai, int ars,
                                     double[] b, int bj, int ldb, double[] c, int ci, int ldc) {
        DoubleVector c00 = DoubleVector.zero(SPECIES), c01 = c00;
        DoubleVector c10 = c00, c11 = c00;
        DoubleVector c20 = c00, c21 = c00;
        DoubleVector c30 = c00, c31 = c00;
        DoubleVector c40 = c00, c41 = c00;
        DoubleVector c50 = c00, c51 = c00;
        DoubleVector c60 = c00, c61 = c00;
        DoubleVector c70 = c00, c71 = c00;
        for (int p = 0; p < k; p++) {
            int bp = bj + p * ldb;
            DoubleVector b0 = DoubleVector.fromArray(SPECIES, b, bp);
            DoubleVector b1 = DoubleVector.fromArray(SPECIES, b, bp + LANES);
            int ap = ai + p;
            DoubleVector a0 = DoubleVector.broadcast(SPECIES, a[ap]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            DoubleVector a1 = DoubleVector.broadcast(SPECIES, a[ap + ars]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            DoubleVector a2 = DoubleVector.broadcast(SPECIES, a[ap + 2 * ars]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            DoubleVector a3 = DoubleVector.broadcast(SPECIES, a[ap + 3 * ars]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            DoubleVector a4 = DoubleVector.broadcast(SPECIES, a[ap + 4 * ars]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            DoubleVector a5 = DoubleVector.broadcast(SPECIES, a[ap + 5 * ars]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
            DoubleVector a6 = DoubleVector.broadcast(SPECIES, a[ap + 6 * ars]);
            c60 = a6.fma(b0, c60);
            c61 = a6.fma(b1, c61);
            DoubleVector a7 = DoubleVector.broadcast(SPECIES, a[ap + 7 * ars]);
            c70 = a7.fma(b0, c70);
            c71 = a7.fma(b1, c71);
        }
        DoubleVector av = DoubleVector.broadcast(SPECIES, alpha);
        c00.mul(av).intoArray(c, ci);
        c01.mul(av).intoArray(c, ci + LANES);
        c10.mul(av).intoArray(c, ci + ldc);
        c11.mul(av).intoArray(c, ci + ldc + LANES);
        c20.mul(av).intoArray(c, ci + 2 * ldc);
        c21.mul(av).intoArray(c, ci + 2 * ldc + LANES);
        c30.mul(av).intoArray(c, ci + 3 * ldc);
        c31.mul(av).intoArray(c, ci + 3 * ldc + LANES);
        c40.mul(av).intoArray(c, ci + 4 * ldc);
        c41.mul(av).intoArray(c, ci + 4 * ldc + LANES);
        c50.mul(av).intoArray(c, ci + 5 * ldc);
        c51.mul(av).intoArray(c, ci + 5 * ldc + LANES);
        c60.mul(av).intoArray(c, ci + 6 * ldc);
        c61.mul(av).intoArray(c, ci + 6 * ldc + LANES);
        c70.mul(av).intoArray(c, ci + 7 * ldc);
        c71.mul(av).intoArray(c, ci + 7 * ldc + LANES);
    }

    /** {@link #kernel8x2Over} for A by columns ({@code ars = 1}: a transposed A), its eight elements of column p adjacent. */
    private static void kernel8x2OverT(int k, double alpha, double[] a, int ai, int acs,
                                     double[] b, int bj, int ldb, double[] c, int ci, int ldc) {
        DoubleVector c00 = DoubleVector.zero(SPECIES), c01 = c00;
        DoubleVector c10 = c00, c11 = c00;
        DoubleVector c20 = c00, c21 = c00;
        DoubleVector c30 = c00, c31 = c00;
        DoubleVector c40 = c00, c41 = c00;
        DoubleVector c50 = c00, c51 = c00;
        DoubleVector c60 = c00, c61 = c00;
        DoubleVector c70 = c00, c71 = c00;
        for (int p = 0; p < k; p++) {
            int bp = bj + p * ldb;
            DoubleVector b0 = DoubleVector.fromArray(SPECIES, b, bp);
            DoubleVector b1 = DoubleVector.fromArray(SPECIES, b, bp + LANES);
            int ap = ai + p * acs;
            DoubleVector a0 = DoubleVector.broadcast(SPECIES, a[ap]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            DoubleVector a1 = DoubleVector.broadcast(SPECIES, a[ap + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            DoubleVector a2 = DoubleVector.broadcast(SPECIES, a[ap + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            DoubleVector a3 = DoubleVector.broadcast(SPECIES, a[ap + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            DoubleVector a4 = DoubleVector.broadcast(SPECIES, a[ap + 4]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            DoubleVector a5 = DoubleVector.broadcast(SPECIES, a[ap + 5]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
            DoubleVector a6 = DoubleVector.broadcast(SPECIES, a[ap + 6]);
            c60 = a6.fma(b0, c60);
            c61 = a6.fma(b1, c61);
            DoubleVector a7 = DoubleVector.broadcast(SPECIES, a[ap + 7]);
            c70 = a7.fma(b0, c70);
            c71 = a7.fma(b1, c71);
        }
        DoubleVector av = DoubleVector.broadcast(SPECIES, alpha);
        c00.mul(av).intoArray(c, ci);
        c01.mul(av).intoArray(c, ci + LANES);
        c10.mul(av).intoArray(c, ci + ldc);
        c11.mul(av).intoArray(c, ci + ldc + LANES);
        c20.mul(av).intoArray(c, ci + 2 * ldc);
        c21.mul(av).intoArray(c, ci + 2 * ldc + LANES);
        c30.mul(av).intoArray(c, ci + 3 * ldc);
        c31.mul(av).intoArray(c, ci + 3 * ldc + LANES);
        c40.mul(av).intoArray(c, ci + 4 * ldc);
        c41.mul(av).intoArray(c, ci + 4 * ldc + LANES);
        c50.mul(av).intoArray(c, ci + 5 * ldc);
        c51.mul(av).intoArray(c, ci + 5 * ldc + LANES);
        c60.mul(av).intoArray(c, ci + 6 * ldc);
        c61.mul(av).intoArray(c, ci + 6 * ldc + LANES);
        c70.mul(av).intoArray(c, ci + 7 * ldc);
        c71.mul(av).intoArray(c, ci + 7 * ldc + LANES);
    }

    /** {@link #kernel8x3Acc} for a two-vector column panel: the bits of two calls of {@link #kernel4x2Acc}. */
    private static void kernel8x2Acc(int k, double alpha, double[] a, int ai, int ars,
                                     double[] b, int bj, int ldb, double beta, double[] c, int ci, int ldc) {
        DoubleVector c00 = DoubleVector.zero(SPECIES), c01 = c00;
        DoubleVector c10 = c00, c11 = c00;
        DoubleVector c20 = c00, c21 = c00;
        DoubleVector c30 = c00, c31 = c00;
        DoubleVector c40 = c00, c41 = c00;
        DoubleVector c50 = c00, c51 = c00;
        DoubleVector c60 = c00, c61 = c00;
        DoubleVector c70 = c00, c71 = c00;
        for (int p = 0; p < k; p++) {
            int bp = bj + p * ldb;
            DoubleVector b0 = DoubleVector.fromArray(SPECIES, b, bp);
            DoubleVector b1 = DoubleVector.fromArray(SPECIES, b, bp + LANES);
            int ap = ai + p;
            DoubleVector a0 = DoubleVector.broadcast(SPECIES, a[ap]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            DoubleVector a1 = DoubleVector.broadcast(SPECIES, a[ap + ars]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            DoubleVector a2 = DoubleVector.broadcast(SPECIES, a[ap + 2 * ars]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            DoubleVector a3 = DoubleVector.broadcast(SPECIES, a[ap + 3 * ars]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            DoubleVector a4 = DoubleVector.broadcast(SPECIES, a[ap + 4 * ars]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            DoubleVector a5 = DoubleVector.broadcast(SPECIES, a[ap + 5 * ars]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
            DoubleVector a6 = DoubleVector.broadcast(SPECIES, a[ap + 6 * ars]);
            c60 = a6.fma(b0, c60);
            c61 = a6.fma(b1, c61);
            DoubleVector a7 = DoubleVector.broadcast(SPECIES, a[ap + 7 * ars]);
            c70 = a7.fma(b0, c70);
            c71 = a7.fma(b1, c71);
        }
        DoubleVector av = DoubleVector.broadcast(SPECIES, alpha), bv = DoubleVector.broadcast(SPECIES, beta);
        c00.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci).mul(bv)).intoArray(c, ci);
        c01.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + LANES).mul(bv)).intoArray(c, ci + LANES);
        c10.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + ldc).mul(bv)).intoArray(c, ci + ldc);
        c11.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + ldc + LANES).mul(bv)).intoArray(c, ci + ldc + LANES);
        c20.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 2 * ldc).mul(bv)).intoArray(c, ci + 2 * ldc);
        c21.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 2 * ldc + LANES).mul(bv))
                .intoArray(c, ci + 2 * ldc + LANES);
        c30.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 3 * ldc).mul(bv)).intoArray(c, ci + 3 * ldc);
        c31.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 3 * ldc + LANES).mul(bv))
                .intoArray(c, ci + 3 * ldc + LANES);
        c40.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 4 * ldc).mul(bv)).intoArray(c, ci + 4 * ldc);
        c41.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 4 * ldc + LANES).mul(bv))
                .intoArray(c, ci + 4 * ldc + LANES);
        c50.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 5 * ldc).mul(bv)).intoArray(c, ci + 5 * ldc);
        c51.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 5 * ldc + LANES).mul(bv))
                .intoArray(c, ci + 5 * ldc + LANES);
        c60.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 6 * ldc).mul(bv)).intoArray(c, ci + 6 * ldc);
        c61.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 6 * ldc + LANES).mul(bv))
                .intoArray(c, ci + 6 * ldc + LANES);
        c70.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 7 * ldc).mul(bv)).intoArray(c, ci + 7 * ldc);
        c71.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 7 * ldc + LANES).mul(bv))
                .intoArray(c, ci + 7 * ldc + LANES);
    }

    /** {@link #kernel8x2Acc} for A by columns ({@code ars = 1}: a transposed A), its eight elements of column p adjacent. */
    private static void kernel8x2AccT(int k, double alpha, double[] a, int ai, int acs,
                                     double[] b, int bj, int ldb, double beta, double[] c, int ci, int ldc) {
        DoubleVector c00 = DoubleVector.zero(SPECIES), c01 = c00;
        DoubleVector c10 = c00, c11 = c00;
        DoubleVector c20 = c00, c21 = c00;
        DoubleVector c30 = c00, c31 = c00;
        DoubleVector c40 = c00, c41 = c00;
        DoubleVector c50 = c00, c51 = c00;
        DoubleVector c60 = c00, c61 = c00;
        DoubleVector c70 = c00, c71 = c00;
        for (int p = 0; p < k; p++) {
            int bp = bj + p * ldb;
            DoubleVector b0 = DoubleVector.fromArray(SPECIES, b, bp);
            DoubleVector b1 = DoubleVector.fromArray(SPECIES, b, bp + LANES);
            int ap = ai + p * acs;
            DoubleVector a0 = DoubleVector.broadcast(SPECIES, a[ap]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            DoubleVector a1 = DoubleVector.broadcast(SPECIES, a[ap + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            DoubleVector a2 = DoubleVector.broadcast(SPECIES, a[ap + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            DoubleVector a3 = DoubleVector.broadcast(SPECIES, a[ap + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            DoubleVector a4 = DoubleVector.broadcast(SPECIES, a[ap + 4]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            DoubleVector a5 = DoubleVector.broadcast(SPECIES, a[ap + 5]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
            DoubleVector a6 = DoubleVector.broadcast(SPECIES, a[ap + 6]);
            c60 = a6.fma(b0, c60);
            c61 = a6.fma(b1, c61);
            DoubleVector a7 = DoubleVector.broadcast(SPECIES, a[ap + 7]);
            c70 = a7.fma(b0, c70);
            c71 = a7.fma(b1, c71);
        }
        DoubleVector av = DoubleVector.broadcast(SPECIES, alpha), bv = DoubleVector.broadcast(SPECIES, beta);
        c00.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci).mul(bv)).intoArray(c, ci);
        c01.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + LANES).mul(bv)).intoArray(c, ci + LANES);
        c10.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + ldc).mul(bv)).intoArray(c, ci + ldc);
        c11.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + ldc + LANES).mul(bv)).intoArray(c, ci + ldc + LANES);
        c20.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 2 * ldc).mul(bv)).intoArray(c, ci + 2 * ldc);
        c21.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 2 * ldc + LANES).mul(bv))
                .intoArray(c, ci + 2 * ldc + LANES);
        c30.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 3 * ldc).mul(bv)).intoArray(c, ci + 3 * ldc);
        c31.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 3 * ldc + LANES).mul(bv))
                .intoArray(c, ci + 3 * ldc + LANES);
        c40.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 4 * ldc).mul(bv)).intoArray(c, ci + 4 * ldc);
        c41.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 4 * ldc + LANES).mul(bv))
                .intoArray(c, ci + 4 * ldc + LANES);
        c50.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 5 * ldc).mul(bv)).intoArray(c, ci + 5 * ldc);
        c51.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 5 * ldc + LANES).mul(bv))
                .intoArray(c, ci + 5 * ldc + LANES);
        c60.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 6 * ldc).mul(bv)).intoArray(c, ci + 6 * ldc);
        c61.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 6 * ldc + LANES).mul(bv))
                .intoArray(c, ci + 6 * ldc + LANES);
        c70.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 7 * ldc).mul(bv)).intoArray(c, ci + 7 * ldc);
        c71.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 7 * ldc + LANES).mul(bv))
                .intoArray(c, ci + 7 * ldc + LANES);
    }

    private static void kernel8x3OverMicro(int k, double alpha, double[] a, int ai, int ars,
                                     double[] b, int bj, double[] c, int ci, int ldc) {
        DoubleVector c00 = DoubleVector.zero(SPECIES), c01 = c00, c02 = c00;
        DoubleVector c10 = c00, c11 = c00, c12 = c00;
        DoubleVector c20 = c00, c21 = c00, c22 = c00;
        DoubleVector c30 = c00, c31 = c00, c32 = c00;
        DoubleVector c40 = c00, c41 = c00, c42 = c00;
        DoubleVector c50 = c00, c51 = c00, c52 = c00;
        DoubleVector c60 = c00, c61 = c00, c62 = c00;
        DoubleVector c70 = c00, c71 = c00, c72 = c00;
        for (int p = 0; p < k; p++) {
            int bp = bj + p * (3 * LANES);
            DoubleVector b0 = DoubleVector.fromArray(SPECIES, b, bp);
            DoubleVector b1 = DoubleVector.fromArray(SPECIES, b, bp + LANES);
            DoubleVector b2 = DoubleVector.fromArray(SPECIES, b, bp + 2 * LANES);
            int ap = ai + p;
            DoubleVector a0 = DoubleVector.broadcast(SPECIES, a[ap]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            c02 = a0.fma(b2, c02);
            DoubleVector a1 = DoubleVector.broadcast(SPECIES, a[ap + ars]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            c12 = a1.fma(b2, c12);
            DoubleVector a2 = DoubleVector.broadcast(SPECIES, a[ap + 2 * ars]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            c22 = a2.fma(b2, c22);
            DoubleVector a3 = DoubleVector.broadcast(SPECIES, a[ap + 3 * ars]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            c32 = a3.fma(b2, c32);
            DoubleVector a4 = DoubleVector.broadcast(SPECIES, a[ap + 4 * ars]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            c42 = a4.fma(b2, c42);
            DoubleVector a5 = DoubleVector.broadcast(SPECIES, a[ap + 5 * ars]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
            c52 = a5.fma(b2, c52);
            DoubleVector a6 = DoubleVector.broadcast(SPECIES, a[ap + 6 * ars]);
            c60 = a6.fma(b0, c60);
            c61 = a6.fma(b1, c61);
            c62 = a6.fma(b2, c62);
            DoubleVector a7 = DoubleVector.broadcast(SPECIES, a[ap + 7 * ars]);
            c70 = a7.fma(b0, c70);
            c71 = a7.fma(b1, c71);
            c72 = a7.fma(b2, c72);
        }
        DoubleVector av = DoubleVector.broadcast(SPECIES, alpha);
        c00.mul(av).intoArray(c, ci);
        c01.mul(av).intoArray(c, ci + LANES);
        c02.mul(av).intoArray(c, ci + 2 * LANES);
        c10.mul(av).intoArray(c, ci + ldc);
        c11.mul(av).intoArray(c, ci + ldc + LANES);
        c12.mul(av).intoArray(c, ci + ldc + 2 * LANES);
        c20.mul(av).intoArray(c, ci + 2 * ldc);
        c21.mul(av).intoArray(c, ci + 2 * ldc + LANES);
        c22.mul(av).intoArray(c, ci + 2 * ldc + 2 * LANES);
        c30.mul(av).intoArray(c, ci + 3 * ldc);
        c31.mul(av).intoArray(c, ci + 3 * ldc + LANES);
        c32.mul(av).intoArray(c, ci + 3 * ldc + 2 * LANES);
        c40.mul(av).intoArray(c, ci + 4 * ldc);
        c41.mul(av).intoArray(c, ci + 4 * ldc + LANES);
        c42.mul(av).intoArray(c, ci + 4 * ldc + 2 * LANES);
        c50.mul(av).intoArray(c, ci + 5 * ldc);
        c51.mul(av).intoArray(c, ci + 5 * ldc + LANES);
        c52.mul(av).intoArray(c, ci + 5 * ldc + 2 * LANES);
        c60.mul(av).intoArray(c, ci + 6 * ldc);
        c61.mul(av).intoArray(c, ci + 6 * ldc + LANES);
        c62.mul(av).intoArray(c, ci + 6 * ldc + 2 * LANES);
        c70.mul(av).intoArray(c, ci + 7 * ldc);
        c71.mul(av).intoArray(c, ci + 7 * ldc + LANES);
        c72.mul(av).intoArray(c, ci + 7 * ldc + 2 * LANES);
    }

    private static void kernel8x3OverTMicro(int k, double alpha, double[] a, int ai, int acs,
                                     double[] b, int bj, double[] c, int ci, int ldc) {
        DoubleVector c00 = DoubleVector.zero(SPECIES), c01 = c00, c02 = c00;
        DoubleVector c10 = c00, c11 = c00, c12 = c00;
        DoubleVector c20 = c00, c21 = c00, c22 = c00;
        DoubleVector c30 = c00, c31 = c00, c32 = c00;
        DoubleVector c40 = c00, c41 = c00, c42 = c00;
        DoubleVector c50 = c00, c51 = c00, c52 = c00;
        DoubleVector c60 = c00, c61 = c00, c62 = c00;
        DoubleVector c70 = c00, c71 = c00, c72 = c00;
        for (int p = 0; p < k; p++) {
            int bp = bj + p * (3 * LANES);
            DoubleVector b0 = DoubleVector.fromArray(SPECIES, b, bp);
            DoubleVector b1 = DoubleVector.fromArray(SPECIES, b, bp + LANES);
            DoubleVector b2 = DoubleVector.fromArray(SPECIES, b, bp + 2 * LANES);
            int ap = ai + p * acs;
            DoubleVector a0 = DoubleVector.broadcast(SPECIES, a[ap]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            c02 = a0.fma(b2, c02);
            DoubleVector a1 = DoubleVector.broadcast(SPECIES, a[ap + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            c12 = a1.fma(b2, c12);
            DoubleVector a2 = DoubleVector.broadcast(SPECIES, a[ap + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            c22 = a2.fma(b2, c22);
            DoubleVector a3 = DoubleVector.broadcast(SPECIES, a[ap + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            c32 = a3.fma(b2, c32);
            DoubleVector a4 = DoubleVector.broadcast(SPECIES, a[ap + 4]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            c42 = a4.fma(b2, c42);
            DoubleVector a5 = DoubleVector.broadcast(SPECIES, a[ap + 5]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
            c52 = a5.fma(b2, c52);
            DoubleVector a6 = DoubleVector.broadcast(SPECIES, a[ap + 6]);
            c60 = a6.fma(b0, c60);
            c61 = a6.fma(b1, c61);
            c62 = a6.fma(b2, c62);
            DoubleVector a7 = DoubleVector.broadcast(SPECIES, a[ap + 7]);
            c70 = a7.fma(b0, c70);
            c71 = a7.fma(b1, c71);
            c72 = a7.fma(b2, c72);
        }
        DoubleVector av = DoubleVector.broadcast(SPECIES, alpha);
        c00.mul(av).intoArray(c, ci);
        c01.mul(av).intoArray(c, ci + LANES);
        c02.mul(av).intoArray(c, ci + 2 * LANES);
        c10.mul(av).intoArray(c, ci + ldc);
        c11.mul(av).intoArray(c, ci + ldc + LANES);
        c12.mul(av).intoArray(c, ci + ldc + 2 * LANES);
        c20.mul(av).intoArray(c, ci + 2 * ldc);
        c21.mul(av).intoArray(c, ci + 2 * ldc + LANES);
        c22.mul(av).intoArray(c, ci + 2 * ldc + 2 * LANES);
        c30.mul(av).intoArray(c, ci + 3 * ldc);
        c31.mul(av).intoArray(c, ci + 3 * ldc + LANES);
        c32.mul(av).intoArray(c, ci + 3 * ldc + 2 * LANES);
        c40.mul(av).intoArray(c, ci + 4 * ldc);
        c41.mul(av).intoArray(c, ci + 4 * ldc + LANES);
        c42.mul(av).intoArray(c, ci + 4 * ldc + 2 * LANES);
        c50.mul(av).intoArray(c, ci + 5 * ldc);
        c51.mul(av).intoArray(c, ci + 5 * ldc + LANES);
        c52.mul(av).intoArray(c, ci + 5 * ldc + 2 * LANES);
        c60.mul(av).intoArray(c, ci + 6 * ldc);
        c61.mul(av).intoArray(c, ci + 6 * ldc + LANES);
        c62.mul(av).intoArray(c, ci + 6 * ldc + 2 * LANES);
        c70.mul(av).intoArray(c, ci + 7 * ldc);
        c71.mul(av).intoArray(c, ci + 7 * ldc + LANES);
        c72.mul(av).intoArray(c, ci + 7 * ldc + 2 * LANES);
    }

    private static void kernel8x3AccMicro(int k, double alpha, double[] a, int ai, int ars,
                                     double[] b, int bj, double beta, double[] c, int ci, int ldc) {
        DoubleVector c00 = DoubleVector.zero(SPECIES), c01 = c00, c02 = c00;
        DoubleVector c10 = c00, c11 = c00, c12 = c00;
        DoubleVector c20 = c00, c21 = c00, c22 = c00;
        DoubleVector c30 = c00, c31 = c00, c32 = c00;
        DoubleVector c40 = c00, c41 = c00, c42 = c00;
        DoubleVector c50 = c00, c51 = c00, c52 = c00;
        DoubleVector c60 = c00, c61 = c00, c62 = c00;
        DoubleVector c70 = c00, c71 = c00, c72 = c00;
        for (int p = 0; p < k; p++) {
            int bp = bj + p * (3 * LANES);
            DoubleVector b0 = DoubleVector.fromArray(SPECIES, b, bp);
            DoubleVector b1 = DoubleVector.fromArray(SPECIES, b, bp + LANES);
            DoubleVector b2 = DoubleVector.fromArray(SPECIES, b, bp + 2 * LANES);
            int ap = ai + p;
            DoubleVector a0 = DoubleVector.broadcast(SPECIES, a[ap]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            c02 = a0.fma(b2, c02);
            DoubleVector a1 = DoubleVector.broadcast(SPECIES, a[ap + ars]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            c12 = a1.fma(b2, c12);
            DoubleVector a2 = DoubleVector.broadcast(SPECIES, a[ap + 2 * ars]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            c22 = a2.fma(b2, c22);
            DoubleVector a3 = DoubleVector.broadcast(SPECIES, a[ap + 3 * ars]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            c32 = a3.fma(b2, c32);
            DoubleVector a4 = DoubleVector.broadcast(SPECIES, a[ap + 4 * ars]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            c42 = a4.fma(b2, c42);
            DoubleVector a5 = DoubleVector.broadcast(SPECIES, a[ap + 5 * ars]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
            c52 = a5.fma(b2, c52);
            DoubleVector a6 = DoubleVector.broadcast(SPECIES, a[ap + 6 * ars]);
            c60 = a6.fma(b0, c60);
            c61 = a6.fma(b1, c61);
            c62 = a6.fma(b2, c62);
            DoubleVector a7 = DoubleVector.broadcast(SPECIES, a[ap + 7 * ars]);
            c70 = a7.fma(b0, c70);
            c71 = a7.fma(b1, c71);
            c72 = a7.fma(b2, c72);
        }
        DoubleVector av = DoubleVector.broadcast(SPECIES, alpha), bv = DoubleVector.broadcast(SPECIES, beta);
        c00.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci).mul(bv)).intoArray(c, ci);
        c01.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + LANES).mul(bv)).intoArray(c, ci + LANES);
        c02.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 2 * LANES).mul(bv)).intoArray(c, ci + 2 * LANES);
        c10.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + ldc).mul(bv)).intoArray(c, ci + ldc);
        c11.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + ldc + LANES).mul(bv)).intoArray(c, ci + ldc + LANES);
        c12.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + ldc + 2 * LANES).mul(bv))
                .intoArray(c, ci + ldc + 2 * LANES);
        c20.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 2 * ldc).mul(bv)).intoArray(c, ci + 2 * ldc);
        c21.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 2 * ldc + LANES).mul(bv))
                .intoArray(c, ci + 2 * ldc + LANES);
        c22.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 2 * ldc + 2 * LANES).mul(bv))
                .intoArray(c, ci + 2 * ldc + 2 * LANES);
        c30.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 3 * ldc).mul(bv)).intoArray(c, ci + 3 * ldc);
        c31.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 3 * ldc + LANES).mul(bv))
                .intoArray(c, ci + 3 * ldc + LANES);
        c32.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 3 * ldc + 2 * LANES).mul(bv))
                .intoArray(c, ci + 3 * ldc + 2 * LANES);
        c40.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 4 * ldc).mul(bv)).intoArray(c, ci + 4 * ldc);
        c41.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 4 * ldc + LANES).mul(bv))
                .intoArray(c, ci + 4 * ldc + LANES);
        c42.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 4 * ldc + 2 * LANES).mul(bv))
                .intoArray(c, ci + 4 * ldc + 2 * LANES);
        c50.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 5 * ldc).mul(bv)).intoArray(c, ci + 5 * ldc);
        c51.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 5 * ldc + LANES).mul(bv))
                .intoArray(c, ci + 5 * ldc + LANES);
        c52.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 5 * ldc + 2 * LANES).mul(bv))
                .intoArray(c, ci + 5 * ldc + 2 * LANES);
        c60.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 6 * ldc).mul(bv)).intoArray(c, ci + 6 * ldc);
        c61.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 6 * ldc + LANES).mul(bv))
                .intoArray(c, ci + 6 * ldc + LANES);
        c62.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 6 * ldc + 2 * LANES).mul(bv))
                .intoArray(c, ci + 6 * ldc + 2 * LANES);
        c70.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 7 * ldc).mul(bv)).intoArray(c, ci + 7 * ldc);
        c71.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 7 * ldc + LANES).mul(bv))
                .intoArray(c, ci + 7 * ldc + LANES);
        c72.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 7 * ldc + 2 * LANES).mul(bv))
                .intoArray(c, ci + 7 * ldc + 2 * LANES);
    }

    private static void kernel8x3AccTMicro(int k, double alpha, double[] a, int ai, int acs,
                                     double[] b, int bj, double beta, double[] c, int ci, int ldc) {
        DoubleVector c00 = DoubleVector.zero(SPECIES), c01 = c00, c02 = c00;
        DoubleVector c10 = c00, c11 = c00, c12 = c00;
        DoubleVector c20 = c00, c21 = c00, c22 = c00;
        DoubleVector c30 = c00, c31 = c00, c32 = c00;
        DoubleVector c40 = c00, c41 = c00, c42 = c00;
        DoubleVector c50 = c00, c51 = c00, c52 = c00;
        DoubleVector c60 = c00, c61 = c00, c62 = c00;
        DoubleVector c70 = c00, c71 = c00, c72 = c00;
        for (int p = 0; p < k; p++) {
            int bp = bj + p * (3 * LANES);
            DoubleVector b0 = DoubleVector.fromArray(SPECIES, b, bp);
            DoubleVector b1 = DoubleVector.fromArray(SPECIES, b, bp + LANES);
            DoubleVector b2 = DoubleVector.fromArray(SPECIES, b, bp + 2 * LANES);
            int ap = ai + p * acs;
            DoubleVector a0 = DoubleVector.broadcast(SPECIES, a[ap]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            c02 = a0.fma(b2, c02);
            DoubleVector a1 = DoubleVector.broadcast(SPECIES, a[ap + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            c12 = a1.fma(b2, c12);
            DoubleVector a2 = DoubleVector.broadcast(SPECIES, a[ap + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            c22 = a2.fma(b2, c22);
            DoubleVector a3 = DoubleVector.broadcast(SPECIES, a[ap + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            c32 = a3.fma(b2, c32);
            DoubleVector a4 = DoubleVector.broadcast(SPECIES, a[ap + 4]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            c42 = a4.fma(b2, c42);
            DoubleVector a5 = DoubleVector.broadcast(SPECIES, a[ap + 5]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
            c52 = a5.fma(b2, c52);
            DoubleVector a6 = DoubleVector.broadcast(SPECIES, a[ap + 6]);
            c60 = a6.fma(b0, c60);
            c61 = a6.fma(b1, c61);
            c62 = a6.fma(b2, c62);
            DoubleVector a7 = DoubleVector.broadcast(SPECIES, a[ap + 7]);
            c70 = a7.fma(b0, c70);
            c71 = a7.fma(b1, c71);
            c72 = a7.fma(b2, c72);
        }
        DoubleVector av = DoubleVector.broadcast(SPECIES, alpha), bv = DoubleVector.broadcast(SPECIES, beta);
        c00.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci).mul(bv)).intoArray(c, ci);
        c01.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + LANES).mul(bv)).intoArray(c, ci + LANES);
        c02.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 2 * LANES).mul(bv)).intoArray(c, ci + 2 * LANES);
        c10.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + ldc).mul(bv)).intoArray(c, ci + ldc);
        c11.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + ldc + LANES).mul(bv)).intoArray(c, ci + ldc + LANES);
        c12.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + ldc + 2 * LANES).mul(bv))
                .intoArray(c, ci + ldc + 2 * LANES);
        c20.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 2 * ldc).mul(bv)).intoArray(c, ci + 2 * ldc);
        c21.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 2 * ldc + LANES).mul(bv))
                .intoArray(c, ci + 2 * ldc + LANES);
        c22.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 2 * ldc + 2 * LANES).mul(bv))
                .intoArray(c, ci + 2 * ldc + 2 * LANES);
        c30.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 3 * ldc).mul(bv)).intoArray(c, ci + 3 * ldc);
        c31.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 3 * ldc + LANES).mul(bv))
                .intoArray(c, ci + 3 * ldc + LANES);
        c32.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 3 * ldc + 2 * LANES).mul(bv))
                .intoArray(c, ci + 3 * ldc + 2 * LANES);
        c40.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 4 * ldc).mul(bv)).intoArray(c, ci + 4 * ldc);
        c41.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 4 * ldc + LANES).mul(bv))
                .intoArray(c, ci + 4 * ldc + LANES);
        c42.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 4 * ldc + 2 * LANES).mul(bv))
                .intoArray(c, ci + 4 * ldc + 2 * LANES);
        c50.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 5 * ldc).mul(bv)).intoArray(c, ci + 5 * ldc);
        c51.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 5 * ldc + LANES).mul(bv))
                .intoArray(c, ci + 5 * ldc + LANES);
        c52.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 5 * ldc + 2 * LANES).mul(bv))
                .intoArray(c, ci + 5 * ldc + 2 * LANES);
        c60.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 6 * ldc).mul(bv)).intoArray(c, ci + 6 * ldc);
        c61.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 6 * ldc + LANES).mul(bv))
                .intoArray(c, ci + 6 * ldc + LANES);
        c62.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 6 * ldc + 2 * LANES).mul(bv))
                .intoArray(c, ci + 6 * ldc + 2 * LANES);
        c70.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 7 * ldc).mul(bv)).intoArray(c, ci + 7 * ldc);
        c71.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 7 * ldc + LANES).mul(bv))
                .intoArray(c, ci + 7 * ldc + LANES);
        c72.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 7 * ldc + 2 * LANES).mul(bv))
                .intoArray(c, ci + 7 * ldc + 2 * LANES);
    }

    private static void kernel8x2OverMicro(int k, double alpha, double[] a, int ai, int ars,
                                     double[] b, int bj, double[] c, int ci, int ldc) {
        DoubleVector c00 = DoubleVector.zero(SPECIES), c01 = c00;
        DoubleVector c10 = c00, c11 = c00;
        DoubleVector c20 = c00, c21 = c00;
        DoubleVector c30 = c00, c31 = c00;
        DoubleVector c40 = c00, c41 = c00;
        DoubleVector c50 = c00, c51 = c00;
        DoubleVector c60 = c00, c61 = c00;
        DoubleVector c70 = c00, c71 = c00;
        for (int p = 0; p < k; p++) {
            int bp = bj + p * (2 * LANES);
            DoubleVector b0 = DoubleVector.fromArray(SPECIES, b, bp);
            DoubleVector b1 = DoubleVector.fromArray(SPECIES, b, bp + LANES);
            int ap = ai + p;
            DoubleVector a0 = DoubleVector.broadcast(SPECIES, a[ap]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            DoubleVector a1 = DoubleVector.broadcast(SPECIES, a[ap + ars]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            DoubleVector a2 = DoubleVector.broadcast(SPECIES, a[ap + 2 * ars]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            DoubleVector a3 = DoubleVector.broadcast(SPECIES, a[ap + 3 * ars]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            DoubleVector a4 = DoubleVector.broadcast(SPECIES, a[ap + 4 * ars]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            DoubleVector a5 = DoubleVector.broadcast(SPECIES, a[ap + 5 * ars]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
            DoubleVector a6 = DoubleVector.broadcast(SPECIES, a[ap + 6 * ars]);
            c60 = a6.fma(b0, c60);
            c61 = a6.fma(b1, c61);
            DoubleVector a7 = DoubleVector.broadcast(SPECIES, a[ap + 7 * ars]);
            c70 = a7.fma(b0, c70);
            c71 = a7.fma(b1, c71);
        }
        DoubleVector av = DoubleVector.broadcast(SPECIES, alpha);
        c00.mul(av).intoArray(c, ci);
        c01.mul(av).intoArray(c, ci + LANES);
        c10.mul(av).intoArray(c, ci + ldc);
        c11.mul(av).intoArray(c, ci + ldc + LANES);
        c20.mul(av).intoArray(c, ci + 2 * ldc);
        c21.mul(av).intoArray(c, ci + 2 * ldc + LANES);
        c30.mul(av).intoArray(c, ci + 3 * ldc);
        c31.mul(av).intoArray(c, ci + 3 * ldc + LANES);
        c40.mul(av).intoArray(c, ci + 4 * ldc);
        c41.mul(av).intoArray(c, ci + 4 * ldc + LANES);
        c50.mul(av).intoArray(c, ci + 5 * ldc);
        c51.mul(av).intoArray(c, ci + 5 * ldc + LANES);
        c60.mul(av).intoArray(c, ci + 6 * ldc);
        c61.mul(av).intoArray(c, ci + 6 * ldc + LANES);
        c70.mul(av).intoArray(c, ci + 7 * ldc);
        c71.mul(av).intoArray(c, ci + 7 * ldc + LANES);
    }

    private static void kernel8x2OverTMicro(int k, double alpha, double[] a, int ai, int acs,
                                     double[] b, int bj, double[] c, int ci, int ldc) {
        DoubleVector c00 = DoubleVector.zero(SPECIES), c01 = c00;
        DoubleVector c10 = c00, c11 = c00;
        DoubleVector c20 = c00, c21 = c00;
        DoubleVector c30 = c00, c31 = c00;
        DoubleVector c40 = c00, c41 = c00;
        DoubleVector c50 = c00, c51 = c00;
        DoubleVector c60 = c00, c61 = c00;
        DoubleVector c70 = c00, c71 = c00;
        for (int p = 0; p < k; p++) {
            int bp = bj + p * (2 * LANES);
            DoubleVector b0 = DoubleVector.fromArray(SPECIES, b, bp);
            DoubleVector b1 = DoubleVector.fromArray(SPECIES, b, bp + LANES);
            int ap = ai + p * acs;
            DoubleVector a0 = DoubleVector.broadcast(SPECIES, a[ap]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            DoubleVector a1 = DoubleVector.broadcast(SPECIES, a[ap + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            DoubleVector a2 = DoubleVector.broadcast(SPECIES, a[ap + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            DoubleVector a3 = DoubleVector.broadcast(SPECIES, a[ap + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            DoubleVector a4 = DoubleVector.broadcast(SPECIES, a[ap + 4]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            DoubleVector a5 = DoubleVector.broadcast(SPECIES, a[ap + 5]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
            DoubleVector a6 = DoubleVector.broadcast(SPECIES, a[ap + 6]);
            c60 = a6.fma(b0, c60);
            c61 = a6.fma(b1, c61);
            DoubleVector a7 = DoubleVector.broadcast(SPECIES, a[ap + 7]);
            c70 = a7.fma(b0, c70);
            c71 = a7.fma(b1, c71);
        }
        DoubleVector av = DoubleVector.broadcast(SPECIES, alpha);
        c00.mul(av).intoArray(c, ci);
        c01.mul(av).intoArray(c, ci + LANES);
        c10.mul(av).intoArray(c, ci + ldc);
        c11.mul(av).intoArray(c, ci + ldc + LANES);
        c20.mul(av).intoArray(c, ci + 2 * ldc);
        c21.mul(av).intoArray(c, ci + 2 * ldc + LANES);
        c30.mul(av).intoArray(c, ci + 3 * ldc);
        c31.mul(av).intoArray(c, ci + 3 * ldc + LANES);
        c40.mul(av).intoArray(c, ci + 4 * ldc);
        c41.mul(av).intoArray(c, ci + 4 * ldc + LANES);
        c50.mul(av).intoArray(c, ci + 5 * ldc);
        c51.mul(av).intoArray(c, ci + 5 * ldc + LANES);
        c60.mul(av).intoArray(c, ci + 6 * ldc);
        c61.mul(av).intoArray(c, ci + 6 * ldc + LANES);
        c70.mul(av).intoArray(c, ci + 7 * ldc);
        c71.mul(av).intoArray(c, ci + 7 * ldc + LANES);
    }

    private static void kernel8x2AccMicro(int k, double alpha, double[] a, int ai, int ars,
                                     double[] b, int bj, double beta, double[] c, int ci, int ldc) {
        DoubleVector c00 = DoubleVector.zero(SPECIES), c01 = c00;
        DoubleVector c10 = c00, c11 = c00;
        DoubleVector c20 = c00, c21 = c00;
        DoubleVector c30 = c00, c31 = c00;
        DoubleVector c40 = c00, c41 = c00;
        DoubleVector c50 = c00, c51 = c00;
        DoubleVector c60 = c00, c61 = c00;
        DoubleVector c70 = c00, c71 = c00;
        for (int p = 0; p < k; p++) {
            int bp = bj + p * (2 * LANES);
            DoubleVector b0 = DoubleVector.fromArray(SPECIES, b, bp);
            DoubleVector b1 = DoubleVector.fromArray(SPECIES, b, bp + LANES);
            int ap = ai + p;
            DoubleVector a0 = DoubleVector.broadcast(SPECIES, a[ap]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            DoubleVector a1 = DoubleVector.broadcast(SPECIES, a[ap + ars]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            DoubleVector a2 = DoubleVector.broadcast(SPECIES, a[ap + 2 * ars]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            DoubleVector a3 = DoubleVector.broadcast(SPECIES, a[ap + 3 * ars]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            DoubleVector a4 = DoubleVector.broadcast(SPECIES, a[ap + 4 * ars]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            DoubleVector a5 = DoubleVector.broadcast(SPECIES, a[ap + 5 * ars]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
            DoubleVector a6 = DoubleVector.broadcast(SPECIES, a[ap + 6 * ars]);
            c60 = a6.fma(b0, c60);
            c61 = a6.fma(b1, c61);
            DoubleVector a7 = DoubleVector.broadcast(SPECIES, a[ap + 7 * ars]);
            c70 = a7.fma(b0, c70);
            c71 = a7.fma(b1, c71);
        }
        DoubleVector av = DoubleVector.broadcast(SPECIES, alpha), bv = DoubleVector.broadcast(SPECIES, beta);
        c00.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci).mul(bv)).intoArray(c, ci);
        c01.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + LANES).mul(bv)).intoArray(c, ci + LANES);
        c10.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + ldc).mul(bv)).intoArray(c, ci + ldc);
        c11.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + ldc + LANES).mul(bv)).intoArray(c, ci + ldc + LANES);
        c20.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 2 * ldc).mul(bv)).intoArray(c, ci + 2 * ldc);
        c21.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 2 * ldc + LANES).mul(bv))
                .intoArray(c, ci + 2 * ldc + LANES);
        c30.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 3 * ldc).mul(bv)).intoArray(c, ci + 3 * ldc);
        c31.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 3 * ldc + LANES).mul(bv))
                .intoArray(c, ci + 3 * ldc + LANES);
        c40.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 4 * ldc).mul(bv)).intoArray(c, ci + 4 * ldc);
        c41.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 4 * ldc + LANES).mul(bv))
                .intoArray(c, ci + 4 * ldc + LANES);
        c50.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 5 * ldc).mul(bv)).intoArray(c, ci + 5 * ldc);
        c51.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 5 * ldc + LANES).mul(bv))
                .intoArray(c, ci + 5 * ldc + LANES);
        c60.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 6 * ldc).mul(bv)).intoArray(c, ci + 6 * ldc);
        c61.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 6 * ldc + LANES).mul(bv))
                .intoArray(c, ci + 6 * ldc + LANES);
        c70.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 7 * ldc).mul(bv)).intoArray(c, ci + 7 * ldc);
        c71.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 7 * ldc + LANES).mul(bv))
                .intoArray(c, ci + 7 * ldc + LANES);
    }

    private static void kernel8x2AccTMicro(int k, double alpha, double[] a, int ai, int acs,
                                     double[] b, int bj, double beta, double[] c, int ci, int ldc) {
        DoubleVector c00 = DoubleVector.zero(SPECIES), c01 = c00;
        DoubleVector c10 = c00, c11 = c00;
        DoubleVector c20 = c00, c21 = c00;
        DoubleVector c30 = c00, c31 = c00;
        DoubleVector c40 = c00, c41 = c00;
        DoubleVector c50 = c00, c51 = c00;
        DoubleVector c60 = c00, c61 = c00;
        DoubleVector c70 = c00, c71 = c00;
        for (int p = 0; p < k; p++) {
            int bp = bj + p * (2 * LANES);
            DoubleVector b0 = DoubleVector.fromArray(SPECIES, b, bp);
            DoubleVector b1 = DoubleVector.fromArray(SPECIES, b, bp + LANES);
            int ap = ai + p * acs;
            DoubleVector a0 = DoubleVector.broadcast(SPECIES, a[ap]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            DoubleVector a1 = DoubleVector.broadcast(SPECIES, a[ap + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            DoubleVector a2 = DoubleVector.broadcast(SPECIES, a[ap + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            DoubleVector a3 = DoubleVector.broadcast(SPECIES, a[ap + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            DoubleVector a4 = DoubleVector.broadcast(SPECIES, a[ap + 4]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            DoubleVector a5 = DoubleVector.broadcast(SPECIES, a[ap + 5]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
            DoubleVector a6 = DoubleVector.broadcast(SPECIES, a[ap + 6]);
            c60 = a6.fma(b0, c60);
            c61 = a6.fma(b1, c61);
            DoubleVector a7 = DoubleVector.broadcast(SPECIES, a[ap + 7]);
            c70 = a7.fma(b0, c70);
            c71 = a7.fma(b1, c71);
        }
        DoubleVector av = DoubleVector.broadcast(SPECIES, alpha), bv = DoubleVector.broadcast(SPECIES, beta);
        c00.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci).mul(bv)).intoArray(c, ci);
        c01.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + LANES).mul(bv)).intoArray(c, ci + LANES);
        c10.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + ldc).mul(bv)).intoArray(c, ci + ldc);
        c11.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + ldc + LANES).mul(bv)).intoArray(c, ci + ldc + LANES);
        c20.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 2 * ldc).mul(bv)).intoArray(c, ci + 2 * ldc);
        c21.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 2 * ldc + LANES).mul(bv))
                .intoArray(c, ci + 2 * ldc + LANES);
        c30.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 3 * ldc).mul(bv)).intoArray(c, ci + 3 * ldc);
        c31.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 3 * ldc + LANES).mul(bv))
                .intoArray(c, ci + 3 * ldc + LANES);
        c40.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 4 * ldc).mul(bv)).intoArray(c, ci + 4 * ldc);
        c41.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 4 * ldc + LANES).mul(bv))
                .intoArray(c, ci + 4 * ldc + LANES);
        c50.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 5 * ldc).mul(bv)).intoArray(c, ci + 5 * ldc);
        c51.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 5 * ldc + LANES).mul(bv))
                .intoArray(c, ci + 5 * ldc + LANES);
        c60.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 6 * ldc).mul(bv)).intoArray(c, ci + 6 * ldc);
        c61.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 6 * ldc + LANES).mul(bv))
                .intoArray(c, ci + 6 * ldc + LANES);
        c70.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 7 * ldc).mul(bv)).intoArray(c, ci + 7 * ldc);
        c71.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 7 * ldc + LANES).mul(bv))
                .intoArray(c, ci + 7 * ldc + LANES);
    }

    private static void kernel4x3Over(int k, double alpha, double[] a, int ai, int ars, int acs,
                                  double[] b, int bj, int ldb, double[] c, int ci, int ldc) {
        DoubleVector c00 = DoubleVector.zero(SPECIES), c01 = c00, c02 = c00;
        DoubleVector c10 = c00, c11 = c00, c12 = c00;
        DoubleVector c20 = c00, c21 = c00, c22 = c00;
        DoubleVector c30 = c00, c31 = c00, c32 = c00;
        for (int p = 0; p < k; p++) {
            int bp = bj + p * ldb;
            DoubleVector b0 = DoubleVector.fromArray(SPECIES, b, bp);
            DoubleVector b1 = DoubleVector.fromArray(SPECIES, b, bp + LANES);
            DoubleVector b2 = DoubleVector.fromArray(SPECIES, b, bp + 2 * LANES);
            int ap = ai + p * acs;
            DoubleVector a0 = DoubleVector.broadcast(SPECIES, a[ap]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            c02 = a0.fma(b2, c02);
            DoubleVector a1 = DoubleVector.broadcast(SPECIES, a[ap + ars]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            c12 = a1.fma(b2, c12);
            DoubleVector a2 = DoubleVector.broadcast(SPECIES, a[ap + 2 * ars]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            c22 = a2.fma(b2, c22);
            DoubleVector a3 = DoubleVector.broadcast(SPECIES, a[ap + 3 * ars]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            c32 = a3.fma(b2, c32);
        }
        DoubleVector av = DoubleVector.broadcast(SPECIES, alpha);
        c00.mul(av).intoArray(c, ci);
        c01.mul(av).intoArray(c, ci + LANES);
        c02.mul(av).intoArray(c, ci + 2 * LANES);
        c10.mul(av).intoArray(c, ci + ldc);
        c11.mul(av).intoArray(c, ci + ldc + LANES);
        c12.mul(av).intoArray(c, ci + ldc + 2 * LANES);
        c20.mul(av).intoArray(c, ci + 2 * ldc);
        c21.mul(av).intoArray(c, ci + 2 * ldc + LANES);
        c22.mul(av).intoArray(c, ci + 2 * ldc + 2 * LANES);
        c30.mul(av).intoArray(c, ci + 3 * ldc);
        c31.mul(av).intoArray(c, ci + 3 * ldc + LANES);
        c32.mul(av).intoArray(c, ci + 3 * ldc + 2 * LANES);
    }

    private static void kernel4x3Acc(int k, double alpha, double[] a, int ai, int ars, int acs,
                                  double[] b, int bj, int ldb, double beta, double[] c, int ci, int ldc) {
        DoubleVector c00 = DoubleVector.zero(SPECIES), c01 = c00, c02 = c00;
        DoubleVector c10 = c00, c11 = c00, c12 = c00;
        DoubleVector c20 = c00, c21 = c00, c22 = c00;
        DoubleVector c30 = c00, c31 = c00, c32 = c00;
        for (int p = 0; p < k; p++) {
            int bp = bj + p * ldb;
            DoubleVector b0 = DoubleVector.fromArray(SPECIES, b, bp);
            DoubleVector b1 = DoubleVector.fromArray(SPECIES, b, bp + LANES);
            DoubleVector b2 = DoubleVector.fromArray(SPECIES, b, bp + 2 * LANES);
            int ap = ai + p * acs;
            DoubleVector a0 = DoubleVector.broadcast(SPECIES, a[ap]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            c02 = a0.fma(b2, c02);
            DoubleVector a1 = DoubleVector.broadcast(SPECIES, a[ap + ars]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            c12 = a1.fma(b2, c12);
            DoubleVector a2 = DoubleVector.broadcast(SPECIES, a[ap + 2 * ars]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            c22 = a2.fma(b2, c22);
            DoubleVector a3 = DoubleVector.broadcast(SPECIES, a[ap + 3 * ars]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            c32 = a3.fma(b2, c32);
        }
        DoubleVector av = DoubleVector.broadcast(SPECIES, alpha), bv = DoubleVector.broadcast(SPECIES, beta);
        c00.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci).mul(bv)).intoArray(c, ci);
        c01.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + LANES).mul(bv)).intoArray(c, ci + LANES);
        c02.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 2 * LANES).mul(bv)).intoArray(c, ci + 2 * LANES);
        c10.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + ldc).mul(bv)).intoArray(c, ci + ldc);
        c11.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + ldc + LANES).mul(bv)).intoArray(c, ci + ldc + LANES);
        c12.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + ldc + 2 * LANES).mul(bv))
                .intoArray(c, ci + ldc + 2 * LANES);
        c20.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 2 * ldc).mul(bv)).intoArray(c, ci + 2 * ldc);
        c21.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 2 * ldc + LANES).mul(bv))
                .intoArray(c, ci + 2 * ldc + LANES);
        c22.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 2 * ldc + 2 * LANES).mul(bv))
                .intoArray(c, ci + 2 * ldc + 2 * LANES);
        c30.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 3 * ldc).mul(bv)).intoArray(c, ci + 3 * ldc);
        c31.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 3 * ldc + LANES).mul(bv))
                .intoArray(c, ci + 3 * ldc + LANES);
        c32.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 3 * ldc + 2 * LANES).mul(bv))
                .intoArray(c, ci + 3 * ldc + 2 * LANES);
    }

    private static void kernel4x2Over(int k, double alpha, double[] a, int ai, int ars, int acs,
                                  double[] b, int bj, int ldb, double[] c, int ci, int ldc) {
        DoubleVector c00 = DoubleVector.zero(SPECIES), c01 = c00;
        DoubleVector c10 = c00, c11 = c00;
        DoubleVector c20 = c00, c21 = c00;
        DoubleVector c30 = c00, c31 = c00;
        for (int p = 0; p < k; p++) {
            int bp = bj + p * ldb;
            DoubleVector b0 = DoubleVector.fromArray(SPECIES, b, bp);
            DoubleVector b1 = DoubleVector.fromArray(SPECIES, b, bp + LANES);
            int ap = ai + p * acs;
            DoubleVector a0 = DoubleVector.broadcast(SPECIES, a[ap]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            DoubleVector a1 = DoubleVector.broadcast(SPECIES, a[ap + ars]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            DoubleVector a2 = DoubleVector.broadcast(SPECIES, a[ap + 2 * ars]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            DoubleVector a3 = DoubleVector.broadcast(SPECIES, a[ap + 3 * ars]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
        }
        DoubleVector av = DoubleVector.broadcast(SPECIES, alpha);
        c00.mul(av).intoArray(c, ci);
        c01.mul(av).intoArray(c, ci + LANES);
        c10.mul(av).intoArray(c, ci + ldc);
        c11.mul(av).intoArray(c, ci + ldc + LANES);
        c20.mul(av).intoArray(c, ci + 2 * ldc);
        c21.mul(av).intoArray(c, ci + 2 * ldc + LANES);
        c30.mul(av).intoArray(c, ci + 3 * ldc);
        c31.mul(av).intoArray(c, ci + 3 * ldc + LANES);
    }

    private static void kernel4x2Acc(int k, double alpha, double[] a, int ai, int ars, int acs,
                                  double[] b, int bj, int ldb, double beta, double[] c, int ci, int ldc) {
        DoubleVector c00 = DoubleVector.zero(SPECIES), c01 = c00;
        DoubleVector c10 = c00, c11 = c00;
        DoubleVector c20 = c00, c21 = c00;
        DoubleVector c30 = c00, c31 = c00;
        for (int p = 0; p < k; p++) {
            int bp = bj + p * ldb;
            DoubleVector b0 = DoubleVector.fromArray(SPECIES, b, bp);
            DoubleVector b1 = DoubleVector.fromArray(SPECIES, b, bp + LANES);
            int ap = ai + p * acs;
            DoubleVector a0 = DoubleVector.broadcast(SPECIES, a[ap]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            DoubleVector a1 = DoubleVector.broadcast(SPECIES, a[ap + ars]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            DoubleVector a2 = DoubleVector.broadcast(SPECIES, a[ap + 2 * ars]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            DoubleVector a3 = DoubleVector.broadcast(SPECIES, a[ap + 3 * ars]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
        }
        DoubleVector av = DoubleVector.broadcast(SPECIES, alpha), bv = DoubleVector.broadcast(SPECIES, beta);
        c00.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci).mul(bv)).intoArray(c, ci);
        c01.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + LANES).mul(bv)).intoArray(c, ci + LANES);
        c10.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + ldc).mul(bv)).intoArray(c, ci + ldc);
        c11.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + ldc + LANES).mul(bv)).intoArray(c, ci + ldc + LANES);
        c20.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 2 * ldc).mul(bv)).intoArray(c, ci + 2 * ldc);
        c21.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 2 * ldc + LANES).mul(bv))
                .intoArray(c, ci + 2 * ldc + LANES);
        c30.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 3 * ldc).mul(bv)).intoArray(c, ci + 3 * ldc);
        c31.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 3 * ldc + LANES).mul(bv))
                .intoArray(c, ci + 3 * ldc + LANES);
    }

    private static void kernel4x1Over(int k, double alpha, double[] a, int ai, int ars, int acs,
                                  double[] b, int bj, int ldb, double[] c, int ci, int ldc) {
        DoubleVector c0 = DoubleVector.zero(SPECIES), c1 = c0, c2 = c0, c3 = c0;
        DoubleVector d0 = c0, d1 = c0, d2 = c0, d3 = c0; // two sets of chains: odd p into d, for eight in flight
        int p = 0;
        for (; p + 1 < k; p += 2) {
            DoubleVector b0 = DoubleVector.fromArray(SPECIES, b, bj + p * ldb);
            DoubleVector b1 = DoubleVector.fromArray(SPECIES, b, bj + (p + 1) * ldb);
            int ap = ai + p * acs, aq = ap + acs;
            c0 = DoubleVector.broadcast(SPECIES, a[ap]).fma(b0, c0);
            c1 = DoubleVector.broadcast(SPECIES, a[ap + ars]).fma(b0, c1);
            c2 = DoubleVector.broadcast(SPECIES, a[ap + 2 * ars]).fma(b0, c2);
            c3 = DoubleVector.broadcast(SPECIES, a[ap + 3 * ars]).fma(b0, c3);
            d0 = DoubleVector.broadcast(SPECIES, a[aq]).fma(b1, d0);
            d1 = DoubleVector.broadcast(SPECIES, a[aq + ars]).fma(b1, d1);
            d2 = DoubleVector.broadcast(SPECIES, a[aq + 2 * ars]).fma(b1, d2);
            d3 = DoubleVector.broadcast(SPECIES, a[aq + 3 * ars]).fma(b1, d3);
        }
        for (; p < k; p++) {
            DoubleVector b0 = DoubleVector.fromArray(SPECIES, b, bj + p * ldb);
            int ap = ai + p * acs;
            c0 = DoubleVector.broadcast(SPECIES, a[ap]).fma(b0, c0);
            c1 = DoubleVector.broadcast(SPECIES, a[ap + ars]).fma(b0, c1);
            c2 = DoubleVector.broadcast(SPECIES, a[ap + 2 * ars]).fma(b0, c2);
            c3 = DoubleVector.broadcast(SPECIES, a[ap + 3 * ars]).fma(b0, c3);
        }
        c0 = c0.add(d0);
        c1 = c1.add(d1);
        c2 = c2.add(d2);
        c3 = c3.add(d3);
        DoubleVector av = DoubleVector.broadcast(SPECIES, alpha);
        c0.mul(av).intoArray(c, ci);
        c1.mul(av).intoArray(c, ci + ldc);
        c2.mul(av).intoArray(c, ci + 2 * ldc);
        c3.mul(av).intoArray(c, ci + 3 * ldc);
    }

    private static void kernel4x1Acc(int k, double alpha, double[] a, int ai, int ars, int acs,
                                  double[] b, int bj, int ldb, double beta, double[] c, int ci, int ldc) {
        DoubleVector c0 = DoubleVector.zero(SPECIES), c1 = c0, c2 = c0, c3 = c0;
        DoubleVector d0 = c0, d1 = c0, d2 = c0, d3 = c0; // two sets of chains: odd p into d, for eight in flight
        int p = 0;
        for (; p + 1 < k; p += 2) {
            DoubleVector b0 = DoubleVector.fromArray(SPECIES, b, bj + p * ldb);
            DoubleVector b1 = DoubleVector.fromArray(SPECIES, b, bj + (p + 1) * ldb);
            int ap = ai + p * acs, aq = ap + acs;
            c0 = DoubleVector.broadcast(SPECIES, a[ap]).fma(b0, c0);
            c1 = DoubleVector.broadcast(SPECIES, a[ap + ars]).fma(b0, c1);
            c2 = DoubleVector.broadcast(SPECIES, a[ap + 2 * ars]).fma(b0, c2);
            c3 = DoubleVector.broadcast(SPECIES, a[ap + 3 * ars]).fma(b0, c3);
            d0 = DoubleVector.broadcast(SPECIES, a[aq]).fma(b1, d0);
            d1 = DoubleVector.broadcast(SPECIES, a[aq + ars]).fma(b1, d1);
            d2 = DoubleVector.broadcast(SPECIES, a[aq + 2 * ars]).fma(b1, d2);
            d3 = DoubleVector.broadcast(SPECIES, a[aq + 3 * ars]).fma(b1, d3);
        }
        for (; p < k; p++) {
            DoubleVector b0 = DoubleVector.fromArray(SPECIES, b, bj + p * ldb);
            int ap = ai + p * acs;
            c0 = DoubleVector.broadcast(SPECIES, a[ap]).fma(b0, c0);
            c1 = DoubleVector.broadcast(SPECIES, a[ap + ars]).fma(b0, c1);
            c2 = DoubleVector.broadcast(SPECIES, a[ap + 2 * ars]).fma(b0, c2);
            c3 = DoubleVector.broadcast(SPECIES, a[ap + 3 * ars]).fma(b0, c3);
        }
        c0 = c0.add(d0);
        c1 = c1.add(d1);
        c2 = c2.add(d2);
        c3 = c3.add(d3);
        DoubleVector av = DoubleVector.broadcast(SPECIES, alpha), bv = DoubleVector.broadcast(SPECIES, beta);
        c0.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci).mul(bv)).intoArray(c, ci);
        c1.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + ldc).mul(bv)).intoArray(c, ci + ldc);
        c2.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 2 * ldc).mul(bv)).intoArray(c, ci + 2 * ldc);
        c3.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 3 * ldc).mul(bv)).intoArray(c, ci + 3 * ldc);
    }

    private static void kernel4x1MaskedOver(int k, double alpha, double[] a, int ai, int ars, int acs,
                                        double[] b, int bj, int ldb, double[] c, int ci, int ldc,
                                        int width) {
        VectorMask<Double> mask = SPECIES.indexInRange(0, width);
        DoubleVector c0 = DoubleVector.zero(SPECIES), c1 = c0, c2 = c0, c3 = c0;
        DoubleVector d0 = c0, d1 = c0, d2 = c0, d3 = c0; // two sets of chains: odd p into d, for eight in flight
        int p = 0;
        for (; p + 1 < k; p += 2) {
            DoubleVector b0 = DoubleVector.fromArray(SPECIES, b, bj + p * ldb, mask);
            DoubleVector b1 = DoubleVector.fromArray(SPECIES, b, bj + (p + 1) * ldb, mask);
            int ap = ai + p * acs, aq = ap + acs;
            c0 = DoubleVector.broadcast(SPECIES, a[ap]).fma(b0, c0);
            c1 = DoubleVector.broadcast(SPECIES, a[ap + ars]).fma(b0, c1);
            c2 = DoubleVector.broadcast(SPECIES, a[ap + 2 * ars]).fma(b0, c2);
            c3 = DoubleVector.broadcast(SPECIES, a[ap + 3 * ars]).fma(b0, c3);
            d0 = DoubleVector.broadcast(SPECIES, a[aq]).fma(b1, d0);
            d1 = DoubleVector.broadcast(SPECIES, a[aq + ars]).fma(b1, d1);
            d2 = DoubleVector.broadcast(SPECIES, a[aq + 2 * ars]).fma(b1, d2);
            d3 = DoubleVector.broadcast(SPECIES, a[aq + 3 * ars]).fma(b1, d3);
        }
        for (; p < k; p++) {
            DoubleVector b0 = DoubleVector.fromArray(SPECIES, b, bj + p * ldb, mask);
            int ap = ai + p * acs;
            c0 = DoubleVector.broadcast(SPECIES, a[ap]).fma(b0, c0);
            c1 = DoubleVector.broadcast(SPECIES, a[ap + ars]).fma(b0, c1);
            c2 = DoubleVector.broadcast(SPECIES, a[ap + 2 * ars]).fma(b0, c2);
            c3 = DoubleVector.broadcast(SPECIES, a[ap + 3 * ars]).fma(b0, c3);
        }
        c0 = c0.add(d0);
        c1 = c1.add(d1);
        c2 = c2.add(d2);
        c3 = c3.add(d3);
        DoubleVector av = DoubleVector.broadcast(SPECIES, alpha);
        c0.mul(av).intoArray(c, ci, mask);
        c1.mul(av).intoArray(c, ci + ldc, mask);
        c2.mul(av).intoArray(c, ci + 2 * ldc, mask);
        c3.mul(av).intoArray(c, ci + 3 * ldc, mask);
    }

    /**
     * The four sums go through {@code scratch} (four vectors) to {@link #accumulateMasked}: with the masked β-update
     * inlined here too, C1's profiled (tier 3) compile ran out of virtual registers and the kernel stayed interpreted
     * (about 200 KB allocated per call) until C2 took it. Only arrays cross the call, so nothing is boxed whether or
     * not C2 inlines it.
     */
    private static void kernel4x1MaskedAcc(int k, double alpha, double[] a, int ai, int ars, int acs,
                                        double[] b, int bj, int ldb, double beta, double[] c, int ci, int ldc,
                                        int width, double[] scratch) {
        VectorMask<Double> mask = SPECIES.indexInRange(0, width);
        DoubleVector c0 = DoubleVector.zero(SPECIES), c1 = c0, c2 = c0, c3 = c0;
        DoubleVector d0 = c0, d1 = c0, d2 = c0, d3 = c0; // two sets of chains: odd p into d, for eight in flight
        int p = 0;
        for (; p + 1 < k; p += 2) {
            DoubleVector b0 = DoubleVector.fromArray(SPECIES, b, bj + p * ldb, mask);
            DoubleVector b1 = DoubleVector.fromArray(SPECIES, b, bj + (p + 1) * ldb, mask);
            int ap = ai + p * acs, aq = ap + acs;
            c0 = DoubleVector.broadcast(SPECIES, a[ap]).fma(b0, c0);
            c1 = DoubleVector.broadcast(SPECIES, a[ap + ars]).fma(b0, c1);
            c2 = DoubleVector.broadcast(SPECIES, a[ap + 2 * ars]).fma(b0, c2);
            c3 = DoubleVector.broadcast(SPECIES, a[ap + 3 * ars]).fma(b0, c3);
            d0 = DoubleVector.broadcast(SPECIES, a[aq]).fma(b1, d0);
            d1 = DoubleVector.broadcast(SPECIES, a[aq + ars]).fma(b1, d1);
            d2 = DoubleVector.broadcast(SPECIES, a[aq + 2 * ars]).fma(b1, d2);
            d3 = DoubleVector.broadcast(SPECIES, a[aq + 3 * ars]).fma(b1, d3);
        }
        for (; p < k; p++) {
            DoubleVector b0 = DoubleVector.fromArray(SPECIES, b, bj + p * ldb, mask);
            int ap = ai + p * acs;
            c0 = DoubleVector.broadcast(SPECIES, a[ap]).fma(b0, c0);
            c1 = DoubleVector.broadcast(SPECIES, a[ap + ars]).fma(b0, c1);
            c2 = DoubleVector.broadcast(SPECIES, a[ap + 2 * ars]).fma(b0, c2);
            c3 = DoubleVector.broadcast(SPECIES, a[ap + 3 * ars]).fma(b0, c3);
        }
        c0.add(d0).intoArray(scratch, 0);
        c1.add(d1).intoArray(scratch, LANES);
        c2.add(d2).intoArray(scratch, 2 * LANES);
        c3.add(d3).intoArray(scratch, 3 * LANES);
        accumulateMasked(scratch, alpha, beta, c, ci, ldc, width);
    }

    /** {@code C = α·s + β·C} on the first {@code width} columns of four rows of C; row r of s starts at r·LANES. */
    private static void accumulateMasked(double[] s, double alpha, double beta, double[] c, int ci, int ldc,
                                         int width) {
        VectorMask<Double> mask = SPECIES.indexInRange(0, width);
        DoubleVector av = DoubleVector.broadcast(SPECIES, alpha), bv = DoubleVector.broadcast(SPECIES, beta);
        for (int r = 0; r < MR; r++) {
            int cr = ci + r * ldc;
            DoubleVector.fromArray(SPECIES, s, r * LANES).mul(av)
                    .add(DoubleVector.fromArray(SPECIES, c, cr, mask).mul(bv)).intoArray(c, cr, mask);
        }
    }

    /**
     * One row of C, three vectors wide: three independent FMA chains (a row alone — batch 1, or the rows left after
     * the blocks of four — would otherwise run one latency-bound chain per vector). Each element's chain is the one
     * {@link #kernel1x1Over} computes, so the bits are the same.
     */
    private static void kernel1x3Over(int k, double alpha, double[] a, int ai, int acs,
                                      double[] b, int bj, int ldb, double[] c, int ci) {
        DoubleVector c0 = DoubleVector.zero(SPECIES), c1 = c0, c2 = c0;
        for (int p = 0; p < k; p++) {
            int bp = bj + p * ldb;
            DoubleVector av = DoubleVector.broadcast(SPECIES, a[ai + p * acs]);
            c0 = av.fma(DoubleVector.fromArray(SPECIES, b, bp), c0);
            c1 = av.fma(DoubleVector.fromArray(SPECIES, b, bp + LANES), c1);
            c2 = av.fma(DoubleVector.fromArray(SPECIES, b, bp + 2 * LANES), c2);
        }
        DoubleVector av = DoubleVector.broadcast(SPECIES, alpha);
        c0.mul(av).intoArray(c, ci);
        c1.mul(av).intoArray(c, ci + LANES);
        c2.mul(av).intoArray(c, ci + 2 * LANES);
    }

    private static void kernel1x3Acc(int k, double alpha, double[] a, int ai, int acs,
                                     double[] b, int bj, int ldb, double beta, double[] c, int ci) {
        DoubleVector c0 = DoubleVector.zero(SPECIES), c1 = c0, c2 = c0;
        for (int p = 0; p < k; p++) {
            int bp = bj + p * ldb;
            DoubleVector av = DoubleVector.broadcast(SPECIES, a[ai + p * acs]);
            c0 = av.fma(DoubleVector.fromArray(SPECIES, b, bp), c0);
            c1 = av.fma(DoubleVector.fromArray(SPECIES, b, bp + LANES), c1);
            c2 = av.fma(DoubleVector.fromArray(SPECIES, b, bp + 2 * LANES), c2);
        }
        DoubleVector av = DoubleVector.broadcast(SPECIES, alpha), bv = DoubleVector.broadcast(SPECIES, beta);
        c0.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci).mul(bv)).intoArray(c, ci);
        c1.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + LANES).mul(bv)).intoArray(c, ci + LANES);
        c2.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 2 * LANES).mul(bv)).intoArray(c, ci + 2 * LANES);
    }

    /** {@link #kernel1x3Over}, two vectors wide. */
    private static void kernel1x2Over(int k, double alpha, double[] a, int ai, int acs,
                                      double[] b, int bj, int ldb, double[] c, int ci) {
        DoubleVector c0 = DoubleVector.zero(SPECIES), c1 = c0;
        for (int p = 0; p < k; p++) {
            int bp = bj + p * ldb;
            DoubleVector av = DoubleVector.broadcast(SPECIES, a[ai + p * acs]);
            c0 = av.fma(DoubleVector.fromArray(SPECIES, b, bp), c0);
            c1 = av.fma(DoubleVector.fromArray(SPECIES, b, bp + LANES), c1);
        }
        DoubleVector av = DoubleVector.broadcast(SPECIES, alpha);
        c0.mul(av).intoArray(c, ci);
        c1.mul(av).intoArray(c, ci + LANES);
    }

    private static void kernel1x2Acc(int k, double alpha, double[] a, int ai, int acs,
                                     double[] b, int bj, int ldb, double beta, double[] c, int ci) {
        DoubleVector c0 = DoubleVector.zero(SPECIES), c1 = c0;
        for (int p = 0; p < k; p++) {
            int bp = bj + p * ldb;
            DoubleVector av = DoubleVector.broadcast(SPECIES, a[ai + p * acs]);
            c0 = av.fma(DoubleVector.fromArray(SPECIES, b, bp), c0);
            c1 = av.fma(DoubleVector.fromArray(SPECIES, b, bp + LANES), c1);
        }
        DoubleVector av = DoubleVector.broadcast(SPECIES, alpha), bv = DoubleVector.broadcast(SPECIES, beta);
        c0.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci).mul(bv)).intoArray(c, ci);
        c1.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + LANES).mul(bv)).intoArray(c, ci + LANES);
    }

    private static void kernel1x1Over(int k, double alpha, double[] a, int ai, int acs,
                                  double[] b, int bj, int ldb, double[] c, int ci) {
        DoubleVector c0 = DoubleVector.zero(SPECIES);
        for (int p = 0; p < k; p++) {
            c0 = DoubleVector.broadcast(SPECIES, a[ai + p * acs]).fma(DoubleVector.fromArray(SPECIES, b, bj + p * ldb), c0);
        }
        DoubleVector av = DoubleVector.broadcast(SPECIES, alpha);
        c0.mul(av).intoArray(c, ci);
    }

    private static void kernel1x1Acc(int k, double alpha, double[] a, int ai, int acs,
                                  double[] b, int bj, int ldb, double beta, double[] c, int ci) {
        DoubleVector c0 = DoubleVector.zero(SPECIES);
        for (int p = 0; p < k; p++) {
            c0 = DoubleVector.broadcast(SPECIES, a[ai + p * acs]).fma(DoubleVector.fromArray(SPECIES, b, bj + p * ldb), c0);
        }
        DoubleVector av = DoubleVector.broadcast(SPECIES, alpha), bv = DoubleVector.broadcast(SPECIES, beta);
        c0.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci).mul(bv)).intoArray(c, ci);
    }

    private static void kernel1x1MaskedOver(int k, double alpha, double[] a, int ai, int acs,
                                        double[] b, int bj, int ldb, double[] c, int ci, int width) {
        VectorMask<Double> mask = SPECIES.indexInRange(0, width);
        DoubleVector c0 = DoubleVector.zero(SPECIES);
        for (int p = 0; p < k; p++) {
            c0 = DoubleVector.broadcast(SPECIES, a[ai + p * acs])
                    .fma(DoubleVector.fromArray(SPECIES, b, bj + p * ldb, mask), c0);
        }
        DoubleVector av = DoubleVector.broadcast(SPECIES, alpha);
        c0.mul(av).intoArray(c, ci, mask);
    }

    private static void kernel1x1MaskedAcc(int k, double alpha, double[] a, int ai, int acs,
                                        double[] b, int bj, int ldb, double beta, double[] c, int ci, int width) {
        VectorMask<Double> mask = SPECIES.indexInRange(0, width);
        DoubleVector c0 = DoubleVector.zero(SPECIES);
        for (int p = 0; p < k; p++) {
            c0 = DoubleVector.broadcast(SPECIES, a[ai + p * acs])
                    .fma(DoubleVector.fromArray(SPECIES, b, bj + p * ldb, mask), c0);
        }
        DoubleVector av = DoubleVector.broadcast(SPECIES, alpha), bv = DoubleVector.broadcast(SPECIES, beta);
        c0.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci, mask).mul(bv)).intoArray(c, ci, mask);
    }

    /** {@code C = β·C} (the whole product when k = 0 or α = 0); β = 0 writes zeros. */
    static void scale(int m, int n, double beta, double[] c, int cOff, int ldc) {
        if (beta == 1.0) return;
        for (int i = 0; i < m; i++) {
            int row = cOff + i * ldc;
            if (beta == 0.0) {
                java.util.Arrays.fill(c, row, row + n, 0.0);
            } else {
                for (int j = 0; j < n; j++) c[row + j] *= beta;
            }
        }
    }
}
