package dev.panode.adjoint.models;

import static dev.panode.adjoint.testing.FieldChecking.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.panode.solvers.FieldWorkspace;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A batch-1 evaluation, which runs the whole dense stack in one call when its shape allows
 * ({@link dev.panode.simd.DenseRowChain}), against the forward pass of a VJP on the same row (the layer kernels one by
 * one) and against the same row at the end of a block: bit for bit, held or not, with time input and an input
 * transform, and for two, three and four layers.
 */
class MlpSingleRowTest {
    private static List<MlpArchitecture> architectures() {
        return List.of(MlpArchitecture.mlp3Tanh(2, 50), MlpArchitecture.mlp3Tanh(3, 64), MlpArchitecture.of(2, 50, 1,
                        Activation.TANH), MlpArchitecture.of(2, 32, 3, Activation.TANH),
                new MlpArchitecture(2, List.of(40, 40, 2), List.of(Activation.TANH, Activation.TANH,
                        Activation.IDENTITY), true, InputTransform.CUBE));
    }

    @Test
    void aRowAloneGivesTheBitsOfTheLayersOneByOneAndOfTheEndOfABlock() {
        SplittableRandom rng = new SplittableRandom(5);
        for (MlpArchitecture arch : architectures()) {
            Mlp mlp = Mlp.initialised(arch, Initialisation.PYTORCH_DEFAULT, 11);
            int d = mlp.dim(), rows = 7;
            double[] block = random(rng, rows * d, 2.0);
            double[] blockOut = new double[rows * d];
            mlp.evaluate(0.3, block, blockOut, rows, mlp.newWorkspace(rows));
            FieldWorkspace plain = mlp.newWorkspace(1), held = mlp.newWorkspace(1), vjpWs = mlp.newWorkspace(1);
            held.holdParameters();
            for (int r = 4; r < rows; r++) { // the rows after the block's last group of four
                double[] y = Arrays.copyOfRange(block, r * d, (r + 1) * d);
                double[] alone = new double[d], heldOut = new double[d], forward = new double[d];
                mlp.evaluate(0.3, y, alone, 1, plain);
                mlp.evaluate(0.3, y, heldOut, 1, held);
                mlp.vjp(0.3, y, random(rng, d, 1.0), new double[d], new double[mlp.parameterCount()], forward, 1, true,
                        vjpWs);
                String what = arch + " row " + r;
                assertArrayEquals(forward, alone, what + ": against the forward pass of a VJP");
                assertArrayEquals(alone, heldOut, what + ": held");
                assertArrayEquals(Arrays.copyOfRange(blockOut, r * d, (r + 1) * d), alone, what + ": in a block");
            }
            held.releaseParameters();
        }
    }
}
