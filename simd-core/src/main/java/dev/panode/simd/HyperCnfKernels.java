package dev.panode.simd;

import static dev.panode.simd.Simd.LANES;
import static dev.panode.simd.Simd.SPECIES;

import jdk.incubator.vector.DoubleVector;

/**
 * The per-sample work of a one-hidden-layer continuous normalising flow whose weights are given per time (the
 * dynamics of Chen et al.'s CNF example, where a hypernetwork emits them): for a sample z ∈ ℝᴰ and hidden units
 * k = 0 … K−1,
 * <pre>
 *   h_k = tanh(W_k·z + b_k),    f(z) = Σ_k h_k U_k,    T(z) = Σ_k (1 − h_k²) c_k
 * </pre>
 * where T is the exact trace of ∂f/∂z when {@code c_k = U_k·W_k} (∂f_i/∂z_j = Σ_k U_ki (1 − h_k²) W_kj), so the
 * divergence costs one multiply-add per unit instead of D Jacobian–vector products.
 *
 * <p>Layout: samples are columns of a structure of arrays, coordinate i of sample r at {@code z[i·ld + r]}; W and U
 * are {@code K × D} row-major ({@code w[k·D + i]}), b and c have K entries. {@link #forward} writes f into the first
 * D columns of {@code out} and T into column D; {@link #backward} is its vector–Jacobian product.
 *
 * <p>D = 2 (the 2-D toys) runs on vectors over the samples, K units per sample in registers; other D take the scalar
 * twins {@link #forwardScalar} and {@link #backwardScalar}, which are also the oracles of the tests (they differ from
 * the vector kernels by the order of the sums only; tanh is {@link ReproducibleTanh}, lane for lane the scalar's bits).
 * Cost per sample: K tanh and about 5K (forward) or 16K (backward) flops for D = 2. Nothing is allocated; arguments
 * are not checked (the field calling them checks its own).
 */
public final class HyperCnfKernels {
    private HyperCnfKernels() {}

    /** Samples per block of the backward kernel: its ten columns stay in the L1 cache (20 KB). */
    static final int BLOCK = 256;
    /** Accumulators per unit of the backward kernel (W̄ twice, b̄, Ū twice, c̄). */
    private static final int SUMS = 6;
    private static final DoubleVector ONE = DoubleVector.broadcast(SPECIES, 1.0);

    /**
     * The scratch {@link #forward} and {@link #backward} need for K units, in doubles: the backward kernel's lane sums,
     * then a column of {@link #BLOCK} pre-activations (the forward kernel uses the first {@code K·LANES}).
     */
    public static int scratchLength(int units) {
        return SUMS * units * LANES + BLOCK;
    }

    /**
     * {@code out[i·ld + r] = f_i(z_r)} for i &lt; D and {@code out[D·ld + r] = T(z_r)}, for the n samples r &lt; n.
     * {@code scratch} holds at least {@link #scratchLength}(K) doubles (D = 2 only; may be null otherwise).
     */
    public static void forward(int n, int d, int units, double[] z, int ld, double[] w, double[] b, double[] u,
                               double[] c, double[] out, double[] scratch) {
        if (d == 2) {
            forward2(n, units, z, ld, w, b, u, c, out, scratch);
        } else {
            forwardScalar(n, d, units, z, ld, w, b, u, c, out);
        }
    }

    /**
     * The vector–Jacobian product of {@link #forward} with cotangent {@code a} (D + 1 columns: ā on f, then ā_T on T):
     * with {@code g_k = (1 − h_k²)(ā·U_k − 2 ā_T h_k c_k)},
     * <ul>
     *   <li>{@code zBar[i·ld + r] = Σ_k g_k W_ki}, overwritten;</li>
     *   <li>{@code wBar[k·D + i] += Σ_r g_k z_i}, {@code bBar[k] += Σ_r g_k}, {@code uBar[k·D + i] += Σ_r h_k ā_i},
     *       {@code cBar[k] += Σ_r ā_T (1 − h_k²)};</li>
     *   <li>{@code out} as {@link #forward} when non-null.</li>
     * </ul>
     * {@code scratch} holds at least {@link #scratchLength}(K) doubles (D = 2 only; may be null otherwise).
     */
    public static void backward(int n, int d, int units, double[] z, double[] a, int ld, double[] w, double[] b,
                                double[] u, double[] c, double[] zBar, double[] wBar, double[] bBar, double[] uBar,
                                double[] cBar, double[] out, double[] scratch) {
        if (d == 2) {
            backward2(n, units, z, a, ld, w, b, u, c, zBar, wBar, bBar, uBar, cBar, out, scratch);
        } else {
            backwardScalar(n, d, units, z, a, ld, w, b, u, c, zBar, wBar, bBar, uBar, cBar, out);
        }
    }

    /**
     * D = 2 on vectors of samples: per vector, the K pre-activations into {@code col}, their tanh there in one
     * {@link ReproducibleTanh#apply} pass (no vector is passed to a method, which C2 may box when it does not inline
     * it), then the sums.
     */
    private static void forward2(int n, int units, double[] z, int ld, double[] w, double[] b, double[] u,
                                 double[] c, double[] out, double[] col) {
        int r = 0;
        for (int bound = SPECIES.loopBound(n); r < bound; r += LANES) {
            DoubleVector z0 = DoubleVector.fromArray(SPECIES, z, r);
            DoubleVector z1 = DoubleVector.fromArray(SPECIES, z, ld + r);
            for (int k = 0; k < units; k++) {
                z1.fma(DoubleVector.broadcast(SPECIES, w[2 * k + 1]),
                        z0.fma(DoubleVector.broadcast(SPECIES, w[2 * k]), DoubleVector.broadcast(SPECIES, b[k])))
                        .intoArray(col, k * LANES);
            }
            ReproducibleTanh.apply(col, 0, col, 0, units * LANES);
            DoubleVector f0 = DoubleVector.zero(SPECIES), f1 = f0, tr = f0;
            for (int k = 0; k < units; k++) {
                DoubleVector h = DoubleVector.fromArray(SPECIES, col, k * LANES);
                f0 = h.fma(DoubleVector.broadcast(SPECIES, u[2 * k]), f0);
                f1 = h.fma(DoubleVector.broadcast(SPECIES, u[2 * k + 1]), f1);
                tr = h.neg().fma(h, ONE).fma(DoubleVector.broadcast(SPECIES, c[k]), tr);
            }
            f0.intoArray(out, r);
            f1.intoArray(out, ld + r);
            tr.intoArray(out, 2 * ld + r);
        }
        for (; r < n; r++) {
            double z0 = z[r], z1 = z[ld + r], f0 = 0.0, f1 = 0.0, tr = 0.0;
            for (int k = 0; k < units; k++) {
                double h = ReproducibleTanh.tanh(Math.fma(z1, w[2 * k + 1], Math.fma(z0, w[2 * k], b[k])));
                f0 = Math.fma(h, u[2 * k], f0);
                f1 = Math.fma(h, u[2 * k + 1], f1);
                tr = Math.fma(Math.fma(-h, h, 1.0), c[k], tr);
            }
            out[r] = f0;
            out[ld + r] = f1;
            out[2 * ld + r] = tr;
        }
    }

    private static void backward2(int n, int units, double[] z, double[] a, int ld, double[] w, double[] b,
                                  double[] u, double[] c, double[] zBar, double[] wBar, double[] bBar, double[] uBar,
                                  double[] cBar, double[] out, double[] lanes) {
        java.util.Arrays.fill(zBar, 0, n, 0.0);
        java.util.Arrays.fill(zBar, ld, ld + n, 0.0);
        if (out != null) {
            for (int i = 0; i < 3; i++) java.util.Arrays.fill(out, i * ld, i * ld + n, 0.0);
        }
        java.util.Arrays.fill(lanes, 0, SUMS * units * LANES, 0.0);
        int col = SUMS * units * LANES; // a block's pre-activations, then their tanh (ReproducibleTanh.apply)
        int vectorEnd = SPECIES.loopBound(n);
        for (int r0 = 0; r0 < vectorEnd; r0 += BLOCK) {
            int r1 = Math.min(vectorEnd, r0 + BLOCK);
            for (int k = 0; k < units; k++) {
                double w0 = w[2 * k], w1 = w[2 * k + 1], u0 = u[2 * k], u1 = u[2 * k + 1], ck = c[k];
                DoubleVector bk = DoubleVector.broadcast(SPECIES, b[k]);
                DoubleVector w0v = DoubleVector.broadcast(SPECIES, w0), w1v = DoubleVector.broadcast(SPECIES, w1);
                DoubleVector u0v = DoubleVector.broadcast(SPECIES, u0), u1v = DoubleVector.broadcast(SPECIES, u1);
                DoubleVector ckv = DoubleVector.broadcast(SPECIES, ck);
                DoubleVector minusTwoC = DoubleVector.broadcast(SPECIES, -2.0 * ck);
                for (int r = r0; r < r1; r += LANES) {
                    DoubleVector z0 = DoubleVector.fromArray(SPECIES, z, r);
                    DoubleVector.fromArray(SPECIES, z, ld + r).fma(w1v, z0.fma(w0v, bk)).intoArray(lanes, col + r - r0);
                }
                ReproducibleTanh.apply(lanes, col, lanes, col, r1 - r0);
                DoubleVector sw0 = DoubleVector.zero(SPECIES), sw1 = sw0, sb = sw0, su0 = sw0, su1 = sw0, sc = sw0;
                for (int r = r0; r < r1; r += LANES) {
                    DoubleVector z0 = DoubleVector.fromArray(SPECIES, z, r);
                    DoubleVector z1 = DoubleVector.fromArray(SPECIES, z, ld + r);
                    DoubleVector h = DoubleVector.fromArray(SPECIES, lanes, col + r - r0);
                    DoubleVector s = h.neg().fma(h, ONE);
                    DoubleVector a0 = DoubleVector.fromArray(SPECIES, a, r);
                    DoubleVector a1 = DoubleVector.fromArray(SPECIES, a, ld + r);
                    DoubleVector at = DoubleVector.fromArray(SPECIES, a, 2 * ld + r);
                    DoubleVector g = s.mul(at.mul(h).fma(minusTwoC, a1.fma(u1v, a0.mul(u0v))));
                    sw0 = g.fma(z0, sw0);
                    sw1 = g.fma(z1, sw1);
                    sb = sb.add(g);
                    su0 = h.fma(a0, su0);
                    su1 = h.fma(a1, su1);
                    sc = at.fma(s, sc);
                    g.fma(w0v, DoubleVector.fromArray(SPECIES, zBar, r)).intoArray(zBar, r);
                    g.fma(w1v, DoubleVector.fromArray(SPECIES, zBar, ld + r)).intoArray(zBar, ld + r);
                    if (out != null) {
                        h.fma(u0v, DoubleVector.fromArray(SPECIES, out, r)).intoArray(out, r);
                        h.fma(u1v, DoubleVector.fromArray(SPECIES, out, ld + r)).intoArray(out, ld + r);
                        s.fma(ckv, DoubleVector.fromArray(SPECIES, out, 2 * ld + r)).intoArray(out, 2 * ld + r);
                    }
                }
                int at = SUMS * k * LANES;
                DoubleVector.fromArray(SPECIES, lanes, at).add(sw0).intoArray(lanes, at);
                DoubleVector.fromArray(SPECIES, lanes, at + LANES).add(sw1).intoArray(lanes, at + LANES);
                DoubleVector.fromArray(SPECIES, lanes, at + 2 * LANES).add(sb).intoArray(lanes, at + 2 * LANES);
                DoubleVector.fromArray(SPECIES, lanes, at + 3 * LANES).add(su0).intoArray(lanes, at + 3 * LANES);
                DoubleVector.fromArray(SPECIES, lanes, at + 4 * LANES).add(su1).intoArray(lanes, at + 4 * LANES);
                DoubleVector.fromArray(SPECIES, lanes, at + 5 * LANES).add(sc).intoArray(lanes, at + 5 * LANES);
            }
        }
        for (int k = 0; k < units; k++) {
            int at = SUMS * k * LANES;
            double sw0 = 0.0, sw1 = 0.0, sb = 0.0, su0 = 0.0, su1 = 0.0, sc = 0.0;
            for (int l = 0; l < LANES; l++) {
                sw0 += lanes[at + l];
                sw1 += lanes[at + LANES + l];
                sb += lanes[at + 2 * LANES + l];
                su0 += lanes[at + 3 * LANES + l];
                su1 += lanes[at + 4 * LANES + l];
                sc += lanes[at + 5 * LANES + l];
            }
            double w0 = w[2 * k], w1 = w[2 * k + 1], u0 = u[2 * k], u1 = u[2 * k + 1], ck = c[k];
            for (int r = vectorEnd; r < n; r++) {
                double z0 = z[r], z1 = z[ld + r];
                double h = ReproducibleTanh.tanh(Math.fma(z1, w1, Math.fma(z0, w0, b[k])));
                double s = Math.fma(-h, h, 1.0);
                double a0 = a[r], a1 = a[ld + r], aT = a[2 * ld + r];
                double g = s * Math.fma(aT * h, -2.0 * ck, Math.fma(a1, u1, a0 * u0));
                sw0 = Math.fma(g, z0, sw0);
                sw1 = Math.fma(g, z1, sw1);
                sb += g;
                su0 = Math.fma(h, a0, su0);
                su1 = Math.fma(h, a1, su1);
                sc = Math.fma(aT, s, sc);
                zBar[r] = Math.fma(g, w0, zBar[r]);
                zBar[ld + r] = Math.fma(g, w1, zBar[ld + r]);
                if (out != null) {
                    out[r] = Math.fma(h, u0, out[r]);
                    out[ld + r] = Math.fma(h, u1, out[ld + r]);
                    out[2 * ld + r] = Math.fma(s, ck, out[2 * ld + r]);
                }
            }
            wBar[2 * k] += sw0;
            wBar[2 * k + 1] += sw1;
            bBar[k] += sb;
            uBar[2 * k] += su0;
            uBar[2 * k + 1] += su1;
            cBar[k] += sc;
        }
    }

    /** {@link #forward} for any D in plain loops: the oracle of the vector kernel. */
    public static void forwardScalar(int n, int d, int units, double[] z, int ld, double[] w, double[] b, double[] u,
                                     double[] c, double[] out) {
        for (int r = 0; r < n; r++) {
            for (int i = 0; i <= d; i++) out[i * ld + r] = 0.0;
            for (int k = 0; k < units; k++) {
                double pre = b[k];
                for (int i = 0; i < d; i++) pre = Math.fma(z[i * ld + r], w[k * d + i], pre);
                double h = ReproducibleTanh.tanh(pre);
                for (int i = 0; i < d; i++) out[i * ld + r] = Math.fma(h, u[k * d + i], out[i * ld + r]);
                out[d * ld + r] = Math.fma(Math.fma(-h, h, 1.0), c[k], out[d * ld + r]);
            }
        }
    }

    /** {@link #backward} for any D in plain loops: the oracle of the vector kernel. */
    public static void backwardScalar(int n, int d, int units, double[] z, double[] a, int ld, double[] w,
                                      double[] b, double[] u, double[] c, double[] zBar, double[] wBar, double[] bBar,
                                      double[] uBar, double[] cBar, double[] out) {
        for (int r = 0; r < n; r++) {
            for (int i = 0; i < d; i++) zBar[i * ld + r] = 0.0;
            if (out != null) {
                for (int i = 0; i <= d; i++) out[i * ld + r] = 0.0;
            }
            double aT = a[d * ld + r];
            for (int k = 0; k < units; k++) {
                double pre = b[k];
                for (int i = 0; i < d; i++) pre = Math.fma(z[i * ld + r], w[k * d + i], pre);
                double h = ReproducibleTanh.tanh(pre);
                double s = Math.fma(-h, h, 1.0);
                double q = 0.0;
                for (int i = 0; i < d; i++) q = Math.fma(a[i * ld + r], u[k * d + i], q);
                double g = s * Math.fma(aT * h, -2.0 * c[k], q);
                for (int i = 0; i < d; i++) {
                    wBar[k * d + i] = Math.fma(g, z[i * ld + r], wBar[k * d + i]);
                    uBar[k * d + i] = Math.fma(h, a[i * ld + r], uBar[k * d + i]);
                    zBar[i * ld + r] = Math.fma(g, w[k * d + i], zBar[i * ld + r]);
                    if (out != null) out[i * ld + r] = Math.fma(h, u[k * d + i], out[i * ld + r]);
                }
                bBar[k] += g;
                cBar[k] = Math.fma(aT, s, cBar[k]);
                if (out != null) out[d * ld + r] = Math.fma(s, c[k], out[d * ld + r]);
            }
        }
    }
}
