package dev.panode.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.adjoint.models.MlpF32;
import dev.panode.adjoint.models.SpiralField;
import dev.panode.solvers.FieldWorkspace;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The demo's data: the double reference solve, and the spiral's float32 data solved as ode_demo's float32 run does. */
class DemoProblemTest {
    /**
     * The float spiral field against the double {@link SpiralField} at the same (float) states: y³·A in float is
     * within a few float roundings of the double value (the cube and one two-term product: at most 4 roundings of
     * 2⁻²⁴ relative to Σ|y_i³ A_ij|).
     */
    @Test
    void theFloatSpiralFieldIsYCubedTimesA() {
        MlpF32 f32 = DemoProblem.SPIRAL.truthF32();
        SpiralField f64 = SpiralField.torchdiffeqDemo();
        double[] a = f64.parameters();
        int rows = 7;
        FieldWorkspace ws32 = f32.newWorkspace(rows);
        FieldWorkspace ws64 = f64.newWorkspace(rows);
        SplittableRandom random = new SplittableRandom(16);
        float[] y = new float[rows * 2];
        float[] dy = new float[rows * 2];
        double[] yd = new double[rows * 2];
        double[] dyd = new double[rows * 2];
        for (int c = 0; c < 200; c++) {
            for (int i = 0; i < y.length; i++) {
                y[i] = (float) random.nextDouble(-2.5, 2.5);
                yd[i] = y[i];
            }
            f32.evaluate(0.0, y, dy, rows, ws32);
            f64.evaluate(0.0, yd, dyd, rows, ws64);
            for (int r = 0; r < rows; r++) for (int j = 0; j < 2; j++) {
                double scale = 0.0;
                for (int i = 0; i < 2; i++) scale += Math.abs(Math.pow(yd[r * 2 + i], 3) * a[i * 2 + j]);
                assertEquals(dyd[r * 2 + j], dy[r * 2 + j], 4 * 0x1p-24 * scale,
                        "case " + c + " row " + r + " component " + j);
            }
        }
    }

    /**
     * The float32 data are a float solve (every value a float), start at y0 = (2, 0) and follow the double reference
     * data to float accuracy over the whole spiral (dopri5 at rtol 1e-7 in float against rtol 1e-10 in double;
     * measured: at most 5.5e-6 apart on states of size up to 2; 1e-4 allowed).
     */
    @Test
    void theSpiralsFloat32DataFollowTheDoubleData() {
        double[] d64 = DemoProblem.SPIRAL.observe(0, false)[0];
        double[][] data = DemoProblem.SPIRAL.observe(0, true);
        double[] d32 = data[0];
        assertArrayEquals(d32, data[1], 0.0, "no noise on the spiral");
        assertEquals(2000, d32.length);
        assertEquals(2.0, d32[0], 0.0);
        assertEquals(0.0, d32[1], 0.0);
        double worst = 0.0;
        boolean differs = false;
        for (int i = 0; i < d32.length; i++) {
            assertEquals((float) d32[i], d32[i], 0.0, "value " + i + " is a float");
            worst = Math.max(worst, Math.abs(d32[i] - d64[i]));
            differs |= d32[i] != d64[i];
        }
        assertTrue(differs, "the float32 data come from a solve of their own");
        assertTrue(worst < 1e-4, "float32 vs float64 data: worst gap " + worst);
        System.out.printf("spiral data float32 vs float64: worst gap %.2e%n", worst);
    }

    /**
     * float64 keeps the double reference solve, bit for bit, and a problem without a float field (the oscillator)
     * keeps its double data in float32 too.
     */
    @Test
    void float64DataStayTheDoubleReferenceSolve() {
        double[] t = DemoProblem.SPIRAL.times();
        double[] reference = Numerics.solve(SpiralField.torchdiffeqDemo(), new double[] {2.0, 0.0}, 1, t,
                Numerics.REFERENCE).states();
        assertArrayEquals(reference, DemoProblem.SPIRAL.observe(3)[0], 0.0);
        assertArrayEquals(reference, DemoProblem.SPIRAL.observe(3, false)[1], 0.0);
        assertNull(DemoProblem.OSCILLATOR.truthF32());
        double[][] a = DemoProblem.OSCILLATOR.observe(5, false);
        double[][] b = DemoProblem.OSCILLATOR.observe(5, true);
        assertArrayEquals(a[0], b[0], 0.0);
        assertArrayEquals(a[1], b[1], 0.0);
    }
}
