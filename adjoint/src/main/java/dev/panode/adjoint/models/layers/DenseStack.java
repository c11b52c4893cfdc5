package dev.panode.adjoint.models.layers;

import dev.panode.adjoint.models.Activation;
import dev.panode.simd.ActivationKernel;
import dev.panode.simd.DenseKernel;
import dev.panode.simd.DenseRowChain;
import dev.panode.simd.DenseVjpKernel;
import java.util.Arrays;

/**
 * A run of dense layers each followed by its activation, {@code X_l = σ_l(X_{l−1}·W_lᵀ + b_l)}, executed as the MLP's
 * fused kernels (ALGORITHMS.md §6): per layer one {@link DenseKernel}, its form (dot products for a narrow output,
 * broadcast micro-kernels with the bias and activation per L1-sized block of rows, a matrix–vector product of up to
 * eight vectors of outputs per pass for a single row, the GEMM dispatcher for wide inputs and OpenBLAS-sized products) chosen once, here;
 * backward {@code Ū_l = X̄_l ⊙ σ_l'}, {@code W̄_l += Ū_lᵀX_{l−1}}, {@code b̄_l += Σ Ū_l},
 * {@code X̄_{l−1} = Ū_l·W_l}, with the activation derivative applied in place on the cotangent and the rest by the
 * layer's {@link DenseVjpKernel} (for a single row one fused pass over W, for a block the GEMMs; the same bits).
 *
 * <p>{@link Sequential} builds one from every maximal run of {@link Dense} (optionally followed by an
 * {@link ActivationLayer}) it is given; the parameter layout is the Dense layers' slices one after the other.
 */
final class DenseStack implements Layer {
    private final int layers;
    private final int[] ins;
    private final int[] outs;
    private final int[] wOff;
    private final int[] bOff;
    private final Activation[] activations;
    private final ActivationKernel[] act;
    /** Each layer's fused kernel, its form chosen here, once, from the layer's shape. */
    private final DenseKernel[] kernels;
    /** Each layer's backward kernel (one fused pass for a single row, the GEMMs for a block). */
    private final DenseVjpKernel[] vjps;
    /** The whole stack for a single row in one call, when its shape allows ({@link DenseRowChain#of}); else null. */
    private final DenseRowChain rowChain;
    private final int parameters;
    private final int maxWidth;
    /**
     * Whether U_l is kept for the backward pass: only when σ_l' reads the pre-activation
     * ({@link ActivationKernel#derivativeNeedsPreActivation}); tanh, sigmoid and identity read only X_l, and their
     * forward pass applies σ_l in place.
     */
    private final boolean[] keepsPre;
    /** Where U_l (when kept) starts in a saved block, in units of rows; X_l follows it, but for the last layer. */
    private final int[] savedAt;
    /** The doubles a saved block holds per row ({@link #savedLength} is this times the rows). */
    private final int savedPerRow;

    DenseStack(int[] ins, int[] outs, Activation[] act) {
        this.layers = ins.length;
        this.ins = ins.clone();
        this.outs = outs.clone();
        this.activations = act.clone();
        this.act = new ActivationKernel[layers];
        this.kernels = new DenseKernel[layers];
        this.vjps = new DenseVjpKernel[layers];
        for (int l = 0; l < layers; l++) {
            this.act[l] = act[l].kernel();
            this.kernels[l] = DenseKernel.of(ins[l], outs[l], this.act[l]);
            this.vjps[l] = DenseVjpKernel.of(ins[l], outs[l]);
        }
        this.rowChain = DenseRowChain.of(kernels);
        this.wOff = new int[layers];
        this.bOff = new int[layers];
        int off = 0;
        int widest = ins[0];
        for (int l = 0; l < layers; l++) {
            wOff[l] = off;
            bOff[l] = off + outs[l] * ins[l];
            off = bOff[l] + outs[l];
            widest = Math.max(widest, outs[l]);
        }
        this.parameters = off;
        this.maxWidth = widest;
        this.keepsPre = new boolean[layers];
        this.savedAt = new int[layers];
        int at = 0;
        for (int l = 0; l < layers; l++) {
            keepsPre[l] = this.act[l].derivativeNeedsPreActivation();
            savedAt[l] = at;
            at += outs[l] * ((keepsPre[l] ? 1 : 0) + (l == layers - 1 ? 0 : 1));
        }
        this.savedPerRow = at;
    }

    @Override
    public int inputWidth() {
        return ins[0];
    }

    @Override
    public int outputWidth() {
        return outs[layers - 1];
    }

    @Override
    public int parameterCount() {
        return parameters;
    }

    @Override
    public int[] parameterTensorSizes() {
        int[] sizes = new int[2 * layers];
        for (int l = 0; l < layers; l++) {
            sizes[2 * l] = outs[l] * ins[l];
            sizes[2 * l + 1] = outs[l];
        }
        return sizes;
    }

    @Override
    public LayerWorkspace newWorkspace(int maxRows) {
        return new Work(maxRows, outs, keepsPre, maxWidth, kernels, vjps, rowChain);
    }

    @Override
    public void forward(double[] x, double[] y, int rows, Times time, double[] theta, int offset, LayerWorkspace ws) {
        run(x, y, rows, theta, offset, (Work) ws, true);
    }

    /** The forward pass with each activation applied in place (U is not kept). */
    @Override
    public void evaluate(double[] x, double[] y, int rows, Times time, double[] theta, int offset, LayerWorkspace ws) {
        run(x, y, rows, theta, offset, (Work) ws, false);
    }

    /**
     * U_l = X_{l−1}·W_lᵀ + 1·b_lᵀ, X_l = σ_l(U_l) by each layer's {@link DenseKernel}; the last X goes to {@code y}.
     * Without {@code keepPre}, or where the backward pass does not read U_l, the activation is applied in place.
     */
    private void run(double[] x, double[] y, int rows, double[] theta, int offset, Work w, boolean keepPre) {
        // a single row evaluated through the whole stack in one call: the same bits, no X_l kept for a backward pass
        if (rows == 1 && !keepPre && rowChain != null && rowChain.evaluate(x, theta, offset, y, w.chain)) return;
        double[] in = x;
        for (int l = 0; l < layers; l++) {
            double[] a = l == layers - 1 ? y : w.out[l];
            double[] u = keepPre && keepsPre[l] ? w.pre[l] : a;
            kernels[l].forward(rows, in, theta, offset + wOff[l], offset + bOff[l], u, a, w.kernel[l]);
            in = a;
        }
    }

    @Override
    public double backward(double[] x, double[] y, double[] yBar, double[] xBar, int rows, Times time, double[] theta,
                           int offset, double[] thetaBar, boolean wantTime, LayerWorkspace ws) {
        reverse(null, 0, x, y, yBar, xBar, rows, theta, offset, thetaBar, (Work) ws);
        return 0.0;
    }

    /**
     * The forward pass writing every kept U_l and every X_l (but the last X, which goes to {@code y}) straight into
     * {@code saved} in {@link #saveState}'s layout: the bits of {@link #forward}, with no copy. A U_l that is not
     * kept is X_l's own block before σ_l is applied in place.
     */
    @Override
    public void forwardSaving(double[] x, double[] y, int rows, Times time, double[] theta, int offset,
                              LayerWorkspace ws, double[] saved, int at) {
        Work w = (Work) ws;
        double[] in = x;
        int inAt = 0;
        for (int l = 0; l < layers; l++) {
            boolean last = l == layers - 1;
            double[] a = last ? y : saved;
            int aAt = last ? 0 : outputAt(saved, at, rows, l);
            kernels[l].forward(rows, in, inAt, theta, offset + wOff[l], offset + bOff[l], pre(saved, a, w, l),
                    preAt(saved, at, aAt, rows, l), a, aAt, w.kernel[l]);
            in = a;
            inAt = aAt;
        }
    }

    /** The backward pass reading every U_l and X_l from {@code saved} where {@link #forwardSaving} put them. */
    @Override
    public double backwardFromSaved(double[] saved, int at, double[] x, double[] y, double[] yBar, double[] xBar,
                                    int rows, Times time, double[] theta, int offset, double[] thetaBar,
                                    boolean wantTime, LayerWorkspace ws) {
        reverse(saved, at, x, y, yBar, xBar, rows, theta, offset, thetaBar, (Work) ws);
        return 0.0;
    }

    /**
     * Ū_L = ȳ ⊙ σ_L', then per layer backwards W̄_l += Ū_lᵀX_{l−1}, b̄_l += Σ Ū_l, X̄_{l−1} = Ū_l·W_l and
     * Ū_{l−1} = X̄_{l−1} ⊙ σ_{l−1}'. U_l and X_l come from the workspace ({@code saved} null) or from {@code saved}
     * at {@code at} in {@link #saveState}'s layout.
     */
    private void reverse(double[] saved, int at, double[] x, double[] y, double[] yBar, double[] xBar, int rows,
                         double[] theta, int offset, double[] thetaBar, Work w) {
        int last = layers - 1;
        double[] ub;
        // b̄_l is summed in the pass that forms Ū_l, where there is one
        boolean biasSummed = false;
        if (act[last] == ActivationKernel.IDENTITY) {
            ub = yBar; // read only below
        } else {
            ub = w.gradA;
            System.arraycopy(yBar, 0, ub, 0, rows * outs[last]);
            biasSummed = slope(last, pre(saved, y, w, last), preAt(saved, at, 0, rows, last), y, 0, ub, rows,
                    offset, thetaBar);
        }
        for (int l = last; l >= 0; l--) {
            double[] xPrev = l == 0 ? x : output(saved, w, l - 1);
            int xPrevAt = l == 0 ? 0 : outputAt(saved, at, rows, l - 1);
            double[] next = l == 0 ? xBar : (ub == w.gradA ? w.gradB : w.gradA);
            if (l > 0 && act[l - 1] == ActivationKernel.TANH && (vjps[l].backwardThroughTanh(rows, ub, xPrev,
                    xPrevAt, theta, offset + wOff[l], thetaBar, offset + bOff[l], !biasSummed, offset + bOff[l - 1],
                    next) || vjps[l].backwardThroughTanhTall(rows, ub, xPrev, xPrevAt, theta, offset + wOff[l],
                    thetaBar, offset + bOff[l], !biasSummed, offset + bOff[l - 1], next))) {
                biasSummed = true; // Ū_{l−1} and b̄_{l−1} formed in the same pass as the products
            } else {
                vjps[l].backward(rows, ub, xPrev, xPrevAt, theta, offset + wOff[l], thetaBar, offset + bOff[l],
                        !biasSummed, next, w.vjp[l]);
                if (l > 0) {
                    biasSummed = slope(l - 1, pre(saved, xPrev, w, l - 1), preAt(saved, at, xPrevAt, rows, l - 1),
                            xPrev, xPrevAt, next, rows, offset, thetaBar);
                }
            }
            ub = next;
        }
    }

    /**
     * Ū_l = X̄_l ⊙ σ_l' in place in {@code g}, and with a parameter gradient b̄_l += Σ_rows Ū_l in the same pass.
     *
     * @return whether b̄_l was summed
     */
    private boolean slope(int l, double[] u, int uAt, double[] a, int aAt, double[] g, int rows, int offset,
                          double[] thetaBar) {
        if (thetaBar == null) {
            act[l].derivativeTimes(u, uAt, a, aAt, g, 0, rows * outs[l]);
            return false;
        }
        act[l].derivativeTimesColumnSums(u, uAt, a, aAt, g, 0, rows, outs[l], thetaBar, offset + bOff[l]);
        return true;
    }

    /** Where U_l is: its own block when kept, else X_l's ({@code a} at {@code aAt}), which σ_l' then reads alone. */
    private double[] pre(double[] saved, double[] a, Work w, int l) {
        return !keepsPre[l] ? a : saved == null ? w.pre[l] : saved;
    }

    private int preAt(double[] saved, int at, int aAt, int rows, int l) {
        return !keepsPre[l] ? aAt : saved == null ? 0 : at + rows * savedAt[l];
    }

    private static double[] output(double[] saved, Work w, int l) {
        return saved == null ? w.out[l] : saved;
    }

    private int outputAt(double[] saved, int at, int rows, int l) {
        return saved == null ? 0 : at + rows * (savedAt[l] + (keepsPre[l] ? outs[l] : 0));
    }

    /**
     * Every kept U_l and every X_l but the last (the caller's y): what {@link #backward} reads from the workspace.
     */
    @Override
    public int savedLength(int rows) {
        return Buffers.clamp((long) rows * savedPerRow);
    }

    @Override
    public void saveState(LayerWorkspace ws, int rows, double[] saved, int at) {
        copyState((Work) ws, rows, saved, at, true);
    }

    @Override
    public void restoreState(double[] saved, int at, double[] x, double[] y, int rows, Times time, double[] theta,
                             int offset, LayerWorkspace ws) {
        copyState((Work) ws, rows, saved, at, false);
    }

    private void copyState(Work w, int rows, double[] saved, int at, boolean save) {
        for (int l = 0; l < layers; l++) {
            int n = rows * outs[l];
            if (keepsPre[l]) {
                Buffers.copy(w.pre[l], n, saved, at, save);
                at += n;
            }
            if (l < layers - 1) {
                Buffers.copy(w.out[l], n, saved, at, save);
                at += n;
            }
        }
    }

    /**
     * The kept U_l and X_l per layer (but the last X), two cotangent buffers of the widest layer and each layer's kernel
     * workspace (its packed Wᵀ and a copy of W).
     */
    @Override
    public long workspaceDoubles(int maxRows) {
        long n = Buffers.doubles(2, maxRows, maxWidth);
        for (int l = 0; l < layers; l++) {
            n = Buffers.sum(n, Buffers.doubles((keepsPre[l] ? 1 : 0) + (l == layers - 1 ? 0 : 1), maxRows, outs[l]));
            if (l < layers - 1) n = Buffers.sum(n, DenseKernel.INPUT_PADDING);
            n = Buffers.sum(n, kernels[l].workspaceDoubles());
            n = Buffers.sum(n, vjps[l].workspaceDoubles());
        }
        return rowChain == null ? n : Buffers.sum(n, rowChain.workspaceDoubles());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DenseStack s && Arrays.equals(ins, s.ins) && Arrays.equals(outs, s.outs)
                && Arrays.equals(activations, s.activations);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(outs) + Arrays.hashCode(activations);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("DenseStack[").append(ins[0]);
        for (int l = 0; l < layers; l++) b.append(" → ").append(outs[l]).append(' ').append(activations[l]);
        return b.append(']').toString();
    }

    /** The kept pre-activations U_l, the outputs X_l (the last X is the caller's y) and two cotangent buffers. */
    private static final class Work implements LayerWorkspace {
        final double[][] pre;
        final double[][] out;
        final double[] gradA;
        final double[] gradB;
        final DenseKernel.Workspace[] kernel;
        final DenseVjpKernel.Workspace[] vjp;
        /** The {@link DenseRowChain}'s scratch, or null without one. */
        final DenseRowChain.Workspace chain;

        Work(int maxRows, int[] outs, boolean[] keepsPre, int maxWidth, DenseKernel[] kernels, DenseVjpKernel[] vjps,
             DenseRowChain rowChain) {
            int layers = outs.length;
            pre = new double[layers][];
            out = new double[layers][];
            for (int l = 0; l < layers; l++) {
                pre[l] = keepsPre[l] ? Buffers.of(maxRows, outs[l]) : new double[0];
                // a vector after the last row: the next layer's dot form (a narrow output) reads its tails in place
                out[l] = l == layers - 1 ? new double[0] : Buffers.padded(maxRows, outs[l], DenseKernel.INPUT_PADDING);
            }
            gradA = Buffers.of(maxRows, maxWidth);
            gradB = Buffers.of(maxRows, maxWidth);
            kernel = new DenseKernel.Workspace[layers];
            for (int l = 0; l < layers; l++) kernel[l] = kernels[l].newWorkspace();
            vjp = new DenseVjpKernel.Workspace[layers];
            for (int l = 0; l < layers; l++) vjp[l] = vjps[l].newWorkspace();
            chain = rowChain == null ? null : rowChain.newWorkspace();
        }

        @Override
        public void holdParameters() {
            for (DenseKernel.Workspace k : kernel) k.holdWeights();
            if (chain != null) chain.holdWeights();
        }

        @Override
        public void releaseParameters() {
            for (DenseKernel.Workspace k : kernel) k.releaseWeights();
            if (chain != null) chain.releaseWeights();
        }
    }
}
