package dev.panode.adjoint.models;

import static dev.panode.adjoint.testing.FieldChecking.assertRelativeClose;
import static dev.panode.adjoint.testing.FieldChecking.directional;
import static dev.panode.adjoint.testing.FieldChecking.dot;
import static dev.panode.adjoint.testing.FieldChecking.normwiseRelative;
import static dev.panode.adjoint.testing.FieldChecking.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.solvers.FieldWorkspace;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class MlpTest {

    static Stream<Arguments> configurations() {
        List<Arguments> cases = new ArrayList<>();
        for (Activation a : Activation.values()) {
            for (boolean time : new boolean[] {false, true}) {
                for (InputTransform tr : InputTransform.values()) {
                    for (boolean identityOut : new boolean[] {true, false}) {
                        cases.add(Arguments.of(a, time, tr, identityOut));
                    }
                }
            }
        }
        return cases.stream();
    }

    /** d = 3 → 5 → 4 → 3 with the given hidden activation; the output is the identity or the same activation. */
    static MlpArchitecture architecture(Activation a, boolean time, InputTransform tr, boolean identityOut) {
        return new MlpArchitecture(3, List.of(5, 4, 3), List.of(a, a, identityOut ? Activation.IDENTITY : a), time, tr);
    }

    /** The network written out as loops: the oracle for the forward pass. */
    static double[] naiveForward(Mlp mlp, double t, double[] y, int rows) {
        MlpArchitecture arch = mlp.architecture();
        double[] theta = mlp.parameters();
        int d = arch.dim();
        double[] out = new double[rows * d];
        for (int r = 0; r < rows; r++) {
            double[] x = new double[arch.inputs(0)];
            for (int i = 0; i < d; i++) x[i] = arch.inputTransform().apply(y[r * d + i]);
            if (arch.timeInput()) x[d] = t;
            for (int l = 0; l < arch.layerCount(); l++) {
                int in = arch.inputs(l);
                int o = arch.outputs(l);
                double[] next = new double[o];
                for (int j = 0; j < o; j++) {
                    double s = theta[arch.biasOffset(l) + j];
                    for (int i = 0; i < in; i++) s += theta[arch.weightOffset(l) + j * in + i] * x[i];
                    next[j] = arch.activations().get(l).kernel().apply(s);
                }
                x = next;
            }
            System.arraycopy(x, 0, out, r * d, d);
        }
        return out;
    }

    @ParameterizedTest(name = "{0} time={1} transform={2} identityOut={3}")
    @MethodSource("configurations")
    void forwardMatchesNaiveLoops(Activation a, boolean time, InputTransform tr, boolean identityOut) {
        Mlp mlp = Mlp.initialised(architecture(a, time, tr, identityOut), Initialisation.PYTORCH_DEFAULT, 7);
        int rows = 6;
        double[] y = random(new SplittableRandom(3), rows * 3, 1.5);
        double[] f = new double[rows * 3];
        mlp.evaluate(0.7, y, f, rows, mlp.newWorkspace(rows));
        double[] expected = naiveForward(mlp, 0.7, y, rows);
        assertTrue(normwiseRelative(f, expected, f.length) <= 1e-14, "forward vs naive loops");
    }

    @ParameterizedTest(name = "{0} time={1} transform={2} identityOut={3}")
    @MethodSource("configurations")
    void vjpMatchesCentralDifferences(Activation a, boolean time, InputTransform tr, boolean identityOut) {
        Mlp mlp = Mlp.initialised(architecture(a, time, tr, identityOut), Initialisation.PYTORCH_DEFAULT, 11);
        int rows = 3;
        SplittableRandom rng = new SplittableRandom(a.ordinal() * 31L + (time ? 7 : 0) + tr.ordinal());
        double[] y = random(rng, rows * 3, 1.5);
        double[] v = random(rng, rows * 3, 1.0);
        double t = 0.4;
        double[] yBar = new double[rows * 3];
        double[] thetaBar = new double[mlp.parameterCount()];
        double[] fOut = new double[rows * 3];
        double tBar = mlp.vjp(t, y, v, yBar, thetaBar, fOut, rows, true, mlp.newWorkspace(rows));

        double[] f = new double[rows * 3];
        mlp.evaluate(t, y, f, rows, mlp.newWorkspace(rows));
        assertArrayEquals(f, fOut, "fOut is f(t, y)");

        double h = 1e-4;
        for (int k = 0; k < 3; k++) {
            double[] dy = random(rng, rows * 3, 1.0);
            double[] dTheta = random(rng, mlp.parameterCount(), 1.0);
            assertRelativeClose(directional(mlp, t, y, v, rows, 0.0, dy, null, h), dot(yBar, dy, dy.length), 1e-7,
                    "vᵀ∂f/∂y along a random direction");
            assertRelativeClose(directional(mlp, t, y, v, rows, 0.0, null, dTheta, h),
                    dot(thetaBar, dTheta, dTheta.length), 1e-7, "vᵀ∂f/∂θ along a random direction");
        }
        if (time) {
            assertRelativeClose(directional(mlp, t, y, v, rows, 1.0, null, null, h), tBar, 1e-7, "vᵀ∂f/∂t");
        } else {
            assertEquals(0.0, tBar, "no time input: ∂f/∂t = 0");
        }
    }

    /** f = W2 σ(W1 [φ(y), t] + b1) + b2: Jacobians written out by hand, rows of J recovered with unit cotangents. */
    @ParameterizedTest
    @EnumSource(Activation.class)
    void vjpMatchesExplicitJacobianOfTinyNet(Activation a) {
        for (boolean time : new boolean[] {false, true}) {
            for (InputTransform tr : InputTransform.values()) {
                MlpArchitecture arch = new MlpArchitecture(2, List.of(3, 2), List.of(a, Activation.IDENTITY), time, tr);
                Mlp mlp = Mlp.initialised(arch, Initialisation.XAVIER_UNIFORM, 5);
                double[] th = mlp.parameters();
                for (int i = arch.biasOffset(0); i < arch.biasOffset(0) + 3; i++) th[i] = 0.1 * (i + 1);
                int in = arch.inputs(0);
                double[] y = {0.3, -0.8};
                double t = 0.25;
                double[] x = {tr.apply(y[0]), tr.apply(y[1]), t};
                double[] u = new double[3];
                double[] hAct = new double[3];
                double[] dAct = new double[3];
                for (int k = 0; k < 3; k++) {
                    double s = th[arch.biasOffset(0) + k];
                    for (int i = 0; i < in; i++) s += th[k * in + i] * x[i];
                    u[k] = s;
                    hAct[k] = a.kernel().apply(s);
                    dAct[k] = a.kernel().derivative(s, hAct[k]);
                }
                int w2 = arch.weightOffset(1);
                FieldWorkspace ws = mlp.newWorkspace(1);
                for (int j = 0; j < 2; j++) {
                    double[] v = new double[2];
                    v[j] = 1.0;
                    double[] yBar = new double[2];
                    double[] thetaBar = new double[mlp.parameterCount()];
                    double tBar = mlp.vjp(t, y, v, yBar, thetaBar, null, 1, true, ws);
                    double[] expectTheta = new double[mlp.parameterCount()];
                    for (int k = 0; k < 3; k++) {
                        double back = th[w2 + j * 3 + k] * dAct[k];
                        for (int i = 0; i < in; i++) expectTheta[k * in + i] = back * x[i];
                        expectTheta[arch.biasOffset(0) + k] = back;
                        expectTheta[w2 + j * 3 + k] = hAct[k];
                    }
                    expectTheta[arch.biasOffset(1) + j] = 1.0;
                    for (int i = 0; i < 2; i++) {
                        double jac = 0.0;
                        for (int k = 0; k < 3; k++) jac += th[w2 + j * 3 + k] * dAct[k] * th[k * in + i];
                        assertEquals(jac * tr.derivative(y[i]), yBar[i], 1e-15, "∂f_" + j + "/∂y_" + i);
                    }
                    double jt = 0.0;
                    if (time) for (int k = 0; k < 3; k++) jt += th[w2 + j * 3 + k] * dAct[k] * th[k * in + 2];
                    assertEquals(jt, tBar, 1e-15, "∂f_" + j + "/∂t");
                    assertArrayEquals(expectTheta, thetaBar, 1e-15, "∂f_" + j + "/∂θ");
                }
            }
        }
    }

    @Test
    void thetaBarAccumulatesAndYBarIsOverwritten() {
        Mlp mlp = Mlp.initialised(MlpArchitecture.mlp3Tanh(2, 8), Initialisation.PYTORCH_DEFAULT, 1);
        SplittableRandom rng = new SplittableRandom(9);
        double[] y = random(rng, 8, 1.0);
        double[] v = random(rng, 8, 1.0);
        FieldWorkspace ws = mlp.newWorkspace(4);
        double[] yBar1 = new double[8];
        double[] once = new double[mlp.parameterCount()];
        mlp.vjp(0, y, v, yBar1, once, null, 4, false, ws);
        double[] yBar2 = random(rng, 8, 5.0);
        double[] twice = once.clone();
        mlp.vjp(0, y, v, yBar2, twice, null, 4, false, ws);
        assertArrayEquals(yBar1, yBar2);
        for (int i = 0; i < once.length; i++) assertEquals(2 * once[i], twice[i], 1e-15 * Math.abs(once[i]));
        double[] yBar3 = new double[8];
        mlp.vjp(0, y, v, yBar3, null, null, 4, false, ws);
        assertArrayEquals(yBar1, yBar3, "thetaBar = null skips the parameter gradient only");
    }

    @Test
    void rowsAreIndependentSamples() {
        Mlp mlp = Mlp.initialised(MlpArchitecture.mlp3Tanh(3, 6).withTimeInput(true), Initialisation.HE_NORMAL, 2);
        SplittableRandom rng = new SplittableRandom(4);
        int rows = 5;
        double[] y = random(rng, rows * 3, 1.0);
        double[] v = random(rng, rows * 3, 1.0);
        FieldWorkspace ws = mlp.newWorkspace(rows);
        double[] yBar = new double[rows * 3];
        double[] thetaBar = new double[mlp.parameterCount()];
        double tBar = mlp.vjp(0.3, y, v, yBar, thetaBar, null, rows, true, ws);
        double[] sumTheta = new double[mlp.parameterCount()];
        double sumT = 0.0;
        for (int r = 0; r < rows; r++) {
            double[] yr = java.util.Arrays.copyOfRange(y, 3 * r, 3 * r + 3);
            double[] vr = java.util.Arrays.copyOfRange(v, 3 * r, 3 * r + 3);
            double[] yBarR = new double[3];
            sumT += mlp.vjp(0.3, yr, vr, yBarR, sumTheta, null, 1, true, ws);
            for (int i = 0; i < 3; i++) assertEquals(yBar[3 * r + i], yBarR[i], 1e-15);
        }
        assertEquals(sumT, tBar, 1e-14);
        assertArrayEquals(sumTheta, thetaBar, 1e-14);
    }

    @Test
    void oneMlpServesManyThreadsWithTheirOwnWorkspaces() throws Exception {
        Mlp mlp = Mlp.initialised(MlpArchitecture.mlp3Tanh(4, 32).withTimeInput(true), Initialisation.PYTORCH_DEFAULT, 3);
        int rows = 8;
        double[][] ys = new double[4][];
        double[][] expected = new double[4][];
        for (int k = 0; k < 4; k++) {
            ys[k] = random(new SplittableRandom(k), rows * 4, 1.0);
            expected[k] = naiveForward(mlp, 0.1 * k, ys[k], rows);
        }
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(2)) {
            List<java.util.concurrent.Future<Double>> errors = new ArrayList<>();
            for (int job = 0; job < 8; job++) {
                int k = job % 4;
                errors.add(pool.submit(() -> {
                    FieldWorkspace ws = mlp.newWorkspace(rows);
                    double[] f = new double[rows * 4];
                    double worst = 0.0;
                    for (int rep = 0; rep < 200; rep++) {
                        mlp.evaluate(0.1 * k, ys[k], f, rows, ws);
                        worst = Math.max(worst, normwiseRelative(f, expected[k], f.length));
                    }
                    return worst;
                }));
            }
            for (var e : errors) assertTrue(e.get() <= 1e-14, "concurrent evaluation error " + e.get());
        }
    }

    @Test
    void evaluateAndVjpShareAWorkspaceInAnyOrder() {
        MlpArchitecture arch = new MlpArchitecture(2, List.of(6, 2), List.of(Activation.SIGMOID, Activation.TANH),
                true, InputTransform.CUBE);
        Mlp mlp = Mlp.initialised(arch, Initialisation.XAVIER_UNIFORM, 8);
        FieldWorkspace ws = mlp.newWorkspace(3);
        double[] y1 = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6};
        double[] y2 = {-1, 1, -0.5, 0.5, 0.25, 0};
        double[] v = {1, 2, 3, 4, 5, 6};
        double[] ref = new double[6];
        double[] thetaRef = new double[mlp.parameterCount()];
        double tRef = mlp.vjp(0.5, y1, v, ref, thetaRef, null, 3, true, mlp.newWorkspace(3));
        double[] f = new double[6];
        double[] yBar = new double[6];
        double[] thetaBar = new double[mlp.parameterCount()];
        mlp.evaluate(0.9, y2, f, 3, ws);
        double t1 = mlp.vjp(0.5, y1, v, yBar, thetaBar, null, 3, true, ws);
        assertArrayEquals(ref, yBar);
        assertArrayEquals(thetaRef, thetaBar);
        assertEquals(tRef, t1);
    }

    @Test
    void rejectsWrongArguments() {
        Mlp mlp = Mlp.initialised(MlpArchitecture.mlp3Tanh(2, 4), Initialisation.PYTORCH_DEFAULT, 1);
        FieldWorkspace ws = mlp.newWorkspace(2);
        double[] y = new double[4];
        double[] out = new double[4];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> mlp.evaluate(0, y, out, 3, ws));
        assertTrue(e.getMessage().contains("rows"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> mlp.evaluate(0, new double[3], out, 2, ws));
        assertTrue(e.getMessage().contains("y.length"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> mlp.evaluate(0, y, y, 2, ws));
        assertTrue(e.getMessage().contains("alias"), e.getMessage());
        Mlp other = Mlp.initialised(MlpArchitecture.mlp3Tanh(2, 5), Initialisation.PYTORCH_DEFAULT, 1);
        e = assertThrows(IllegalArgumentException.class, () -> mlp.evaluate(0, y, out, 2, other.newWorkspace(2)));
        assertTrue(e.getMessage().contains("ws"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> mlp.vjp(0, y, y.clone(), out, new double[3], null, 2, false, ws));
        assertTrue(e.getMessage().contains("thetaBar.length"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new Mlp(MlpArchitecture.mlp3Tanh(2, 4), new double[5]));
        assertTrue(e.getMessage().contains("parameters.length"), e.getMessage());
        double[] nan = mlp.parameters().clone();
        nan[3] = Double.NaN;
        e = assertThrows(IllegalArgumentException.class, () -> mlp.withParameters(nan));
        assertTrue(e.getMessage().contains("parameters[3]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new MlpArchitecture(2, List.of(4, 3), List.of(Activation.TANH, Activation.IDENTITY), false,
                        InputTransform.NONE));
        assertTrue(e.getMessage().contains("last layer width"), e.getMessage());
    }

    @Test
    void flatLayoutIsWThenBPerLayer() {
        MlpArchitecture arch = MlpArchitecture.mlp3Tanh(2, 16).withTimeInput(true);
        assertEquals(3, arch.inputs(0));
        assertEquals(0, arch.weightOffset(0));
        assertEquals(48, arch.biasOffset(0));
        assertEquals(64, arch.weightOffset(1));
        assertEquals(64 + 256, arch.biasOffset(1));
        assertEquals(64 + 272, arch.weightOffset(2));
        assertEquals(64 + 272 + 32 + 2, arch.parameterCount());
    }
}
