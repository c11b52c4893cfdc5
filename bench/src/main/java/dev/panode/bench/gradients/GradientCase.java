package dev.panode.bench.gradients;

import dev.panode.adjoint.gradients.AdjointNorm;
import dev.panode.adjoint.gradients.Backprop;
import dev.panode.adjoint.gradients.BacksolveAdjoint;
import dev.panode.adjoint.gradients.GradientMethod;
import dev.panode.adjoint.gradients.GradientResult;
import dev.panode.adjoint.gradients.GradientSession;
import dev.panode.adjoint.gradients.Gradients;
import dev.panode.adjoint.gradients.InterpolatingAdjoint;
import dev.panode.adjoint.gradients.Loss;
import dev.panode.adjoint.models.Mlp;
import dev.panode.bench.mlp.MlpShape;
import dev.panode.solvers.RungeKutta;
import dev.panode.solvers.SolveOptions;

/**
 * One gradient benchmark case: a reference MLP shape (D×H×B), T = 1, the {@code final} loss (Σ z(T)²) or the
 * {@code multi} loss over 10 observation times t_k = kT/10, and a gradient method; dopri5 at rtol 1e-6 / atol 1e-8
 * in the torchdiffeq-compatible convention, as in docs/benchmarks/peers.md. {@link #gradient()} runs through one
 * {@link GradientSession} made with the case (as a training loop does); {@link #run()} through
 * {@link Gradients#compute} (a session per call).
 */
final class GradientCase extends SessionGradientCase {
    final Mlp mlp;
    final double[] z0;
    final int rows;
    final double[] times;
    final Loss loss;
    final GradientMethod method;
    final SolveOptions options;

    GradientCase(String shape, String loss, String method) {
        MlpShape s = MlpShape.parse(shape);
        this.mlp = s.mlp();
        this.z0 = s.states();
        this.rows = s.batch();
        double t1 = 1.0;
        if (loss.equals("final")) {
            this.times = new double[] {0.0, t1};
            this.loss = Loss.sumOfSquaresAtEnd();
        } else if (loss.equals("multi")) {
            this.times = new double[11];
            for (int k = 0; k <= 10; k++) times[k] = t1 * k / 10;
            this.loss = Loss.sumOfSquaresAfterStart();
        } else {
            throw new IllegalArgumentException("loss must be final or multi, got " + loss);
        }
        this.method = switch (method) {
            case "backprop" -> Backprop.storeAll();
            case "backsolve" -> BacksolveAdjoint.of(AdjointNorm.FULL);
            case "backsolve-seminorm" -> BacksolveAdjoint.of(AdjointNorm.SEMINORM);
            case "interpolating" -> InterpolatingAdjoint.of(AdjointNorm.FULL);
            case "interpolating-seminorm" -> InterpolatingAdjoint.of(AdjointNorm.SEMINORM);
            default -> throw new IllegalArgumentException("unknown method " + method);
        };
        this.options = SolveOptions.builder().rtol(1e-6).atol(1e-8).torchdiffeqCompatible(true).build();
    }

    GradientResult run() {
        return Gradients.compute(mlp, z0, rows, times, loss, RungeKutta.dopri5(), options, method);
    }

    @Override
    GradientSession newSession() {
        return Gradients.session(mlp, rows, times, loss, forwardMethod(), options, method, false);
    }

    @Override
    double[] initialStates() {
        return z0;
    }

    @Override
    GradientMethod gradientMethod() {
        return method;
    }

    @Override
    RungeKutta forwardMethod() {
        return RungeKutta.dopri5();
    }

    @Override
    public Mlp mlp() {
        return mlp;
    }

    @Override
    public int rows() {
        return rows;
    }
}
