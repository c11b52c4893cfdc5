package dev.panode.adjoint.models;

import dev.panode.solvers.FieldWorkspace;
import dev.panode.solvers.HeapCheck;

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

    /** @throws IllegalArgumentException when the buffers cannot fit in the heap (the message names the bytes) */
    MlpWorkspace(MlpArchitecture arch, int maxRows, boolean needsInputBuffer) {
        this.architecture = arch;
        this.maxRows = maxRows;
        int layers = arch.layerCount();
        String what = "MLP workspace for maxRows = " + maxRows + " (" + arch.layerCount() + " layers, widest " + arch.maxWidth() + ")";
        long total = HeapCheck.doubles(2, maxRows, arch.maxWidth());
        if (needsInputBuffer) total = HeapCheck.sum(total, HeapCheck.doubles(maxRows, arch.inputs(0)));
        for (int l = 0; l < layers; l++) total = HeapCheck.sum(total, HeapCheck.doubles(2, maxRows, arch.outputs(l)));
        HeapCheck.require(what, total);
        this.input = new double[needsInputBuffer ? HeapCheck.length(what, (long) maxRows * arch.inputs(0)) : 0];
        this.pre = new double[layers][];
        this.out = new double[layers][];
        for (int l = 0; l < layers; l++) {
            int len = HeapCheck.length(what, (long) maxRows * arch.outputs(l));
            pre[l] = new double[len];
            out[l] = new double[len];
        }
        int grad = HeapCheck.length(what, (long) maxRows * arch.maxWidth());
        this.gradA = new double[grad];
        this.gradB = new double[grad];
        this.xSrc = new double[layers + 1][];
        this.xOff = new int[layers + 1];
        this.uSrc = new double[layers][];
        this.uOff = new int[layers];
    }
}
