package dev.panode.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.adjoint.models.SplitMix64;
import dev.panode.adjoint.models.cnf.FlowLikelihood;
import dev.panode.adjoint.models.cnf.FlowSolves;
import dev.panode.adjoint.models.cnf.ToyDensity;
import dev.panode.io.CnfJson;
import dev.panode.solvers.RungeKutta;
import dev.panode.solvers.SolveOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code panode demo cnf} end to end with a handful of iterations, and its bad arguments. */
class CnfDemoCommandTest {
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    @Test
    void aShortRunWritesThePicturesAndAModelThatReloads(@TempDir Path dir) throws Exception {
        CnfDemoCommand cmd = new CnfDemoCommand();
        new CommandLine(cmd).parseArgs("moons", "-n", "3", "--batch-size", "32", "--hidden", "8,8", "--test-samples",
                "200", "--grid", "24", "--schedule", "cosine", "--rtol", "1e-3", "--atol", "1e-3", "-o", dir.toString());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CnfDemoCommand.CnfResult r = cmd.run(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("held-out NLL"), text);
        assertTrue(text.contains("NLL ") && text.contains(" nats") && text.contains("NFE fwd/bwd"), text);
        assertTrue(text.contains("ETA"), text);
        for (String name : new String[] {"density.png", "samples.png", "flow.png"}) {
            byte[] png = Files.readAllBytes(dir.resolve(name));
            assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(png, 8), name);
            assertTrue(png.length > 500, name + " has " + png.length + " bytes");
        }
        assertTrue(Double.isFinite(r.heldOutNll()), "NLL " + r.heldOutNll());
        assertTrue(r.nfeForwardPerIteration() >= 6 && r.nfeBackwardPerIteration() >= 6, text);

        CnfJson.Flow flow = CnfJson.read(dir.resolve("model.json"));
        assertEquals(0.5, flow.timeLength());
        double[] test = ToyDensity.MOONS.sample(200, new SplitMix64(0 ^ 0x5DEECE66DL));
        double nll = new FlowSolves(flow.field(), flow.timeLength(), new FlowLikelihood(flow.baseVariance()),
                RungeKutta.dopri5(), SolveOptions.builder().rtol(1e-3).atol(1e-3).build())
                .negativeLogLikelihood(test, 200);
        assertEquals(r.heldOutNll(), nll, 0.0, "the model file reproduces the held-out NLL bit for bit");
    }

    @Test
    void badArgumentsGiveOneLineAndExitTwo() {
        CliBadInputTest.assertOneLineFailure(CliBadInputTest.run("demo", "cnf", "spiral"), 2, "panode demo cnf",
                "DATASET must be one of", "got spiral");
        CliBadInputTest.assertOneLineFailure(CliBadInputTest.run("demo", "cnf", "--hidden", "8,x"), 2, "--hidden",
                "8,x");
        CliBadInputTest.assertOneLineFailure(CliBadInputTest.run("demo", "cnf", "--trace", "hutch"), 2, "--trace",
                "got hutch");
        CliBadInputTest.assertOneLineFailure(CliBadInputTest.run("demo", "cnf", "--activation", "relu"), 2,
                "--activation", "got relu");
        CliBadInputTest.assertOneLineFailure(CliBadInputTest.run("demo", "cnf", "-n", "0"), 2, "--iterations", "got 0");
        CliBadInputTest.assertOneLineFailure(CliBadInputTest.run("demo", "cnf", "--rtol", "-1"), 2, "--rtol");
        CliBadInputTest.assertOneLineFailure(CliBadInputTest.run("demo", "cnf", "--gradient", "magic"), 2,
                "--gradient");
        CliBadInputTest.assertOneLineFailure(CliBadInputTest.run("demo", "cnf", "--schedule", "step"), 2,
                "--schedule", "got step");
    }
}
