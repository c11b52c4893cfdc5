package dev.panode.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.adjoint.models.DifferentiableField;
import dev.panode.adjoint.models.Initialisation;
import dev.panode.adjoint.models.Mlp;
import dev.panode.adjoint.models.MlpArchitecture;
import dev.panode.io.MlpJson;
import dev.panode.solvers.FieldWorkspace;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code panode check}: passes on a correct MLP (adaptive and fixed steps), exits 3 on a field with a wrong VJP. */
class CheckCommandTest {
    private record Run(int exit, String out, String err) {}

    private static Run run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return new Run(cl.execute(args), out.toString(), err.toString());
    }

    private static Mlp model() {
        return Mlp.initialised(MlpArchitecture.mlp3Tanh(2, 12), Initialisation.PYTORCH_DEFAULT, 4);
    }

    private static Path problem(Path dir) throws Exception {
        return Files.writeString(dir.resolve("problem.json"), "{\"model\": " + MlpJson.toJsonString(model())
                + ", \"z0\": [[0.5, -0.5], [1.0, 0.25]], \"t\": [0, 0.5, 1]}");
    }

    @Test
    void aCorrectModelPasses(@TempDir Path dir) throws Exception {
        Path file = problem(dir);
        Run r = run("check", "--problem", file.toString(), "--loss", "multi");
        assertEquals(0, r.exit(), r.out() + r.err());
        for (String m : new String[] {"backprop", "adjoint", "adjoint-seminorm", "interpolating", "verdict: PASS"}) {
            assertTrue(r.out().contains(m), r.out());
        }
        Run fixed = run("check", "--problem", file.toString(), "--method", "rk4", "--steps", "20",
                "--gradient", "backprop,adjoint", "--directions", "2");
        assertEquals(0, fixed.exit(), fixed.out() + fixed.err());
        assertTrue(fixed.out().contains("fixed steps") && !fixed.out().contains("interpolating"), fixed.out());
    }

    /** The same model with a state cotangent 10 % too large: every method must disagree with finite differences. */
    @Test
    void aWrongVjpExitsNonZero(@TempDir Path dir) throws Exception {
        Mlp inner = model();
        DifferentiableField wrong = new DifferentiableField() {
            @Override
            public int parameterCount() {
                return inner.parameterCount();
            }

            @Override
            public double[] parameters() {
                return inner.parameters();
            }

            @Override
            public double vjp(double t, double[] y, double[] v, double[] yBar, double[] thetaBar, double[] fOut,
                              int rows, boolean wantTime, FieldWorkspace ws) {
                double tBar = inner.vjp(t, y, v, yBar, thetaBar, fOut, rows, wantTime, ws);
                for (int i = 0; i < rows * inner.dim(); i++) yBar[i] *= 1.1;
                return tBar;
            }

            @Override
            public void evaluate(double t, double[] y, double[] dyOut, int rows, FieldWorkspace ws) {
                inner.evaluate(t, y, dyOut, rows, ws);
            }

            @Override
            public int dim() {
                return inner.dim();
            }

            @Override
            public FieldWorkspace newWorkspace(int maxRows) {
                return inner.newWorkspace(maxRows);
            }
        };
        CommandLine cl = new CommandLine(new CheckCommand());
        cl.parseArgs("--problem", problem(dir).toString());
        CheckCommand command = cl.getCommand();
        StringWriter out = new StringWriter();
        int exit = command.check(wrong, command.problem.read(), new PrintWriter(out));
        assertEquals(CheckCommand.FAILED, exit, out.toString());
        assertTrue(out.toString().contains("verdict: FAIL"), out.toString());
        for (String m : new String[] {"backprop ", "adjoint ", "adjoint-seminorm ", "interpolating "}) {
            assertTrue(out.toString().lines().anyMatch(l -> l.startsWith(m) && l.endsWith("FAIL")), m + "\n" + out);
        }
    }

    @Test
    void badOptionsAreOneLine(@TempDir Path dir) throws Exception {
        Path file = problem(dir);
        Run r = run("check", "--problem", file.toString(), "--directions", "0");
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().lines().findFirst().orElse("").contains("--directions must be >= 1"), r.err());
        Run g = run("check", "--problem", file.toString(), "--gradient", "nonsense");
        assertEquals(2, g.exit(), g.err());
        assertTrue(g.err().contains("--gradient must be one of"), g.err());
        assertFalse(g.err().contains("\tat "), g.err());
    }
}
