package dev.panode.adjoint.models.layers;

import dev.panode.adjoint.models.Initialisation;
import dev.panode.adjoint.models.SplitMix64;

/**
 * A residual (skip) connection {@code y = x + body(x)} (He et al. 2016), for a body whose input and output widths
 * agree. Parameters: the body's. Backward: {@code x̄ = ȳ + body's x̄}. Workspace: the body's, its output and its
 * input cotangent.
 *
 * @param body the residual branch
 */
public record Residual(Layer body) implements Layer {

    /** @throws IllegalArgumentException on a null body or one whose widths differ */
    public Residual {
        if (body == null) throw new IllegalArgumentException("body must be non-null");
        if (body.inputWidth() != body.outputWidth()) {
            throw new IllegalArgumentException("body must map a width to itself, got " + body.inputWidth() + " → "
                    + body.outputWidth() + " (" + body + ")");
        }
    }

    @Override
    public int inputWidth() {
        return body.inputWidth();
    }

    @Override
    public int outputWidth() {
        return body.outputWidth();
    }

    @Override
    public int parameterCount() {
        return body.parameterCount();
    }

    @Override
    public int[] parameterTensorSizes() {
        return body.parameterTensorSizes();
    }

    @Override
    public void initialise(Initialisation init, SplitMix64 rng, double[] theta, int offset) {
        body.initialise(init, rng, theta, offset);
    }

    @Override
    public LayerWorkspace newWorkspace(int maxRows) {
        return new Work(body.newWorkspace(maxRows), maxRows, body.outputWidth());
    }

    @Override
    public void forward(double[] x, double[] y, int rows, Times time, double[] theta, int offset, LayerWorkspace ws) {
        Work w = (Work) ws;
        body.forward(x, w.bodyOut, rows, time, theta, offset, w.body);
        add(x, w.bodyOut, y, rows * body.outputWidth());
    }

    @Override
    public void evaluate(double[] x, double[] y, int rows, Times time, double[] theta, int offset, LayerWorkspace ws) {
        Work w = (Work) ws;
        body.evaluate(x, w.bodyOut, rows, time, theta, offset, w.body);
        add(x, w.bodyOut, y, rows * body.outputWidth());
    }

    @Override
    public double backward(double[] x, double[] y, double[] yBar, double[] xBar, int rows, Times time, double[] theta,
                           int offset, double[] thetaBar, boolean wantTime, LayerWorkspace ws) {
        Work w = (Work) ws;
        double tBar = body.backward(x, w.bodyOut, yBar, w.bodyBar, rows, time, theta, offset, thetaBar, wantTime, w.body);
        add(yBar, w.bodyBar, xBar, rows * body.inputWidth());
        return wantTime ? tBar : 0.0;
    }

    /** The body's output and the body's own state. */
    @Override
    public int savedLength(int rows) {
        return Buffers.clamp((long) rows * body.outputWidth() + body.savedLength(rows));
    }

    @Override
    public void saveState(LayerWorkspace ws, int rows, double[] saved, int at) {
        Work w = (Work) ws;
        int n = rows * body.outputWidth();
        Buffers.copy(w.bodyOut, n, saved, at, true);
        body.saveState(w.body, rows, saved, at + n);
    }

    @Override
    public void restoreState(double[] saved, int at, double[] x, double[] y, int rows, Times time, double[] theta,
                             int offset, LayerWorkspace ws) {
        Work w = (Work) ws;
        int n = rows * body.outputWidth();
        Buffers.copy(w.bodyOut, n, saved, at, false);
        body.restoreState(saved, at + n, x, w.bodyOut, rows, time, theta, offset, w.body);
    }

    /** The body's workspace, its output and its input cotangent. */
    @Override
    public long workspaceDoubles(int maxRows) {
        return Buffers.sum(body.workspaceDoubles(maxRows), Buffers.doubles(2, maxRows, body.outputWidth()));
    }

    private static void add(double[] a, double[] b, double[] out, int n) {
        for (int i = 0; i < n; i++) out[i] = a[i] + b[i];
    }

    private static final class Work implements LayerWorkspace {
        final LayerWorkspace body;
        final double[] bodyOut;
        final double[] bodyBar;

        Work(LayerWorkspace body, int maxRows, int width) {
            this.body = body;
            this.bodyOut = Buffers.of(maxRows, width);
            this.bodyBar = Buffers.of(maxRows, width);
        }
    }
}
