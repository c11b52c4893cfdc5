package dev.panode.solvers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The published coefficients checked against the theory rather than trusted: Kværnø's ESDIRK pair satisfies every
 * Runge–Kutta order condition (Butcher's rooted trees) up to order 5 for b and 4 for b̂, and not all of order 6;
 * Rodas5P, transformed back to the classical (α, γ, b) form, satisfies the Rosenbrock conditions up to order 4
 * (Hairer–Wanner II, Table IV.7.1) for both weight vectors, its c_i and d_i are the row sums of α and Γ, and both
 * methods are L-stable along the negative real axis (|R(z)| ≤ 1, R(−∞) = 0).
 */
class ImplicitTableauTest {

    /** A rooted tree as the list of its children's subtrees. */
    record Tree(List<Tree> children) {
        int order() {
            return 1 + children.stream().mapToInt(Tree::order).sum();
        }

        /** γ(t) = |t| · Π γ(children). */
        double density() {
            double g = order();
            for (Tree c : children) g *= c.density();
            return g;
        }

        /** Φ_i(t) = Π_children (A Φ(child))_i. */
        double[] phi(double[][] a) {
            int s = a.length;
            double[] v = new double[s];
            java.util.Arrays.fill(v, 1.0);
            for (Tree c : children) {
                double[] pc = c.phi(a);
                for (int i = 0; i < s; i++) {
                    double acc = 0;
                    for (int j = 0; j < s; j++) acc += a[i][j] * pc[j];
                    v[i] *= acc;
                }
            }
            return v;
        }
    }

    /** Every rooted tree of the given order, each once (children as non-increasing sequences in a fixed enumeration). */
    static List<Tree> trees(int order) {
        List<Tree> out = new ArrayList<>();
        List<Tree> all = new ArrayList<>();
        for (int k = 1; k < order; k++) all.addAll(trees(k));
        partitions(order - 1, all, all.size() - 1, new ArrayList<>(), out);
        return out;
    }

    private static void partitions(int remaining, List<Tree> pool, int maxIndex, List<Tree> chosen, List<Tree> out) {
        if (remaining == 0) {
            out.add(new Tree(List.copyOf(chosen)));
            return;
        }
        for (int i = maxIndex; i >= 0; i--) {
            Tree t = pool.get(i);
            if (t.order() > remaining) continue;
            chosen.add(t);
            partitions(remaining - t.order(), pool, i, chosen, out);
            chosen.remove(chosen.size() - 1);
        }
    }

    private static double[][] square(double[][] lower, int s) {
        double[][] a = new double[s][s];
        for (int i = 0; i < s; i++) System.arraycopy(lower[i], 0, a[i], 0, lower[i].length);
        return a;
    }

    /** max over trees of the given orders of |b·Φ(t) − 1/γ(t)|. */
    private static double worstDefect(double[][] a, double[] b, int fromOrder, int toOrder) {
        double worst = 0;
        for (int p = fromOrder; p <= toOrder; p++) {
            for (Tree t : trees(p)) {
                double[] phi = t.phi(a);
                double sum = 0;
                for (int i = 0; i < b.length; i++) sum += b[i] * phi[i];
                worst = Math.max(worst, Math.abs(sum - 1.0 / t.density()));
            }
        }
        return worst;
    }

    @Test
    void treeCountsAreButchers() {
        assertEquals(List.of(1, 1, 2, 4, 9, 20), List.of(trees(1).size(), trees(2).size(), trees(3).size(),
                trees(4).size(), trees(5).size(), trees(6).size()));
    }

    @Test
    void kvaerno5SatisfiesTheOrderConditions() {
        DirkTableau t = DirkTableau.kvaerno5();
        double[][] a = square(t.a(), t.stages());
        double main = worstDefect(a, t.b(), 1, 5), embedded = worstDefect(a, t.bHat(), 1, 4);
        System.out.printf("[ImplicitTableauTest] kvaerno5: order-5 defect %.1e, embedded order-4 defect %.1e, order-6 %.1e%n",
                main, embedded, worstDefect(a, t.b(), 6, 6));
        assertTrue(main < 1e-14, "b: " + main);
        assertTrue(embedded < 1e-14, "b̂: " + embedded);
        assertTrue(worstDefect(a, t.b(), 6, 6) > 1e-6, "b is not of order 6");
        assertTrue(worstDefect(a, t.bHat(), 5, 5) > 1e-6, "b̂ is not of order 5");
        assertLStable(a, t.b());
    }

    @Test
    void rodas5pSatisfiesTheRosenbrockOrderConditions() {
        RosenbrockTableau t = RosenbrockTableau.rodas5p();
        int s = t.stages();
        double g = t.gamma();
        // Γ⁻¹ = diag(1/γ) − C, α = a·Γ, b = m·Γ (Hairer–Wanner II (7.24)–(7.25), inverted)
        double[][] gammaInv = new double[s][s], tA = square(t.a(), s), tC = square(t.cc(), s);
        for (int i = 0; i < s; i++) for (int j = 0; j < s; j++) gammaInv[i][j] = (i == j ? 1 / g : 0) - tC[i][j];
        double[][] gam = invertLower(gammaInv);
        double[][] alpha = mul(tA, gam);
        double[] b = rowTimes(t.m(), gam), bHat = rowTimes(t.mHat(), gam);
        double[] c = t.c(), d = t.d();
        for (int i = 0; i < s; i++) {
            double ai = 0, gi = 0;
            for (int j = 0; j < s; j++) {
                ai += alpha[i][j];
                gi += gam[i][j];
            }
            assertEquals(c[i], ai, 1e-13, "c[" + i + "] = Σ α_ij");
            assertEquals(d[i], gi, 1e-13, "d[" + i + "] = Σ γ_ij");
        }
        for (double[] w : new double[][] {b, bHat}) {
            double defect = rosenbrockDefect(alpha, gam, w, g);
            assertTrue(defect < 1e-13, "order-4 Rosenbrock conditions: defect " + defect);
        }
        // stiffly accurate: b is the last row of β = α + Γ, b̂ the row before it
        double[][] beta = new double[s][s];
        for (int i = 0; i < s; i++) for (int j = 0; j < s; j++) beta[i][j] = alpha[i][j] + gam[i][j];
        for (int j = 0; j < s; j++) {
            assertEquals(beta[s - 1][j], b[j], 1e-12, "b = last row of β");
            assertEquals(beta[s - 2][j], bHat[j], 1e-12, "b̂ = row s−1 of β");
        }
        assertLStable(beta, b);
    }

    /** Hairer–Wanner II Table IV.7.1, orders 1..4, with β'_i = Σ_{j<i} β_ij and α_i = Σ_j α_ij. */
    private static double rosenbrockDefect(double[][] alpha, double[][] gam, double[] b, double g) {
        int s = b.length;
        double[][] beta = new double[s][s];
        double[] bp = new double[s], al = new double[s];
        for (int i = 0; i < s; i++) {
            for (int j = 0; j < i; j++) {
                beta[i][j] = alpha[i][j] + gam[i][j];
                bp[i] += beta[i][j];
            }
            for (int j = 0; j < s; j++) al[i] += alpha[i][j];
        }
        double[] betaBp = matVec(beta, bp), betaAl2 = new double[s], alphaBp = matVec(alpha, bp);
        double[] al2 = new double[s];
        for (int i = 0; i < s; i++) al2[i] = al[i] * al[i];
        betaAl2 = matVec(beta, al2);
        double[] betaBetaBp = matVec(beta, betaBp);
        double[] residuals = {
                dot(b, ones(s)) - 1,
                dot(b, bp) - (0.5 - g),
                dot(b, al2) - 1.0 / 3,
                dot(b, betaBp) - (1.0 / 6 - g + g * g),
                dot(b, times(al2, al)) - 0.25,
                dot(b, times(al, alphaBp)) - (1.0 / 8 - g / 3),
                dot(b, betaAl2) - (1.0 / 12 - g / 3),
                dot(b, betaBetaBp) - (1.0 / 24 - g / 2 + 1.5 * g * g - g * g * g)};
        double worst = 0;
        for (double r : residuals) worst = Math.max(worst, Math.abs(r));
        return worst;
    }

    /** R(z) = 1 + z bᵀ(I − zA)⁻¹1 on the negative real axis: |R| ≤ 1 and R(−10⁸) ≈ 0. */
    private static void assertLStable(double[][] a, double[] b) {
        for (double z = -1e-2; z > -1e9; z *= 1.7) {
            double r = stability(a, b, z);
            assertTrue(Math.abs(r) <= 1 + 1e-12, "|R(" + z + ")| = " + Math.abs(r));
        }
        assertEquals(0.0, stability(a, b, -1e8), 1e-6, "R(−∞) = 0");
    }

    private static double stability(double[][] a, double[] b, double z) {
        int s = b.length;
        double[][] m = new double[s][s];
        for (int i = 0; i < s; i++) for (int j = 0; j < s; j++) m[i][j] = (i == j ? 1 : 0) - z * a[i][j];
        double[] x = ones(s); // forward substitution: I − zA is lower triangular
        for (int i = 0; i < s; i++) {
            double acc = x[i];
            for (int j = 0; j < i; j++) acc -= m[i][j] * x[j];
            x[i] = acc / m[i][i];
        }
        return 1 + z * dot(b, x);
    }

    private static double[][] invertLower(double[][] l) {
        int s = l.length;
        double[][] inv = new double[s][s];
        for (int col = 0; col < s; col++) {
            for (int i = 0; i < s; i++) {
                double acc = i == col ? 1 : 0;
                for (int j = 0; j < i; j++) acc -= l[i][j] * inv[j][col];
                inv[i][col] = acc / l[i][i];
            }
        }
        return inv;
    }

    private static double[][] mul(double[][] p, double[][] q) {
        int s = p.length;
        double[][] r = new double[s][s];
        for (int i = 0; i < s; i++) for (int k = 0; k < s; k++) for (int j = 0; j < s; j++) r[i][j] += p[i][k] * q[k][j];
        return r;
    }

    private static double[] rowTimes(double[] v, double[][] m) {
        double[] r = new double[v.length];
        for (int j = 0; j < v.length; j++) for (int i = 0; i < v.length; i++) r[j] += v[i] * m[i][j];
        return r;
    }

    private static double[] matVec(double[][] m, double[] v) {
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) for (int j = 0; j < v.length; j++) r[i] += m[i][j] * v[j];
        return r;
    }

    private static double[] times(double[] p, double[] q) {
        double[] r = new double[p.length];
        for (int i = 0; i < p.length; i++) r[i] = p[i] * q[i];
        return r;
    }

    private static double[] ones(int s) {
        double[] r = new double[s];
        java.util.Arrays.fill(r, 1.0);
        return r;
    }

    private static double dot(double[] p, double[] q) {
        double r = 0;
        for (int i = 0; i < p.length; i++) r += p[i] * q[i];
        return r;
    }

    @Test
    void malformedTableauxAreRefusedWithTheirReason() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new DirkTableau("x",
                new double[] {0, 0.5, 1, 1}, new double[][] {{0}, {0.25, 0.25}, {0.5, 0.25, 0.25}, {0.4, 0.1, 0.2, 0.3}},
                3, 2));
        assertTrue(e.getMessage().contains("a[3][3] = 0.3") && e.getMessage().contains("γ = 0.25"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new DirkTableau("x",
                new double[] {0, 0.5, 0.9, 1}, new double[][] {{0}, {0.25, 0.25}, {0.65, 0, 0.25}, {0.5, 0.25, 0, 0.25}},
                3, 2));
        assertTrue(e.getMessage().contains("stiffly accurate"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new DirkTableau("x",
                new double[] {0, 0.6, 1, 1}, new double[][] {{0}, {0.25, 0.25}, {0.5, 0.25, 0.25}, {0.5, 0.25, 0, 0.25}},
                3, 2));
        assertTrue(e.getMessage().contains("row 1 of a sums to 0.5 but c[1] = 0.6"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new RosenbrockTableau("r", 0.5, new double[] {0, 1},
                new double[] {0.5, 0}, new double[][] {{}, {1, 2}}, new double[][] {{}, {1}}, new double[] {1, 1},
                new double[] {1, 0}, 2, 1, new double[0][]));
        assertTrue(e.getMessage().contains("a[1] must have length 1, got 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Esdirk.kvaerno5().withNewton(0, 0.1, 0.3));
        assertTrue(e.getMessage().contains("maxNewtonIterations must be >= 1, got 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Esdirk.kvaerno5().withNewton(5, 1.5, 0.3));
        assertTrue(e.getMessage().contains("slowContraction must be in (0, 1), got 1.5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Esdirk.kvaerno5().withNewtonTolerance(0));
        assertTrue(e.getMessage().contains("newtonTolerance must be in (0, 1), got 0.0"), e.getMessage());
    }
}
