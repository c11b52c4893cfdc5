package dev.panode.solvers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The iteration matrix M = I − c·J over a batch: solves with M (run in the class below the native threshold) and with
 * Mᵀ (through the facade) against the residual M·x − b, pivoting included; a singular block and bad arguments.
 */
class IterationMatrixTest {
    @Test
    void solvesWithTheMatrixAndItsTranspose() {
        Random random = new Random(7);
        for (int dim : new int[] {1, 3, 8, 17}) {
            int rows = 3, n = rows * dim;
            double[] jac = new double[n * dim];
            for (int i = 0; i < jac.length; i++) jac[i] = random.nextGaussian() * (i % 3 == 0 ? 0.0 : 5.0);
            double c = 0.7;
            IterationMatrix m = new IterationMatrix(rows + 1, dim);
            assertTrue(m.factorise(jac, c, rows));
            assertEquals(c, m.factoredC(), 0.0);
            for (boolean transposed : new boolean[] {false, true}) {
                double[] b = new double[n];
                for (int i = 0; i < n; i++) b[i] = random.nextGaussian();
                double[] x = b.clone();
                if (transposed) m.solveTransposed(x); else m.solve(x);
                for (int r = 0; r < rows; r++) {
                    for (int i = 0; i < dim; i++) {
                        double acc = x[r * dim + i];
                        for (int j = 0; j < dim; j++) {
                            double jij = transposed ? jac[r * dim * dim + j * dim + i] : jac[r * dim * dim + i * dim + j];
                            acc -= c * jij * x[r * dim + j];
                        }
                        assertEquals(b[r * dim + i], acc, 1e-11 * (1 + Math.abs(b[r * dim + i])),
                                "dim " + dim + (transposed ? " Mᵀ" : " M") + " row " + r + " component " + i);
                    }
                }
            }
        }
    }

    @Test
    void singularBlocksAndBadArguments() {
        IterationMatrix m = new IterationMatrix(2, 2);
        double[] identity = {1, 0, 0, 1, 1, 0, 0, 1};
        assertFalse(m.factorise(identity, 1.0, 2), "I − 1·I is singular");
        assertTrue(Double.isNaN(m.factoredC()));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> m.factorise(identity, 0.5, 3)).getMessage()
                .contains("rows must be in [1, 2], got 3"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> m.factorise(new double[3], 0.5, 1)).getMessage()
                .contains("jacobian must hold rows·dim² = 4 values, got 3"));
        assertTrue(m.factorise(identity, 0.5, 2));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> m.solve(new double[3])).getMessage()
                .contains("b must hold rows·dim = 4 values, got 3"));
        assertThrows(IllegalArgumentException.class, () -> new IterationMatrix(0, 2));
    }
}
