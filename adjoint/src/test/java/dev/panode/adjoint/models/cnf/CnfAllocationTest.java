package dev.panode.adjoint.models.cnf;

import dev.panode.adjoint.gradients.AdjointNorm;
import dev.panode.adjoint.gradients.BacksolveAdjoint;
import dev.panode.adjoint.models.Activation;
import dev.panode.adjoint.models.Initialisation;
import dev.panode.blas.testing.Allocations;
import dev.panode.solvers.FieldWorkspace;
import dev.panode.solvers.RungeKutta;
import dev.panode.solvers.SolveOptions;
import org.junit.jupiter.api.Test;

/** No allocation once warm: a CNF evaluation, a VJP, and a whole training step through a gradient session. */
class CnfAllocationTest {

    @Test
    void evaluateAndVjpAllocateNothing() {
        for (TraceEstimator est : TraceEstimator.values()) {
            int rows = 16;
            CnfField f = CnfField.initialised(CnfField.concatSquashNetwork(2, new int[] {16, 16}, Activation.SOFTPLUS),
                    Initialisation.PYTORCH_DEFAULT, 1, est, rows);
            FieldWorkspace ws = f.newWorkspace(rows);
            double[] y = new double[rows * 3], out = new double[rows * 3], yBar = new double[rows * 3];
            double[] thetaBar = new double[f.parameterCount()];
            for (int i = 0; i < y.length; i++) y[i] = 0.1 * i - 1;
            Allocations.assertNoAllocation(est + ": evaluate and vjp", 5_000, 500, () -> {
                f.evaluate(0.3, y, out, rows, ws);
                f.vjp(0.3, y, out, yBar, thetaBar, null, rows, true, ws);
            });
        }
    }

    @Test
    void aTrainingStepAllocatesNothing() {
        int batch = 32;
        CnfField f = CnfField.initialised(CnfField.concatSquashNetwork(2, new int[] {16}, Activation.TANH),
                Initialisation.PYTORCH_DEFAULT, 1, TraceEstimator.HUTCHINSON_RADEMACHER, batch);
        try (CnfTrainer trainer = new CnfTrainer(f, ToyDensity.EIGHT_GAUSSIANS, batch, 0.5,
                FlowLikelihood.standardNormal(), RungeKutta.dopri5(), SolveOptions.builder().rtol(1e-4).atol(1e-4).build(),
                BacksolveAdjoint.of(AdjointNorm.SEMINORM), 1e-3, 7)) {
            Allocations.assertNoAllocation("a CNF training step", 100, 10, trainer::step);
        }
    }

    @Test
    void aHypernetworkStepBackwardsInTimeAllocatesNothing() {
        int batch = 32;
        HypernetworkCnfField f = HypernetworkCnfField.initialised(2, 8, 16, 1);
        try (CnfTrainer trainer = new CnfTrainer(f, ToyDensity.CIRCLES, batch, 2.0, 0.0, new FlowLikelihood(0.1),
                RungeKutta.dopri5(), SolveOptions.builder().rtol(1e-4).atol(1e-4).build(),
                dev.panode.adjoint.gradients.Backprop.storeAll(), 1e-3, 7)) {
            Allocations.assertNoAllocation("a hypernetwork CNF training step from t = 2 down to 0", 100, 10,
                    trainer::step);
        }
    }
}
