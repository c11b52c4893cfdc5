package dev.panode.adjoint.gradients;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.adjoint.models.Initialisation;
import dev.panode.adjoint.models.Mlp;
import dev.panode.adjoint.models.MlpArchitecture;
import dev.panode.blas.testing.Allocations;
import dev.panode.adjoint.models.Activation;
import dev.panode.solvers.RungeKutta;
import dev.panode.solvers.SolveOptions;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A {@link GradientSession} gives {@link Gradients#compute}'s results bit for bit, call after call, and allocates
 * nothing once warm; backprop from saved stage evaluations gives the bits of the recomputing schedules.
 */
class GradientSessionTest {
    static final int D = 2;
    static final int ROWS = 3;
    static final double[] Y0 = {0.9, -0.3, -0.5, 0.7, 0.2, 1.1};
    static final double[] FINAL = {0.0, 0.8};
    static final double[] MULTI = {0.0, 0.17, 0.4, 0.55, 0.8};

    static Mlp mlp(Activation act) {
        return Mlp.initialised(MlpArchitecture.of(D, 12, 2, act), Initialisation.PYTORCH_DEFAULT, 11, 1.0);
    }

    static Loss mse(double[] times) {
        double[][] targets = new double[times.length][];
        for (int i = 1; i < times.length; i++) {
            targets[i] = new double[ROWS * D];
            for (int j = 0; j < targets[i].length; j++) targets[i][j] = 0.3 * Math.sin(i + 0.9 * j);
        }
        return Loss.meanSquaredError(targets);
    }

    static final SolveOptions DOPRI = SolveOptions.builder().rtol(1e-6).atol(1e-8).build();

    static List<GradientMethod> methods() {
        return List.of(Backprop.storeAll(), BacksolveAdjoint.of(AdjointNorm.FULL),
                BacksolveAdjoint.of(AdjointNorm.SEMINORM), InterpolatingAdjoint.of(AdjointNorm.SEMINORM),
                InterpolatingAdjoint.of(AdjointNorm.FULL));
    }

    static void assertSameBits(GradientResult a, GradientResult b, String what) {
        assertEquals(Double.doubleToLongBits(a.loss()), Double.doubleToLongBits(b.loss()), what + ": loss");
        assertArrayEquals(a.dLdy0(), b.dLdy0(), 0.0, what + ": dL/dy0");
        assertArrayEquals(a.dLdTheta(), b.dLdTheta(), 0.0, what + ": dL/dθ");
        for (int i = 0; i < a.states().length; i++) assertArrayEquals(a.states()[i], b.states()[i], 0.0, what);
        if (a.dLdTimes() != null) assertArrayEquals(a.dLdTimes(), b.dLdTimes(), 0.0, what + ": dL/dt");
    }

    @Test
    void aSessionRepeatsComputeBitForBitAcrossCallsAndInitialStates() {
        Mlp f = mlp(Activation.TANH);
        double[] other = Y0.clone();
        for (int j = 0; j < other.length; j++) other[j] = -0.7 * other[j] + 0.1;
        for (GradientMethod m : methods()) {
            for (double[] times : List.of(FINAL, MULTI)) {
                Loss loss = mse(times);
                try (GradientSession s = Gradients.session(f, ROWS, times, loss, RungeKutta.dopri5(), DOPRI, m, true)) {
                    for (double[] y0 : List.of(Y0, other, Y0)) {
                        s.compute(y0);
                        GradientResult ref = Gradients.compute(f, y0, ROWS, times, loss, RungeKutta.dopri5(), DOPRI,
                                m, true);
                        assertSameBits(ref, s.result(), m + " over " + times.length + " times");
                        assertEquals(ref.stats(), s.stats(), m + ": stats");
                    }
                }
            }
        }
    }

    /**
     * Stage evaluations saved in the forward pass (two GEMMs per layer and stage backwards) give exactly the bits of
     * rebuilding the stages (a budget that holds every state but no saved stage), for activations whose derivative
     * reads the output (tanh) and the pre-activation (softplus), fixed and adaptive steps, and save times inside steps.
     */
    @Test
    void savedStagesGiveTheBitsOfTheRecomputingSchedules() {
        for (Activation act : List.of(Activation.TANH, Activation.SOFTPLUS)) {
            Mlp f = mlp(act);
            for (SolveOptions o : List.of(DOPRI, SolveOptions.builder().steps(9).build())) {
                for (RungeKutta rk : List.of(RungeKutta.dopri5(), RungeKutta.tsit5(), RungeKutta.rk4())) {
                    if (!rk.isAdaptive() && o.controller().isAdaptive()) continue;
                    GradientResult saved = Gradients.compute(f, Y0, ROWS, MULTI, mse(MULTI), rk, o,
                            Backprop.storeAll(), true);
                    assertTrue(saved.stats().stagesSaved(), "every stage fits an unbounded store");
                    assertTrue(saved.stats().savedStageBytes() > 0);
                    long states = (saved.stats().forwardSteps() + 1) * 8L * ROWS * D;
                    GradientResult rebuilt = Gradients.compute(f, Y0, ROWS, MULTI, mse(MULTI), rk, o,
                            new Backprop(Checkpointing.budget(2 * states)), true);
                    assertFalse(rebuilt.stats().stagesSaved(), "a budget for the states only");
                    assertEquals(0, rebuilt.stats().stepsRecomputed());
                    GradientResult binomial = Gradients.compute(f, Y0, ROWS, MULTI, mse(MULTI), rk, o,
                            new Backprop(Checkpointing.binomial(3)), true);
                    String what = act + ", " + rk.name() + ", " + o.controller();
                    assertSameBits(rebuilt, saved, what + ": saved stages against rebuilt stages");
                    assertSameBits(binomial, saved, what + ": saved stages against the binomial schedule");
                    assertTrue(saved.stats().backwardNfe() < rebuilt.stats().backwardNfe(),
                            "saved stages need no stage rebuilds: " + saved.stats() + " vs " + rebuilt.stats());
                }
            }
        }
    }

    /** After warm-up one gradient call allocates 0 bytes, for every method, with one and with several observations. */
    @Test
    void aWarmSessionAllocatesNothingPerGradient() {
        Mlp f = mlp(Activation.TANH);
        for (GradientMethod m : methods()) {
            for (double[] times : List.of(FINAL, MULTI)) {
                try (GradientSession s = Gradients.session(f, ROWS, times, mse(times), RungeKutta.dopri5(), DOPRI, m,
                        false)) {
                    Allocations.assertNoAllocation(m + ", " + (times.length - 1) + " observation(s)", 2000, 50,
                            () -> s.compute(Y0));
                    if (m instanceof Backprop) assertTrue(s.stats().stagesSaved());
                }
            }
        }
    }

    @Test
    void aRequestsSessionComputesTheRequest() {
        Mlp f = mlp(Activation.TANH);
        dev.panode.solvers.OdeProblem<Mlp> problem = dev.panode.solvers.OdeProblem.of(f, Y0, MULTI);
        GradientRequest request = Gradients.of(problem, mse(MULTI)).options(DOPRI)
                .gradientMethod(InterpolatingAdjoint.of(AdjointNorm.SEMINORM));
        try (GradientSession s = request.session()) {
            s.compute(Y0);
            assertSameBits(request.compute(), s.result(), "request");
        }
    }

    /** The adjoints follow a fixed-step forward solve with fixed backward steps (no tolerances to refuse). */
    @Test
    void adjointsAfterFixedStepsAgreeWithBackprop() {
        Mlp f = mlp(Activation.TANH);
        SolveOptions fixed = SolveOptions.builder().steps(200).build();
        GradientResult ref = Gradients.compute(f, Y0, ROWS, MULTI, mse(MULTI), RungeKutta.rk4(), fixed,
                Backprop.storeAll());
        for (GradientMethod m : List.of(BacksolveAdjoint.of(AdjointNorm.SEMINORM), InterpolatingAdjoint.of(AdjointNorm.FULL))) {
            GradientResult g = Gradients.compute(f, Y0, ROWS, MULTI, mse(MULTI), RungeKutta.rk4(), fixed, m);
            for (int j = 0; j < ref.dLdTheta().length; j++) {
                assertEquals(ref.dLdTheta()[j], g.dLdTheta()[j], 1e-7, m + ": dL/dθ[" + j + "]");
            }
        }
    }

    @Test
    void badUseIsNamed() {
        Mlp f = mlp(Activation.TANH);
        try (GradientSession s = Gradients.session(f, ROWS, FINAL, mse(FINAL), RungeKutta.dopri5(), DOPRI,
                Backprop.storeAll(), false)) {
            IllegalStateException early = assertThrows(IllegalStateException.class, s::dLdTheta);
            assertTrue(early.getMessage().contains("compute"), early.getMessage());
            IllegalArgumentException shortY0 = assertThrows(IllegalArgumentException.class,
                    () -> s.compute(new double[5]));
            assertTrue(shortY0.getMessage().contains("y0 must have length"), shortY0.getMessage());
            s.compute(Y0);
            s.close();
            assertThrows(IllegalStateException.class, () -> s.compute(Y0));
        }
        IllegalArgumentException rows = assertThrows(IllegalArgumentException.class, () -> Gradients.session(f, 0,
                FINAL, mse(FINAL), RungeKutta.dopri5(), DOPRI, Backprop.storeAll(), false));
        assertEquals("rows must be >= 1, got 0", rows.getMessage());
    }
}
