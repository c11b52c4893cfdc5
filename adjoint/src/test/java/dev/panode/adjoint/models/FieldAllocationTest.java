package dev.panode.adjoint.models;

import static dev.panode.adjoint.testing.FieldChecking.random;

import dev.panode.blas.testing.Allocations;
import dev.panode.solvers.FieldWorkspace;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Evaluation and VJP allocate nothing on the Java heap after warm-up. */
class FieldAllocationTest {
    private static void assertNoAllocation(DifferentiableField f, int rows) {
        SplittableRandom rng = new SplittableRandom(1);
        int n = rows * f.dim();
        double[] y = random(rng, n, 1.0);
        double[] v = random(rng, n, 1.0);
        double[] out = new double[n];
        double[] yBar = new double[n];
        double[] thetaBar = new double[f.parameterCount()];
        FieldWorkspace ws = f.newWorkspace(rows);
        String name = f.getClass().getSimpleName() + " rows=" + rows;
        Allocations.assertNoAllocation(name + " evaluate", () -> f.evaluate(0.5, y, out, rows, ws));
        Allocations.assertNoAllocation(name + " vjp", () -> f.vjp(0.5, y, v, yBar, thetaBar, out, rows, true, ws));
        if (f instanceof dev.panode.solvers.RowTimeField rf) {
            double[] tRows = random(rng, rows, 1.0);
            Allocations.assertNoAllocation(name + " evaluateRows", () -> rf.evaluateRows(tRows, y, out, rows, ws));
        }
    }

    @Test
    void mlpAllocatesNothing() {
        assertNoAllocation(Mlp.initialised(MlpArchitecture.mlp3Tanh(2, 16), Initialisation.PYTORCH_DEFAULT, 1), 4);
        // a single row runs the whole stack in one call (DenseRowChain)
        assertNoAllocation(Mlp.initialised(MlpArchitecture.mlp3Tanh(2, 50), Initialisation.PYTORCH_DEFAULT, 1), 1);
        MlpArchitecture timed = new MlpArchitecture(3, List.of(8, 8, 3),
                List.of(Activation.SOFTPLUS, Activation.RELU, Activation.SIGMOID), true, InputTransform.CUBE);
        assertNoAllocation(Mlp.initialised(timed, Initialisation.HE_UNIFORM, 2), 5);
    }

    @Test
    void analyticFieldsAllocateNothing() {
        assertNoAllocation(LinearField.of(new double[][] {{0, 1}, {-1, 0}}), 3);
        assertNoAllocation(SpiralField.torchdiffeqDemo(), 3);
        assertNoAllocation(new FiniteDifferenceField(SpiralField.torchdiffeqDemo()), 3);
    }
}
