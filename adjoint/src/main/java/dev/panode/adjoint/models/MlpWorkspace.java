package dev.panode.adjoint.models;

import dev.panode.solvers.FieldWorkspace;

/**
 * Scratch of one {@link Mlp} evaluation or VJP: the network input x₀ = [φ(y), t], every layer's pre-activation
 * U_l and output X_l and two cotangent buffers. Sized once for
 * {@code maxRows} samples; owned by one thread at a time.
 */
final class MlpWorkspace implements FieldWorkspace {
    final MlpArchitecture architecture;
    final int maxRows;
    /** x₀, row stride inputs(0); unused (empty) when the network reads y directly. */
    final double[] input;
    final double[][] pre;
    final double[][] out;
    final double[] gradA;
    final double[] gradB;
    /**
     * Where the reverse sweep reads X_l (l = 0..L, X_0 the network input) and U_l: the buffers above after a
     * forward pass, or a saved block ({@link Mlp#vjpFromSaved}); set per call, never allocated.
     */
    final double[][] xSrc;
    final int[] xOff;
    final double[][] uSrc;
    final int[] uOff;

    MlpWorkspace(MlpArchitecture arch, int maxRows, boolean needsInputBuffer) {
        this.architecture = arch;
        this.maxRows = maxRows;
        int layers = arch.layerCount();
        this.input = new double[needsInputBuffer ? maxRows * arch.inputs(0) : 0];
        this.pre = new double[layers][];
        this.out = new double[layers][];
        for (int l = 0; l < layers; l++) {
            pre[l] = new double[maxRows * arch.outputs(l)];
            out[l] = new double[maxRows * arch.outputs(l)];
        }
        this.gradA = new double[maxRows * arch.maxWidth()];
        this.gradB = new double[maxRows * arch.maxWidth()];
        this.xSrc = new double[layers + 1][];
        this.xOff = new int[layers + 1];
        this.uSrc = new double[layers][];
        this.uOff = new int[layers];
    }
}
