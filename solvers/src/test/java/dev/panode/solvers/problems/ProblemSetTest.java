package dev.panode.solvers.problems;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.solvers.FieldWorkspace;
import dev.panode.solvers.JacobianField;
import dev.panode.solvers.VectorField;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The problem set's contract: consistent sizes, copies out, row-wise batches, Jacobians that match f. */
class ProblemSetTest {
    private static final List<ReferenceProblem> STIFF = List.of(IvpTestSet.HIRES, IvpTestSet.VDPOL, IvpTestSet.ROBER);

    @Test
    void sizesAgreeAndArraysAreCopies() {
        for (ReferenceProblem p : STIFF) {
            int dim = p.field().dim();
            assertEquals(dim, p.initialState().length, p.name());
            assertEquals(dim, p.reference().length, p.name());
            assertTrue(p.end() > 0, p.name());
            assertTrue(p.field().isAutonomous(), p.name());
            double[] y0 = p.initialState(), ref = p.reference();
            double first = y0[0], firstRef = ref[0];
            y0[0] = Double.NaN;
            ref[0] = Double.NaN;
            assertNotSame(y0, p.initialState());
            assertEquals(first, p.initialState()[0], p.name() + ": the copy, not the original, changed");
            assertEquals(firstRef, p.reference()[0], p.name() + ": the copy, not the original, changed");
            assertEquals(p.name(), p.toString());
        }
    }

    @Test
    void aBatchIsTheRowsEvaluatedOneByOne() {
        for (VectorField f : List.of(ClassicProblems.lorenz(), ClassicProblems.vanDerPol(), ClassicProblems.vanDerPolMu(),
                IvpTestSet.HIRES.field(), IvpTestSet.VDPOL.field(), IvpTestSet.ROBER.field())) {
            int d = f.dim(), rows = 3;
            double[] y = new double[rows * d], batch = new double[rows * d];
            for (int i = 0; i < y.length; i++) y[i] = 0.3 + 0.17 * i;
            f.evaluate(0.5, y, batch, rows, FieldWorkspace.NONE);
            for (int r = 0; r < rows; r++) {
                double[] row = java.util.Arrays.copyOfRange(y, r * d, (r + 1) * d), one = new double[d];
                f.evaluate(0.5, row, one, 1, FieldWorkspace.NONE);
                assertArrayEquals(one, java.util.Arrays.copyOfRange(batch, r * d, (r + 1) * d));
            }
        }
    }

    @Test
    void jacobiansMatchCentralDifferences() {
        for (ReferenceProblem p : STIFF) {
            JacobianField f = p.field();
            int d = f.dim();
            double[] y = p.initialState();
            for (int i = 0; i < d; i++) y[i] += 0.1 * (i + 1);
            double[] jac = new double[d * d];
            f.jacobian(0.0, y, jac, 1, FieldWorkspace.NONE);
            for (int j = 0; j < d; j++) {
                double h = 1e-6 * Math.max(1.0, Math.abs(y[j]));
                double[] plus = y.clone(), minus = y.clone(), fp = new double[d], fm = new double[d];
                plus[j] += h;
                minus[j] -= h;
                f.evaluate(0.0, plus, fp, 1, FieldWorkspace.NONE);
                f.evaluate(0.0, minus, fm, 1, FieldWorkspace.NONE);
                for (int i = 0; i < d; i++) {
                    double fd = (fp[i] - fm[i]) / (2 * h);
                    assertEquals(fd, jac[i * d + j], 1e-5 * Math.max(1.0, Math.abs(fd)), p.name() + " ∂f" + i + "/∂y" + j);
                }
            }
        }
    }
}
