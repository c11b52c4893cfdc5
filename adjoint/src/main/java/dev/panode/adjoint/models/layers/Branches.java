package dev.panode.adjoint.models.layers;

import dev.panode.adjoint.models.Initialisation;
import dev.panode.adjoint.models.SplitMix64;
import java.util.Arrays;
import java.util.List;

/**
 * Parallel branches on the same input, combined element-wise: the sum {@code y = Σ_i b_i(x)} or the product
 * {@code y = Π_i b_i(x)} (e.g. a gated layer {@code tanh(x·W₁ᵀ) ⊙ sigmoid(x·W₂ᵀ)}). Every branch has the same input
 * width and the same output width.
 *
 * <p>Parameter layout: the branches' slices in order. Backward: branch i receives {@code ȳ} (sum) or
 * {@code ȳ ⊙ Π_{j≠i} b_j(x)} (product, computed without division, so zeros are fine), and the input cotangents are
 * summed. Cost: the branches' plus O(k²·rows·width) for a product of k branches. Workspace: each branch's workspace
 * and output, one cotangent buffer for a branch's output and one for its input.
 */
public final class Branches implements Layer {
    /** How the branches' outputs are combined. */
    public enum Combine {
        /** {@code y = Σ_i b_i(x)}. */
        SUM,
        /** {@code y = Π_i b_i(x)}, element-wise. */
        PRODUCT
    }

    private final Combine combine;
    private final List<Layer> branches;
    private final int[] offsets;
    private final int parameters;

    private Branches(Combine combine, Layer... branches) {
        if (combine == null) throw new IllegalArgumentException("combine must be non-null");
        if (branches == null || branches.length == 0) {
            throw new IllegalArgumentException("branches must hold at least one layer, got none");
        }
        for (int i = 0; i < branches.length; i++) {
            if (branches[i] == null) throw new IllegalArgumentException("branches[" + i + "] must be non-null");
            if (branches[i].inputWidth() != branches[0].inputWidth()
                    || branches[i].outputWidth() != branches[0].outputWidth()) {
                throw new IllegalArgumentException("branches[" + i + "] must map " + branches[0].inputWidth() + " → "
                        + branches[0].outputWidth() + " like branches[0], got " + branches[i].inputWidth() + " → "
                        + branches[i].outputWidth());
            }
        }
        this.combine = combine;
        this.branches = List.of(branches);
        this.offsets = new int[branches.length];
        long off = 0;
        for (int i = 0; i < branches.length; i++) {
            offsets[i] = (int) off;
            off += branches[i].parameterCount();
            if (off > Integer.MAX_VALUE - 16) throw new IllegalArgumentException("too many parameters for one array: " + off);
        }
        this.parameters = (int) off;
    }

    /** {@code y = Σ_i b_i(x)}. */
    public static Branches sum(Layer... branches) {
        return new Branches(Combine.SUM, branches);
    }

    /** {@code y = Π_i b_i(x)}, element-wise. */
    public static Branches product(Layer... branches) {
        return new Branches(Combine.PRODUCT, branches);
    }

    /** How the outputs are combined. */
    public Combine combine() {
        return combine;
    }

    /** The branches in order. */
    public List<Layer> branches() {
        return branches;
    }

    @Override
    public int inputWidth() {
        return branches.getFirst().inputWidth();
    }

    @Override
    public int outputWidth() {
        return branches.getFirst().outputWidth();
    }

    @Override
    public int parameterCount() {
        return parameters;
    }

    @Override
    public int[] parameterTensorSizes() {
        return branches.stream().flatMapToInt(b -> Arrays.stream(b.parameterTensorSizes())).toArray();
    }

    @Override
    public void initialise(Initialisation init, SplitMix64 rng, double[] theta, int offset) {
        for (int i = 0; i < branches.size(); i++) branches.get(i).initialise(init, rng, theta, offset + offsets[i]);
    }

    @Override
    public LayerWorkspace newWorkspace(int maxRows) {
        return new Work(this, maxRows);
    }

    @Override
    public void forward(double[] x, double[] y, int rows, Times time, double[] theta, int offset, LayerWorkspace ws) {
        run(x, y, rows, time, theta, offset, (Work) ws, true);
    }

    @Override
    public void evaluate(double[] x, double[] y, int rows, Times time, double[] theta, int offset, LayerWorkspace ws) {
        run(x, y, rows, time, theta, offset, (Work) ws, false);
    }

    private void run(double[] x, double[] y, int rows, Times time, double[] theta, int offset, Work w, boolean keep) {
        int n = rows * outputWidth();
        for (int i = 0; i < branches.size(); i++) {
            if (keep) branches.get(i).forward(x, w.outputs[i], rows, time, theta, offset + offsets[i], w.branchWork[i]);
            else branches.get(i).evaluate(x, w.outputs[i], rows, time, theta, offset + offsets[i], w.branchWork[i]);
            double[] o = w.outputs[i];
            if (i == 0) {
                System.arraycopy(o, 0, y, 0, n);
            } else if (combine == Combine.SUM) {
                for (int j = 0; j < n; j++) y[j] += o[j];
            } else {
                for (int j = 0; j < n; j++) y[j] *= o[j];
            }
        }
    }

    @Override
    public double backward(double[] x, double[] y, double[] yBar, double[] xBar, int rows, Times time, double[] theta,
                           int offset, double[] thetaBar, boolean wantTime, LayerWorkspace ws) {
        Work w = (Work) ws;
        int n = rows * outputWidth();
        int m = rows * inputWidth();
        double tBar = 0.0;
        for (int i = 0; i < branches.size(); i++) {
            double[] g = yBar;
            if (combine == Combine.PRODUCT) {
                g = w.outBar;
                System.arraycopy(yBar, 0, g, 0, n);
                for (int k = 0; k < branches.size(); k++) {
                    if (k == i) continue;
                    double[] o = w.outputs[k];
                    for (int j = 0; j < n; j++) g[j] *= o[j];
                }
            }
            double[] dest = i == 0 ? xBar : w.inBar;
            tBar += branches.get(i).backward(x, w.outputs[i], g, dest, rows, time, theta, offset + offsets[i], thetaBar,
                    wantTime, w.branchWork[i]);
            if (i > 0) for (int j = 0; j < m; j++) xBar[j] += dest[j];
        }
        return wantTime ? tBar : 0.0;
    }

    /** Each branch's output and its own state, branch by branch. */
    @Override
    public int savedLength(int rows) {
        long n = 0;
        for (int i = 0; i < branches.size(); i++) { // indexed: an iterator here would be allocated per call
            n += (long) rows * outputWidth() + branches.get(i).savedLength(rows);
        }
        return Buffers.clamp(n);
    }

    @Override
    public void saveState(LayerWorkspace ws, int rows, double[] saved, int at) {
        Work w = (Work) ws;
        int n = rows * outputWidth();
        for (int i = 0; i < branches.size(); i++) {
            Layer b = branches.get(i);
            Buffers.copy(w.outputs[i], n, saved, at, true);
            b.saveState(w.branchWork[i], rows, saved, at + n);
            at += n + b.savedLength(rows);
        }
    }

    @Override
    public void restoreState(double[] saved, int at, double[] x, double[] y, int rows, Times time, double[] theta,
                             int offset, LayerWorkspace ws) {
        Work w = (Work) ws;
        int n = rows * outputWidth();
        for (int i = 0; i < branches.size(); i++) {
            Layer b = branches.get(i);
            Buffers.copy(w.outputs[i], n, saved, at, false);
            b.restoreState(saved, at + n, x, w.outputs[i], rows, time, theta, offset + offsets[i], w.branchWork[i]);
            at += n + b.savedLength(rows);
        }
    }

    /** Each branch's workspace and output, and the two cotangent buffers. */
    @Override
    public long workspaceDoubles(int maxRows) {
        long n = Buffers.doubles(branches.size() + (combine == Combine.PRODUCT ? 1 : 0), maxRows, outputWidth());
        if (branches.size() > 1) n = Buffers.sum(n, Buffers.doubles(1, maxRows, inputWidth()));
        for (Layer b : branches) n = Buffers.sum(n, b.workspaceDoubles(maxRows));
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Branches b && combine == b.combine && branches.equals(b.branches);
    }

    @Override
    public int hashCode() {
        return 31 * combine.hashCode() + branches.hashCode();
    }

    @Override
    public String toString() {
        return "Branches." + combine.name().toLowerCase(java.util.Locale.ROOT) + branches;
    }

    private static final class Work implements LayerWorkspace {
        final double[][] outputs;
        final LayerWorkspace[] branchWork;
        final double[] outBar;
        final double[] inBar;

        Work(Branches b, int maxRows) {
            int k = b.branches.size();
            outputs = new double[k][];
            branchWork = new LayerWorkspace[k];
            for (int i = 0; i < k; i++) {
                outputs[i] = Buffers.of(maxRows, b.outputWidth());
                branchWork[i] = b.branches.get(i).newWorkspace(maxRows);
            }
            outBar = b.combine == Combine.PRODUCT ? Buffers.of(maxRows, b.outputWidth()) : new double[0];
            inBar = k > 1 ? Buffers.of(maxRows, b.inputWidth()) : new double[0];
        }
    }
}
