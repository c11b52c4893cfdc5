package dev.panode.bench.mlp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.panode.adjoint.models.Activation;
import dev.panode.adjoint.models.Initialisation;
import dev.panode.adjoint.models.InputTransform;
import dev.panode.adjoint.models.Mlp;
import dev.panode.adjoint.models.MlpArchitecture;
import dev.panode.simd.Gemm;
import dev.panode.simd.GemmThresholds;
import dev.panode.solvers.FieldWorkspace;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The duet's baseline computes what {@link Mlp} computes, bit for bit, so the duet compares like with like. The
 * comparison holds the dispatcher on the Java kernel: under a rule that gives the backward products to OpenBLAS (the
 * platform rule on 512-bit OpenBLAS kernels) the baseline's output layer takes OpenBLAS's bits, while the MLP's
 * two-output layer over tanh runs its one-pass backward with the Java GEMMs' bits whatever the rule
 * ({@code DenseVjpKernel.backwardThroughTanh}).
 */
class HandFusedMlpTest {

    @Test
    void evaluationAndVjpHaveTheMlpsBits() {
        Gemm.setThresholds(new GemmThresholds(Long.MAX_VALUE, 1));
        try {
            compareOnTheReferenceShapes();
        } finally {
            Gemm.resetThresholds();
        }
    }

    private static void compareOnTheReferenceShapes() {
        for (String shape : List.of("2x50x1", "2x50x16", "3x7x5")) {
            MlpShape s = MlpShape.parse(shape);
            Mlp mlp = s.mlp();
            HandFusedMlp hand = new HandFusedMlp(mlp);
            int rows = s.batch();
            double[] y = s.states();
            double[] v = new double[y.length];
            for (int i = 0; i < v.length; i++) v[i] = Math.sin(i + 1.0);
            FieldWorkspace ws = mlp.newWorkspace(rows);
            HandFusedMlp.Workspace hws = hand.newWorkspace(rows);
            double[] a = new double[y.length];
            double[] b = new double[y.length];
            mlp.evaluate(0.0, y, a, rows, ws);
            hand.evaluate(0.0, y, b, rows, hws);
            assertArrayEquals(a, b, 0.0, shape + ": f");
            double[] barA = new double[y.length];
            double[] barB = new double[y.length];
            double[] thA = new double[mlp.parameterCount()];
            double[] thB = new double[mlp.parameterCount()];
            mlp.vjp(0.0, y, v, barA, thA, a, rows, true, ws);
            hand.vjp(0.0, y, v, barB, thB, b, rows, true, hws);
            assertArrayEquals(a, b, 0.0, shape + ": f from the VJP");
            assertArrayEquals(barA, barB, 0.0, shape + ": ȳ");
            assertArrayEquals(thA, thB, 0.0, shape + ": θ̄");
        }
    }

    @Test
    void onlyMlpsWithoutTimeInputOrTransformAreBaselines() {
        Mlp timed = Mlp.initialised(new MlpArchitecture(2, List.of(4, 2), List.of(Activation.TANH, Activation.IDENTITY),
                true, InputTransform.NONE), Initialisation.PYTORCH_DEFAULT, 1);
        assertThrows(IllegalArgumentException.class, () -> new HandFusedMlp(timed));
    }
}
