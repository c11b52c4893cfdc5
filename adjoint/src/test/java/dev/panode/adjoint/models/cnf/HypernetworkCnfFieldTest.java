package dev.panode.adjoint.models.cnf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.adjoint.gradients.GradientCheck;
import dev.panode.adjoint.models.SplitMix64;
import dev.panode.blas.testing.Allocations;
import dev.panode.solvers.FieldWorkspace;
import dev.panode.solvers.OdeProblem;
import dev.panode.solvers.RungeKutta;
import dev.panode.solvers.SolveOptions;
import org.junit.jupiter.api.Test;

/**
 * The hypernetwork flow of torchdiffeq's CNF example against oracles: its dynamics against cnf.py's formula written
 * out here in plain loops (hypernetwork, split, gate, mean over the units), its divergence against the trace of the
 * Jacobian from central differences, its VJP against fourth-order central differences, and the NLL's gradient of every
 * gradient method against finite differences of the loss on a flow run backwards in time, as cnf.py runs it.
 */
class HypernetworkCnfFieldTest {

    static HypernetworkCnfField field(int dim, int hidden, int units, long seed) {
        HypernetworkCnfField f = HypernetworkCnfField.initialised(dim, hidden, units, seed);
        double[] p = f.parameters();
        for (int i = 0; i < p.length; i++) p[i] *= 2.0; // larger weights: the tanh's curvature matters
        return f;
    }

    /** cnf.py's CNF.forward for one sample, from the definition (Math.tanh, Math.exp). */
    static double[] reference(HypernetworkCnfField f, int hidden, double t, double[] z) {
        int d = f.dataDim(), k = f.units(), out = 3 * k * d + k;
        double[] th = f.parameters();
        double[] h1 = new double[hidden], h2 = new double[hidden], p = new double[out];
        for (int j = 0; j < hidden; j++) h1[j] = Math.tanh(th[j] * t + th[hidden + j]);
        int o2 = 2 * hidden;
        for (int j = 0; j < hidden; j++) {
            double s = th[o2 + hidden * hidden + j];
            for (int i = 0; i < hidden; i++) s += th[o2 + j * hidden + i] * h1[i];
            h2[j] = Math.tanh(s);
        }
        int o3 = o2 + hidden * hidden + hidden;
        for (int j = 0; j < out; j++) {
            double s = th[o3 + out * hidden + j];
            for (int i = 0; i < hidden; i++) s += th[o3 + j * hidden + i] * h2[i];
            p[j] = s;
        }
        double[] f0 = new double[d];
        int bs = k * d;
        for (int u = 0; u < k; u++) {
            double pre = p[3 * bs + u];
            for (int i = 0; i < d; i++) pre += z[i] * p[u * d + i];
            double h = Math.tanh(pre);
            for (int i = 0; i < d; i++) {
                double gate = 1.0 / (1.0 + Math.exp(-p[2 * bs + u * d + i]));
                f0[i] += h * p[bs + u * d + i] * gate / k;
            }
        }
        return f0;
    }

    @Test
    void dynamicsAreCnfPysAndTheTraceTheJacobians() {
        for (int dim : new int[] {2, 3}) {
            int hidden = 5, units = 7, rows = 13; // 13 rows: the vector kernel's tail too
            HypernetworkCnfField f = field(dim, hidden, units, 3 + dim);
            SplitMix64 rng = new SplitMix64(dim);
            double[] y = CnfFieldTest.randomState(rows, dim, rng);
            double[] dy = new double[rows * (dim + 1)];
            FieldWorkspace ws = f.newWorkspace(rows);
            double t = 0.7;
            f.evaluate(t, y, dy, rows, ws);
            for (int r = 0; r < rows; r++) {
                double[] z = new double[dim];
                System.arraycopy(y, r * (dim + 1), z, 0, dim);
                double[] want = reference(f, hidden, t, z);
                for (int i = 0; i < dim; i++) {
                    assertEquals(want[i], dy[r * (dim + 1) + i], 1e-13, "D=" + dim + " row " + r + " f_" + i);
                }
                double trace = 0.0, h = 1e-5;
                for (int i = 0; i < dim; i++) {
                    double[] zp = z.clone(), zm = z.clone();
                    zp[i] += h;
                    zm[i] -= h;
                    trace += (reference(f, hidden, t, zp)[i] - reference(f, hidden, t, zm)[i]) / (2 * h);
                }
                assertEquals(-trace, dy[r * (dim + 1) + dim], 1e-8, "D=" + dim + " row " + r + " dℓ/dt");
            }
        }
    }

    @Test
    void vjpMatchesCentralDifferences() {
        CnfFieldTest.assertVjp(field(2, 6, 9, 11), 11, "hypernetwork D=2");
        CnfFieldTest.assertVjp(field(3, 4, 5, 12), 5, "hypernetwork D=3");
        CnfFieldTest.assertVjp(field(2, 4, 3, 13), 3, "hypernetwork D=2, scalar rows only");
        CnfFieldTest.assertVjp(new TimeReversedFlow(field(2, 6, 9, 14)), 11, "time-reversed hypernetwork");
    }

    @Test
    void everyGradientMethodAgreesWithFiniteDifferencesBackwardsInTime() {
        int rows = 6;
        HypernetworkCnfField f = HypernetworkCnfField.initialised(2, 6, 8, 5);
        double[] y0 = new double[rows * 3];
        ToyDensity.CIRCLES.sampleInto(rows, new SplitMix64(3), y0, 0, 3);
        for (int i = 0; i < y0.length; i++) y0[i] /= 3.0;
        SolveOptions options = SolveOptions.builder().rtol(1e-6).atol(1e-8).build();
        GradientCheck.Report report = GradientCheck.run(GradientCheck.Problem.of(
                OdeProblem.batch(new TimeReversedFlow(f), y0, rows, -2.0, 0.0), new FlowLikelihood(0.1), RungeKutta.dopri5(), options),
                CnfGradientCheckTest.methods(), 3, 1);
        System.out.println(report.table());
        assertTrue(report.passed(), report.table());
    }

    @Test
    void theReversedFlowSolvedForwardIsTheFlowSolvedBackward() {
        int rows = 5;
        HypernetworkCnfField f = field(2, 4, 6, 21);
        double[] y0 = CnfFieldTest.randomState(rows, 2, new SplitMix64(4));
        SolveOptions options = SolveOptions.builder().rtol(1e-10).atol(1e-10).build();
        double[] down = dev.panode.solvers.Solver.solve(OdeProblem.batch(f, y0, rows, 1.5, 0.0), RungeKutta.dopri5(),
                options).lastState();
        double[] up = dev.panode.solvers.Solver.solve(OdeProblem.batch(new TimeReversedFlow(f), y0, rows, -1.5, 0.0),
                RungeKutta.dopri5(), options).lastState();
        for (int i = 0; i < down.length; i++) assertEquals(down[i], up[i], 1e-8, "component " + i);
    }

    @Test
    void evaluateAndVjpAllocateNothing() {
        int rows = 20;
        HypernetworkCnfField f = HypernetworkCnfField.initialised(2, 8, 16, 1);
        FieldWorkspace ws = f.newWorkspace(rows);
        double[] y = new double[rows * 3], out = new double[rows * 3], yBar = new double[rows * 3];
        double[] thetaBar = new double[f.parameterCount()];
        for (int i = 0; i < y.length; i++) y[i] = 0.1 * i - 1;
        Allocations.assertNoAllocation("hypernetwork CNF evaluate and vjp", 2_000, 200, () -> {
            f.evaluate(0.3, y, out, rows, ws);
            f.vjp(0.3, y, out, yBar, thetaBar, null, rows, true, ws);
        });
    }

    @Test
    void theSavedPathGivesTheSameBits() {
        int rows = 11;
        for (FlowField f : new FlowField[] {field(2, 5, 9, 31), new TimeReversedFlow(field(2, 5, 9, 32))}) {
            FieldWorkspace ws = f.newWorkspace(rows);
            SplitMix64 rng = new SplitMix64(8);
            double[] y = CnfFieldTest.randomState(rows, 2, rng), v = CnfFieldTest.randomState(rows, 2, rng);
            double[] out = new double[rows * 3], outSaving = new double[rows * 3], saved = new double[f.savedLength(rows)];
            f.evaluate(0.4, y, out, rows, ws);
            f.evaluateSaving(0.4, y, outSaving, saved, rows, ws);
            org.junit.jupiter.api.Assertions.assertArrayEquals(out, outSaving, 0.0, f + ": evaluateSaving");
            double[] yBar = new double[rows * 3], yBarSaved = new double[rows * 3];
            double[] thetaBar = new double[f.parameterCount()], thetaBarSaved = new double[f.parameterCount()];
            double tBar = f.vjp(0.4, y, v, yBar, thetaBar, null, rows, true, ws);
            double tBarSaved = f.vjpFromSaved(0.4, saved, v, yBarSaved, thetaBarSaved, rows, true, ws);
            org.junit.jupiter.api.Assertions.assertArrayEquals(yBar, yBarSaved, 0.0, f + ": ȳ");
            org.junit.jupiter.api.Assertions.assertArrayEquals(thetaBar, thetaBarSaved, 0.0, f + ": θ̄");
            assertEquals(tBar, tBarSaved, 0.0, f + ": t̄");
        }
    }

    @Test
    void tensorwiseNormIsTheLargerRmsOfZAndEll() {
        int rows = 3;
        double[] v = {1, 2, 3, -1, 0, 4, 2, 2, 0.5};
        double[] y = {0, 0, 0, 1, 1, 1, -2, 0, 0};
        double atol = 0.5, rtol = 0.25;
        double z = 0, l = 0;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < 3; c++) {
                double e = v[3 * r + c] / (atol + rtol * Math.abs(y[3 * r + c]));
                if (c < 2) z += e * e; else l += e * e;
            }
        }
        double want = Math.max(Math.sqrt(z / 6), Math.sqrt(l / 3));
        assertEquals(want, new TensorwiseFlowNorm(2).measure(v, y, y, rows, 3, atol, rtol, null, null), 1e-15);
        double[] at = new double[9], rt = new double[9];
        java.util.Arrays.fill(at, atol);
        java.util.Arrays.fill(rt, rtol);
        assertEquals(want, new TensorwiseFlowNorm(2).measure(v, y, y, rows, 3, 0, 0, at, rt), 1e-15);
        v[4] = Double.NaN;
        assertTrue(Double.isNaN(new TensorwiseFlowNorm(2).measure(v, y, y, rows, 3, atol, rtol, null, null)));
        assertThrows(IllegalArgumentException.class, () -> new TensorwiseFlowNorm(0));
    }

    @Test
    void cnfPysSizes() {
        HypernetworkCnfField f = HypernetworkCnfField.initialised(2, 32, 64, 0);
        assertEquals(15_904, f.parameterCount());
        assertEquals(3, f.dim());
    }

    @Test
    void badInputIsRefusedByName() {
        assertThrows(IllegalArgumentException.class, () -> HypernetworkCnfField.initialised(0, 3, 3, 0));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new HypernetworkCnfField(2, 3, 4, new double[5]))
                .getMessage().startsWith("parameters.length must be"));
        HypernetworkCnfField f = HypernetworkCnfField.initialised(2, 3, 4, 0);
        FieldWorkspace ws = f.newWorkspace(2);
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> f.evaluate(0.0, new double[9], new double[9], 3, ws)).getMessage().startsWith("rows must be"));
    }
}
