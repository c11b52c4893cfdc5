package dev.panode.adjoint.gradients;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.adjoint.models.DifferentiableField;
import dev.panode.adjoint.models.LinearField;
import dev.panode.adjoint.models.VjpJacobianField;
import dev.panode.solvers.Rosenbrock;
import dev.panode.solvers.RungeKutta;
import dev.panode.solvers.Solution;
import dev.panode.solvers.SolveOptions;
import dev.panode.solvers.Solver;
import dev.panode.solvers.StepObserver;
import dev.panode.solvers.StepView;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Why {@link RosenbrockReverse} differentiates the Jacobian: the same reversal with J frozen (a W-method's view, the
 * term Σ λ_iᵀ dJ U_i dropped) against the continuous gradient (backprop through dopri5 at rtol 1e-12), on whole
 * adaptive Rodas5P solves of a stiff linear problem (θ = A, so J = A depends on θ) and of Van der Pol (J depends on y
 * and μ).
 */
class RosenbrockFrozenJacobianTest {
    private record Problem(String name, Supplier<DifferentiableField> field, double[] y0, double[] times) {}

    @Test
    void theFrozenJacobianGradientIsWrong() {
        Problem[] problems = {
                new Problem("linear", () -> new LinearField(new double[] {-1.0, 0.5, 2.0, -400.0}, 2),
                        new double[] {1.0, 0.3, -0.5, 0.8}, new double[] {0, 0.5, 1}),
                new Problem("vanDerPol", () -> StiffFields.vanDerPol(1000), new double[] {2, -2.0 / 3},
                        new double[] {0, 0.2, 0.4})};
        for (Problem pr : problems) {
            DifferentiableField f = pr.field().get();
            int n = pr.y0().length, rows = n / f.dim(), pc = f.parameterCount();
            double[] times = pr.times();
            GradientResult ref = Gradients.compute(f, pr.y0(), rows, times, Loss.sumOfSquaresAfterStart(),
                    RungeKutta.dopri5(), SolveOptions.builder().rtol(1e-12).atol(1e-14).build(), Backprop.storeAll());
            for (double rtol : new double[] {1e-5, 1e-8}) {
                SolveOptions o = SolveOptions.builder().rtol(rtol).atol(rtol * 1e-2).build();
                StepRecord record = new StepRecord();
                try (CheckpointStore store = new CheckpointStore(n, Long.MAX_VALUE)) {
                    StepObserver recorder = (StepView step) -> {
                        store.write(record.count(), step.yBefore(), 0);
                        record.add(step.t(), step.h(), step.tEnd());
                    };
                    Solution s = Solver.solve(VjpJacobianField.of(f), pr.y0(), rows, times[0], times[times.length - 1],
                            Rosenbrock.rodas5p(), o.toBuilder().saveAt(times[1], times[2]).tstops(times[1], times[2])
                                    .observer(recorder).build());
                    double[][] gradients = new double[times.length][n];
                    for (int i = 1; i < times.length; i++) {
                        for (int j = 0; j < n; j++) gradients[i][j] = 2 * s.state(i - 1)[j];
                    }
                    ObservationPlacement placement = new ObservationPlacement(times, record);
                    double[] err = new double[2];
                    for (int frozen = 0; frozen < 2; frozen++) {
                        RosenbrockReverse rev = new RosenbrockReverse(f, Rosenbrock.rodas5p(), rows, f.dim(), o,
                                frozen == 1);
                        BackpropPass pass = new BackpropPass(rev, f, record, store, null, placement, gradients, rows,
                                n, new double[n]);
                        pass.runStoredAll();
                        double scale = 0, e = 0;
                        for (int j = 0; j < n; j++) {
                            scale = Math.max(scale, Math.abs(ref.dLdy0()[j]));
                            e = Math.max(e, Math.abs(pass.yBar()[j] - ref.dLdy0()[j]));
                        }
                        for (int k = 0; k < pc; k++) {
                            double unit = Math.abs(f.parameters()[k]); // per relative change of θ_k
                            scale = Math.max(scale, Math.abs(ref.dLdTheta()[k]) * unit);
                            e = Math.max(e, Math.abs(pass.thetaBar()[k] - ref.dLdTheta()[k]) * unit);
                        }
                        err[frozen] = e / scale;
                    }
                    System.out.printf("[RosenbrockFrozenJacobianTest] %s rtol %.0e, %d steps: max rel. error vs the "
                                    + "continuous gradient: J differentiated %.2e, J frozen %.2e%n", pr.name(), rtol,
                            record.count(), err[0], err[1]);
                    assertTrue(err[0] < 1e-3 && err[1] > 10 * err[0], pr.name() + " " + rtol + ": " + err[0] + ", "
                            + err[1]);
                }
            }
        }
    }
}
