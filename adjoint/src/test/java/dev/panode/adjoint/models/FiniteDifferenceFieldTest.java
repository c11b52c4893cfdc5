package dev.panode.adjoint.models;

import static dev.panode.adjoint.testing.FieldChecking.normwiseRelative;
import static dev.panode.adjoint.testing.FieldChecking.random;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.solvers.FieldWorkspace;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The approximate VJP against the MLP's exact one. */
class FiniteDifferenceFieldTest {

    @Test
    void approximatesTheExactVjpOfAnMlpWithTimeInput() {
        Mlp mlp = Mlp.initialised(MlpArchitecture.mlp3Tanh(3, 10).withTimeInput(true), Initialisation.PYTORCH_DEFAULT, 4);
        FiniteDifferenceField fd = new FiniteDifferenceField(mlp);
        int rows = 5;
        SplittableRandom rng = new SplittableRandom(2);
        double[] y = random(rng, rows * 3, 2.0);
        double[] v = random(rng, rows * 3, 1.0);
        double[] exact = new double[rows * 3];
        double tExact = mlp.vjp(1.5, y, v, exact, null, null, rows, true, mlp.newWorkspace(rows));
        double[] approx = new double[rows * 3];
        double[] f = new double[rows * 3];
        double tApprox = fd.vjp(1.5, y, v, approx, new double[0], f, rows, true, fd.newWorkspace(rows));
        assertTrue(normwiseRelative(approx, exact, exact.length) < 1e-8, "ȳ");
        assertEquals(tExact, tApprox, 1e-8 * Math.abs(tExact));
        double[] f2 = new double[rows * 3];
        mlp.evaluate(1.5, y, f2, rows, mlp.newWorkspace(rows));
        assertEquals(0.0, normwiseRelative(f, f2, f.length));
        assertEquals(0, fd.parameterCount());
    }

    @Test
    void needsAKnownDimension() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new FiniteDifferenceField((t, y, out, rows, ws) -> { }));
        assertTrue(e.getMessage().contains("dim"), e.getMessage());
        FiniteDifferenceField f = new FiniteDifferenceField((t, y, out, rows, ws) -> {
            for (int i = 0; i < rows * 2; i++) out[i] = Math.sin(y[i]);
        }, 2);
        double[] yBar = new double[2];
        f.vjp(0, new double[] {0.5, 1.0}, new double[] {1, 1}, yBar, null, null, 1, false, f.newWorkspace(1));
        assertEquals(Math.cos(0.5), yBar[0], 1e-9);
        assertEquals(Math.cos(1.0), yBar[1], 1e-9);
        FieldWorkspace wrong = FieldWorkspace.NONE;
        assertThrows(IllegalArgumentException.class, () -> f.evaluate(0, new double[2], new double[2], 1, wrong));
    }
}
