package dev.panode.adjoint.models.layers;

import dev.panode.adjoint.models.Initialisation;
import dev.panode.adjoint.models.SplitMix64;

/**
 * One differentiable layer {@code y = g(x, t; θ_layer)} applied to a block of rows: {@code x} is
 * {@code rows × inputWidth()} and {@code y} is {@code rows × outputWidth()}, both row-major, as in
 * {@code torch.nn.Module.forward} over a batch. Layers compose ({@link Sequential}, {@link Residual},
 * {@link Branches}) into one {@link LayerField}, a {@link dev.panode.adjoint.models.DifferentiableField} usable by every
 * solver and gradient method.
 *
 * <p><b>Parameters.</b> A layer owns no parameter values: the composition holds one flat {@code double[] θ} and hands
 * each layer its slice, starting at {@code offset} and {@code parameterCount()} long. A layer documents the layout of
 * its slice; the built-in ones follow {@code torch.nn}'s {@code state_dict} order (for {@link Dense}: W row-major
 * {@code out × in}, then b).
 *
 * <p><b>What a layer implements.</b> Its sizes, {@link #forward} and {@link #backward} (the vector–Jacobian product).
 * Parameters, scratch and initialisation have defaults for layers without them. {@link #backward} is always called
 * right after {@link #forward} on the same rows, workspace and time, with {@code x} and {@code y} as forward left them,
 * so a layer may keep intermediates in its workspace (or recompute them from x and y).
 *
 * <p><b>Saved state.</b> For backprop a field keeps each stage's evaluation and later runs only the backward pass;
 * between the two, other evaluations use the same workspace. {@link #savedLength}, {@link #saveState} and
 * {@link #restoreState} copy what backward reads out of the workspace and back. Their defaults are right for every
 * layer (one without a workspace saves nothing; one with a workspace reruns its own forward pass on restore).
 *
 * <p><b>Contract.</b> Nothing is allocated in {@link #forward}, {@link #evaluate} or {@link #backward}: every buffer
 * a layer needs lives in the workspace from {@link #newWorkspace}, made once. Arguments are not checked on these hot
 * paths; the composition checks them once at its public edge. Output buffers never alias input buffers. A layer is
 * immutable and may be shared between compositions and threads.
 */
public interface Layer {

    /** Columns of the input x, per row. */
    int inputWidth();

    /** Columns of the output y, per row. */
    int outputWidth();

    /** The number of parameters in this layer's slice of θ (0 by default). */
    default int parameterCount() {
        return 0;
    }

    /**
     * The sizes of the layer's parameter tensors in layout order (summing to {@link #parameterCount()}), as torch
     * would list them in a {@code state_dict}; the adjoint's full error norm measures each tensor separately. The
     * default is one tensor, or none without parameters.
     */
    default int[] parameterTensorSizes() {
        return parameterCount() == 0 ? new int[0] : new int[] {parameterCount()};
    }

    /**
     * Fills this layer's slice {@code theta[offset, offset + parameterCount())} with initial values drawn from
     * {@code rng} by {@code init}. The default draws nothing (for layers without parameters).
     */
    default void initialise(Initialisation init, SplitMix64 rng, double[] theta, int offset) {
    }

    /** Scratch for up to {@code maxRows} rows; the default needs none. Called once per workspace, never per call. */
    default LayerWorkspace newWorkspace(int maxRows) {
        return LayerWorkspace.NONE;
    }

    /**
     * {@code y = g(x, t; θ)} for {@code rows} rows, keeping what {@link #backward} needs in {@code ws}.
     *
     * @param x      input, {@code rows × inputWidth()}; read only
     * @param y      output, {@code rows × outputWidth()}; overwritten, never aliases x
     * @param rows   rows to compute, at most the workspace's maxRows
     * @param time   the time of each row
     * @param theta  the composition's flat parameter vector
     * @param offset where this layer's slice starts in {@code theta}
     * @param ws     this layer's workspace
     */
    void forward(double[] x, double[] y, int rows, Times time, double[] theta, int offset, LayerWorkspace ws);

    /**
     * {@link #forward} when no backward pass follows (a plain evaluation): a layer may skip storing intermediates.
     * Defaults to {@link #forward}.
     */
    default void evaluate(double[] x, double[] y, int rows, Times time, double[] theta, int offset,
                          LayerWorkspace ws) {
        forward(x, y, rows, time, theta, offset, ws);
    }

    /**
     * The vector–Jacobian product, called right after {@link #forward} with the same x, y, rows, time and workspace:
     * <ul>
     *   <li>{@code xBar = yBarᵀ ∂y/∂x} row by row, overwritten ({@code rows × inputWidth()});</li>
     *   <li>{@code thetaBar[offset, offset + parameterCount()) += Σ_rows yBarᵀ ∂y/∂θ}, accumulated; skipped when
     *       {@code thetaBar} is null;</li>
     *   <li>returns {@code Σ_rows yBarᵀ ∂y/∂t} (the direct dependence on t, through this layer only) when
     *       {@code wantTime}, otherwise anything (0 by convention); layers that do not read t return 0.</li>
     * </ul>
     * {@code yBar} is read only; {@code xBar} never aliases {@code yBar}, {@code x} or {@code y}.
     *
     * @return {@code Σ_rows yBarᵀ ∂y/∂t} when {@code wantTime}
     */
    double backward(double[] x, double[] y, double[] yBar, double[] xBar, int rows, Times time, double[] theta,
                    int offset, double[] thetaBar, boolean wantTime, LayerWorkspace ws);

    /**
     * How many doubles of workspace state {@link #backward} reads after a {@link #forward} over {@code rows} rows,
     * beyond x and y: what {@link #saveState} copies out. With it a {@link LayerField} offers
     * {@link dev.panode.adjoint.models.DifferentiableField#vjpFromSaved}, so backprop stores each stage's state
     * instead of recomputing the forward pass in the reverse sweep. The default is 0: right for a layer whose backward
     * reads only x, y, θ and t, and for one whose {@link #restoreState} recomputes its state (the default).
     */
    default int savedLength(int rows) {
        return 0;
    }

    /**
     * Right after {@link #forward}, copies the workspace state that {@link #backward} reads into
     * {@code saved[at, at + savedLength(rows))}. The default copies nothing. Allocates nothing.
     */
    default void saveState(LayerWorkspace ws, int rows, double[] saved, int at) {
    }

    /**
     * Before a {@link #backward} at the point a {@link #saveState} kept, puts the workspace back as {@link #forward}
     * left it, from {@code saved[at, at + savedLength(rows))} and the same x, y, rows, time and θ (x and y already
     * restored). The backward pass that follows must give the bits it gives right after {@link #forward}.
     *
     * <p>The default, for layers that save nothing: a layer without a workspace ({@link LayerWorkspace#NONE}) has
     * nothing to restore; one with a workspace runs its own {@link #forward} again (this layer's only, not the whole
     * network's), which restores the state bit for bit because a forward pass is deterministic. A layer whose
     * workspace holds scratch only, or that can save its state more cheaply than recompute it, overrides the three
     * methods. Allocates nothing.
     */
    default void restoreState(double[] saved, int at, double[] x, double[] y, int rows, Times time, double[] theta,
                              int offset, LayerWorkspace ws) {
        if (ws != LayerWorkspace.NONE) forward(x, y, rows, time, theta, offset, ws);
    }

    /**
     * {@link #forward} followed by {@link #saveState}{@code (ws, rows, saved, at)}: what a backprop pass calls for a
     * stage it keeps. A layer that can write its state straight into {@code saved} (no copy) overrides it, together
     * with {@link #backwardFromSaved}; the bits must be those of {@link #forward}. Allocates nothing.
     */
    default void forwardSaving(double[] x, double[] y, int rows, Times time, double[] theta, int offset,
                               LayerWorkspace ws, double[] saved, int at) {
        forward(x, y, rows, time, theta, offset, ws);
        saveState(ws, rows, saved, at);
    }

    /**
     * {@link #restoreState} followed by {@link #backward}: the VJP at the point a {@link #forwardSaving} (or a
     * {@link #forward} and {@link #saveState}) kept in {@code saved[at, at + savedLength(rows))}, with x and y already
     * restored. A layer whose backward pass can read its state from {@code saved} in place overrides it; the bits must
     * be those of {@link #backward} right after {@link #forward}. Allocates nothing.
     *
     * @return as {@link #backward}
     */
    default double backwardFromSaved(double[] saved, int at, double[] x, double[] y, double[] yBar, double[] xBar,
                                     int rows, Times time, double[] theta, int offset, double[] thetaBar,
                                     boolean wantTime, LayerWorkspace ws) {
        restoreState(saved, at, x, y, rows, time, theta, offset, ws);
        return backward(x, y, yBar, xBar, rows, time, theta, offset, thetaBar, wantTime, ws);
    }

    /**
     * The doubles that {@link #newWorkspace}{@code (maxRows)} allocates, so that a {@link LayerField} can refuse a
     * workspace larger than the heap before allocating any of it ({@link dev.panode.solvers.HeapCheck}). The default
     * is 0 (a layer that does not say is not counted); saturates at {@link Long#MAX_VALUE}.
     */
    default long workspaceDoubles(int maxRows) {
        return 0;
    }
}
