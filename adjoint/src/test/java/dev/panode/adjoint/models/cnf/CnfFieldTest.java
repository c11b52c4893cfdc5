package dev.panode.adjoint.models.cnf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.adjoint.models.Activation;
import dev.panode.adjoint.models.DifferentiableField;
import dev.panode.adjoint.models.Initialisation;
import dev.panode.adjoint.models.SplitMix64;
import dev.panode.adjoint.models.layers.LayerField;
import dev.panode.adjoint.models.layers.Sequential;
import dev.panode.solvers.FieldWorkspace;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * The CNF field against oracles: its dynamics against the same network as a {@link LayerField}, its divergence against
 * the Jacobian from central differences, and its VJP (state, parameters and time, the second-order terms of the
 * divergence included) against fourth-order central differences of its own evaluation, for every estimator and
 * twice-differentiable activation.
 */
class CnfFieldTest {

    static Sequential network(int dim, Activation act, boolean denseLast) {
        Sequential.Builder b = Sequential.builder(dim).concatSquash(7).activation(act).concatSquash(5).activation(act);
        return (denseLast ? b.dense(dim) : b.concatSquash(dim)).build();
    }

    static CnfField field(int dim, Activation act, TraceEstimator est, int rows, long seed, boolean denseLast) {
        CnfField f = CnfField.initialised(network(dim, act, denseLast), Initialisation.PYTORCH_DEFAULT, seed, est, rows);
        // larger weights than the default so that the activations' curvature matters
        double[] p = f.parameters();
        for (int i = 0; i < p.length; i++) p[i] *= 2.0;
        f.resampleNoise(new SplitMix64(seed + 7));
        return f;
    }

    static double[] randomState(int rows, int dim, SplitMix64 rng) {
        double[] y = new double[rows * (dim + 1)];
        for (int i = 0; i < y.length; i++) y[i] = rng.uniform(-1.5, 1.5);
        return y;
    }

    @ParameterizedTest
    @EnumSource(value = Activation.class, names = {"TANH", "SOFTPLUS", "SIGMOID", "SIN"})
    void dynamicsAreTheLayerFieldsAndTheTraceTheJacobians(Activation act) {
        int dim = 3, rows = 4;
        for (boolean denseLast : new boolean[] {false, true}) {
            CnfField cnf = field(dim, act, TraceEstimator.EXACT, rows, 11, denseLast);
            LayerField plain = new LayerField(cnf.network(), cnf.parameters());
            double t = 0.37;
            double[] y = randomState(rows, dim, new SplitMix64(5));
            double[] out = new double[rows * (dim + 1)];
            cnf.evaluate(t, y, out, rows, cnf.newWorkspace(rows));
            FieldWorkspace pws = plain.newWorkspace(1);
            double[] z = new double[dim], f = new double[dim];
            for (int r = 0; r < rows; r++) {
                System.arraycopy(y, r * (dim + 1), z, 0, dim);
                plain.evaluate(t, z, f, 1, pws);
                for (int i = 0; i < dim; i++) assertEquals(f[i], out[r * (dim + 1) + i], 1e-13 * (1 + Math.abs(f[i])));
                double[][] jac = jacobian(plain, t, z, pws);
                double trace = 0.0;
                for (int i = 0; i < dim; i++) trace += jac[i][i];
                assertEquals(-trace, out[r * (dim + 1) + dim], 1e-8 * (1 + Math.abs(trace)), act + " row " + r);
            }
        }
    }

    /** ∂f/∂z of one row by central differences (step 1e-5): {@code jac[i][j] = ∂f_i/∂z_j}. */
    static double[][] jacobian(LayerField plain, double t, double[] z, FieldWorkspace ws) {
        int dim = z.length;
        double h = 1e-5;
        double[] fp = new double[dim], fm = new double[dim];
        double[][] jac = new double[dim][dim];
        for (int j = 0; j < dim; j++) {
            double zj = z[j];
            z[j] = zj + h;
            plain.evaluate(t, z, fp, 1, ws);
            z[j] = zj - h;
            plain.evaluate(t, z, fm, 1, ws);
            z[j] = zj;
            for (int i = 0; i < dim; i++) jac[i][j] = (fp[i] - fm[i]) / (2 * h);
        }
        return jac;
    }

    @Test
    void hutchinsonIsTheQuadraticFormOfTheJacobian() {
        int dim = 3, rows = 5;
        for (TraceEstimator est : new TraceEstimator[] {TraceEstimator.HUTCHINSON_RADEMACHER,
                TraceEstimator.HUTCHINSON_GAUSSIAN}) {
            CnfField cnf = field(dim, Activation.TANH, est, rows, 3, false);
            LayerField plain = new LayerField(cnf.network(), cnf.parameters());
            double t = 0.8;
            double[] y = randomState(rows, dim, new SplitMix64(9));
            double[] out = new double[rows * (dim + 1)];
            cnf.evaluate(t, y, out, rows, cnf.newWorkspace(rows));
            double[] eps = cnf.noise();
            FieldWorkspace pws = plain.newWorkspace(1);
            double[] z = new double[dim];
            for (int r = 0; r < rows; r++) {
                System.arraycopy(y, r * (dim + 1), z, 0, dim);
                double[][] jac = jacobian(plain, t, z, pws);
                double q = 0.0;
                for (int i = 0; i < dim; i++) {
                    for (int j = 0; j < dim; j++) q += eps[r * dim + i] * jac[i][j] * eps[r * dim + j];
                }
                assertEquals(-q, out[r * (dim + 1) + dim], 1e-8 * (1 + Math.abs(q)), est + " row " + r);
            }
            if (est == TraceEstimator.HUTCHINSON_RADEMACHER) {
                for (double e : eps) assertEquals(1.0, Math.abs(e), 0.0);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TraceEstimator.class)
    void vjpMatchesCentralDifferencesForEveryActivation(TraceEstimator est) {
        for (Activation act : new Activation[] {Activation.TANH, Activation.SOFTPLUS, Activation.SIGMOID}) {
            for (int dim : new int[] {2, 3}) {
                for (boolean denseLast : new boolean[] {false, true}) {
                    assertVjp(field(dim, act, est, 4, 17 + dim, denseLast), 4, act + " D=" + dim + " dense=" + denseLast);
                }
            }
        }
    }

    /** x̄·δy + θ̄·δθ + t̄·δt against d/dh vᵀF(t + hδt, y + hδy; θ + hδθ), fourth-order central differences. */
    static void assertVjp(DifferentiableField cnf, int rows, String what) {
        int d1 = cnf.dim();
        SplitMix64 rng = new SplitMix64(what.hashCode());
        double t = 0.45;
        double[] y = randomState(rows, d1 - 1, rng);
        double[] v = new double[rows * d1], dy = new double[rows * d1];
        for (int i = 0; i < v.length; i++) {
            v[i] = rng.uniform(-1, 1);
            dy[i] = rng.uniform(-1, 1);
        }
        double[] theta = cnf.parameters();
        double[] dTheta = new double[theta.length];
        for (int i = 0; i < dTheta.length; i++) dTheta[i] = rng.uniform(-1, 1);
        double dt = rng.uniform(-1, 1);
        FieldWorkspace ws = cnf.newWorkspace(rows);

        double[] yBar = new double[rows * d1], thetaBar = new double[theta.length], fOut = new double[rows * d1];
        double tBar = cnf.vjp(t, y, v, yBar, thetaBar, fOut, rows, true, ws);
        double[] f = new double[rows * d1];
        cnf.evaluate(t, y, f, rows, ws);
        assertArrayEquals(f, fOut, 0.0, what + ": fOut is the evaluation");
        for (int r = 0; r < rows; r++) assertEquals(0.0, yBar[r * d1 + d1 - 1], 0.0, "ℓ does not enter the field");

        double analytic = tBar * dt;
        for (int i = 0; i < y.length; i++) analytic += yBar[i] * dy[i];
        for (int i = 0; i < theta.length; i++) analytic += thetaBar[i] * dTheta[i];

        double h = 1e-3;
        double numeric = (8 * (along(cnf, t, y, v, dy, dTheta, dt, h, rows, ws) - along(cnf, t, y, v, dy, dTheta, dt, -h, rows, ws))
                - (along(cnf, t, y, v, dy, dTheta, dt, 2 * h, rows, ws) - along(cnf, t, y, v, dy, dTheta, dt, -2 * h, rows, ws)))
                / (12 * h);
        double scale = Math.max(1.0, Math.max(Math.abs(analytic), Math.abs(numeric)));
        assertTrue(Math.abs(analytic - numeric) < 1e-8 * scale,
                what + ": VJP " + analytic + " vs finite differences " + numeric);

        // without θ̄ and without the time: the same state cotangent
        double[] yBar2 = new double[rows * d1];
        assertEquals(0.0, cnf.vjp(t, y, v, yBar2, null, null, rows, false, ws));
        assertArrayEquals(yBar, yBar2, 0.0);
    }

    private static double along(DifferentiableField cnf, double t, double[] y, double[] v, double[] dy, double[] dTheta, double dt,
                                double h, int rows, FieldWorkspace ws) {
        double[] theta = cnf.parameters();
        double[] saved = theta.clone();
        double[] yh = y.clone();
        for (int i = 0; i < y.length; i++) yh[i] += h * dy[i];
        for (int i = 0; i < theta.length; i++) theta[i] += h * dTheta[i];
        double[] f = new double[y.length];
        cnf.evaluate(t + h * dt, yh, f, rows, ws);
        System.arraycopy(saved, 0, theta, 0, theta.length);
        double s = 0.0;
        for (int i = 0; i < f.length; i++) s += v[i] * f[i];
        return s;
    }

    @Test
    void likelihoodAndItsGradient() {
        FlowLikelihood nll = new FlowLikelihood(0.5);
        int rows = 3, dim = 3;
        double[] y = randomState(rows, 2, new SplitMix64(1));
        double[][] states = {new double[rows * dim], y};
        double[][] grads = {new double[rows * dim], new double[rows * dim]};
        double l = nll.evaluate(new double[] {0, 1}, states, rows, dim, grads);
        double expected = 0.0;
        for (int r = 0; r < rows; r++) {
            double x = y[r * 3], z = y[r * 3 + 1], ell = y[r * 3 + 2];
            expected += (x * x + z * z) / (2 * 0.5) + Math.log(2 * Math.PI * 0.5) + ell;
        }
        assertEquals(expected / rows, l, 1e-14);
        double h = 1e-6;
        for (int i = 0; i < y.length; i++) {
            double yi = y[i];
            y[i] = yi + h;
            double lp = nll.evaluate(new double[] {0, 1}, states, rows, dim, new double[][] {new double[9], new double[9]});
            y[i] = yi - h;
            double lm = nll.evaluate(new double[] {0, 1}, states, rows, dim, new double[][] {new double[9], new double[9]});
            y[i] = yi;
            assertEquals((lp - lm) / (2 * h), grads[1][i], 1e-8);
        }
        for (double g : grads[0]) assertEquals(0.0, g);
    }

    @Test
    void badInputIsRefusedByName() {
        Sequential relu = Sequential.builder(2).concatSquash(4).relu().concatSquash(2).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CnfField.initialised(relu, Initialisation.PYTORCH_DEFAULT, 1, TraceEstimator.EXACT, 1));
        assertTrue(e.getMessage().contains("relu"), e.getMessage());
        Sequential gelu = Sequential.builder(2).concatSquash(4).gelu().concatSquash(2).build();
        assertThrows(IllegalArgumentException.class,
                () -> CnfField.initialised(gelu, Initialisation.PYTORCH_DEFAULT, 1, TraceEstimator.EXACT, 1));
        CnfField f = field(2, Activation.TANH, TraceEstimator.HUTCHINSON_RADEMACHER, 2, 1, false);
        e = assertThrows(IllegalArgumentException.class,
                () -> f.evaluate(0, new double[9], new double[9], 3, f.newWorkspace(3)));
        assertTrue(e.getMessage().contains("got 3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new FlowLikelihood(0.0));
        assertThrows(IllegalArgumentException.class, () -> ToyDensity.parse("spiral"));
    }
}
