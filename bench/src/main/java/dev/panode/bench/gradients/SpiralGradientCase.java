package dev.panode.bench.gradients;

import dev.panode.adjoint.gradients.AdjointNorm;
import dev.panode.adjoint.gradients.BacksolveAdjoint;
import dev.panode.adjoint.gradients.Backprop;
import dev.panode.adjoint.gradients.GradientMethod;
import dev.panode.adjoint.gradients.GradientSession;
import dev.panode.adjoint.gradients.Gradients;
import dev.panode.adjoint.models.Initialisation;
import dev.panode.adjoint.models.InputTransform;
import dev.panode.adjoint.gradients.InterpolatingAdjoint;
import dev.panode.adjoint.gradients.Loss;
import dev.panode.adjoint.models.Mlp;
import dev.panode.adjoint.models.MlpArchitecture;
import dev.panode.adjoint.models.SpiralField;
import dev.panode.adjoint.models.Activation;
import dev.panode.solvers.RungeKutta;
import dev.panode.solvers.SaveAt;
import dev.panode.solvers.SolveOptions;
import dev.panode.solvers.Solver;

/**
 * The SciML neural ODE gradient benchmark (the spiral of DiffEqFlux's documentation): u' = MLP(u³) with the MLP
 * 2 → 50 (tanh) → 2, u_0 = (2, 0), batch 1, 30 observations equally spaced on [0, 1.5] (t_0 = 0 included), tsit5 at
 * Julia's default tolerances rtol 1e-3 / atol 1e-6, loss Σ_i ‖u(t_i) − u_true(t_i)‖² against the true spiral
 * u' = (u³)·A, A = [[−0.1, 2], [−2, −0.1]] (solved at rtol 1e-12). The weights are Xavier-uniform from a fixed seed
 * (SciML's Glorot-uniform, not its random draw). One gradient per call through one {@link GradientSession}.
 */
final class SpiralGradientCase extends SessionGradientCase {
    static final int OBSERVATIONS = 30;
    static final double T_END = 1.5;

    final Mlp mlp;
    final double[] u0 = {2.0, 0.0};
    final double[] times = new double[OBSERVATIONS];
    final double[][] truth = new double[OBSERVATIONS][];
    final GradientMethod method;
    final SolveOptions options = SolveOptions.builder().rtol(1e-3).atol(1e-6).build();

    SpiralGradientCase(String method) {
        MlpArchitecture a = MlpArchitecture.of(2, 50, 1, Activation.TANH).withInputTransform(InputTransform.CUBE);
        this.mlp = Mlp.initialised(a, Initialisation.XAVIER_UNIFORM, 20_26);
        for (int i = 0; i < OBSERVATIONS; i++) times[i] = T_END * i / (OBSERVATIONS - 1);
        double[] saved = Solver.solve(SpiralField.torchdiffeqDemo(), u0, 1, 0.0, T_END, RungeKutta.dopri5(),
                SolveOptions.builder().rtol(1e-12).atol(1e-12).saveAt(SaveAt.times(times)).build()).states();
        for (int i = 0; i < OBSERVATIONS; i++) truth[i] = new double[] {saved[2 * i], saved[2 * i + 1]};
        this.method = switch (method) {
            case "backprop" -> Backprop.storeAll();
            case "backsolve-seminorm" -> BacksolveAdjoint.of(AdjointNorm.SEMINORM);
            case "interpolating-seminorm" -> InterpolatingAdjoint.of(AdjointNorm.SEMINORM);
            default -> throw new IllegalArgumentException("method must be backprop, backsolve-seminorm or "
                    + "interpolating-seminorm, got " + method);
        };
    }

    /** Σ_i Σ_j (u_ij − truth_ij)², gradient 2(u − truth); allocation-free. */
    Loss loss() {
        return (t, states, rows, dim, gradients) -> {
            double sum = 0.0;
            for (int i = 0; i < states.length; i++) {
                for (int j = 0; j < 2; j++) {
                    double d = states[i][j] - truth[i][j];
                    sum += d * d;
                    gradients[i][j] = 2.0 * d;
                }
            }
            return sum;
        };
    }

    @Override
    GradientSession newSession() {
        return Gradients.session(mlp, 1, times, loss(), forwardMethod(), options, method, false);
    }

    @Override
    double[] initialStates() {
        return u0;
    }

    @Override
    GradientMethod gradientMethod() {
        return method;
    }

    @Override
    RungeKutta forwardMethod() {
        return RungeKutta.tsit5();
    }

    @Override
    public Mlp mlp() {
        return mlp;
    }

    @Override
    public int rows() {
        return 1;
    }
}
