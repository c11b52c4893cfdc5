package dev.panode.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.panode.adjoint.models.Mlp;
import dev.panode.blas.testing.Allocations;
import dev.panode.adjoint.models.Initialisation;
import dev.panode.adjoint.models.MlpArchitecture;
import dev.panode.solvers.Result;
import dev.panode.solvers.Solution;
import dev.panode.solvers.SolverWorkspace;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The streaming JSON writer writes exactly Jackson's bytes, numbers read back exactly, and allocates nothing. */
class JsonOutputTest {
    private static byte[] jackson(Object tree) throws Exception {
        return ProblemFile.MAPPER.writeValueAsBytes(tree);
    }

    @Test
    void doublesAreJacksonsBytesAndReadBackBitForBit() throws Exception {
        SplittableRandom rnd = new SplittableRandom(20);
        JsonOutput out = new JsonOutput(16);
        ArrayNode tree = ProblemFile.MAPPER.createArrayNode();
        out.raw('[');
        double[] special = {0.0, -0.0, 1.0, -1.0, 0.1, 1e-6, 1e-8, 1e22, 1e23, Double.MIN_VALUE, Double.MIN_NORMAL,
                Double.MAX_VALUE, -Double.MAX_VALUE, 4.9e-324, 2.2250738585072011e-308, 9007199254740993.0,
                Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        int n = 0;
        for (double d : special) {
            if (n++ > 0) out.raw(',');
            out.number(d);
            tree.add(d);
        }
        for (int i = 0; i < 20_000; i++) {
            double d = i % 2 == 0 ? Double.longBitsToDouble(rnd.nextLong()) : rnd.nextDouble(-4, 4);
            out.raw(',').number(d);
            tree.add(d);
        }
        out.raw(']');
        assertEquals(new String(jackson(tree), StandardCharsets.UTF_8), new String(out.toByteArray(), StandardCharsets.UTF_8));
        ArrayNode back = (ArrayNode) ProblemFile.MAPPER.readTree(out.toByteArray());
        for (int i = 0; i < tree.size(); i++) {
            if (!Double.isFinite(tree.get(i).asDouble())) continue; // written as the quoted "NaN", "Infinity"
            assertEquals(Double.doubleToRawLongBits(tree.get(i).asDouble()), Double.doubleToRawLongBits(back.get(i).asDouble()),
                    "entry " + i);
        }
    }

    @Test
    void stringsAndLongsAreJacksonsBytes() throws Exception {
        String[] strings = {"", "DOPRI5", "dopri5 (rtol 1e-06, atol 1e-08)", "a \"quoted\" \\ back/slash",
                "tab\tnew\nline\r\u0001\u001f\u007f", "naïve – ∞ 😀", "</script>"};
        long[] longs = {0, 1, -1, Long.MAX_VALUE, Long.MIN_VALUE, 1234567890123L};
        ObjectNode tree = ProblemFile.MAPPER.createObjectNode();
        JsonOutput out = new JsonOutput(1);
        out.raw('{');
        for (int i = 0; i < strings.length; i++) {
            tree.put("s" + i, strings[i]);
            out.name("s" + i).string(strings[i]).raw(',');
        }
        for (int i = 0; i < longs.length; i++) {
            tree.put("l" + i, longs[i]);
            out.name("l" + i).number(longs[i]);
            if (i < longs.length - 1) out.raw(',');
        }
        out.raw('}');
        assertEquals(new String(jackson(tree), StandardCharsets.UTF_8), new String(out.toByteArray(), StandardCharsets.UTF_8));
        assertArrayEquals(jackson(tree), out.toByteArray());
    }

    @Test
    void aSolutionIsWrittenAsItsTreeByteForByte() throws Exception {
        Mlp model = Mlp.initialised(MlpArchitecture.mlp3Tanh(2, 16), Initialisation.PYTORCH_DEFAULT, 11);
        JsonOutput out = new JsonOutput(64);
        for (int rows : new int[] {1, 3, 16}) {
            for (SolverOptions o : new SolverOptions[] {new SolverOptions("dopri5", null, 1e-6, 1e-8),
                    new SolverOptions("rk4", 7, 1e-6, 1e-8), new SolverOptions("tsit5", null, 1e-12, 1e-14)}) {
                ObjectNode req = ProblemFile.MAPPER.createObjectNode();
                ArrayNode z0 = req.putArray("z0");
                for (int r = 0; r < rows; r++) z0.addArray().add(0.1 * r - 0.4).add(0.3 - 0.05 * r);
                req.putArray("t").add(0.0).add(0.5).add(1.0);
                ProblemFile p = ProblemFile.of(req, model);
                for (long maxSteps : new long[] {100_000, 2}) {
                    Solution sol = JsonInterface.solveRaw(model, p.z0(), p.batch(), p.t(), o, maxSteps, new SolverWorkspace());
                    out.reset();
                    JsonInterface.writeSolution(sol, JsonInterface.methodName(o), JsonInterface.description(o),
                            p.batch(), model.dim(), out);
                    byte[] want = jackson(JsonInterface.solution(sol, o, p.batch(), model.dim()));
                    assertEquals(new String(want, StandardCharsets.UTF_8), new String(out.toByteArray(), StandardCharsets.UTF_8),
                            rows + " rows, " + o.describe() + ", max steps " + maxSteps);
                    if (maxSteps == 2) assertEquals(Result.MAX_STEPS_REACHED, sol.result(), "the partial case is covered");
                }
            }
        }
    }

    @Test
    void aWarmOutputAllocatesNothing() {
        JsonOutput out = new JsonOutput(4096);
        double[] values = new SplittableRandom(3).doubles(64, -3, 3).toArray();
        Allocations.assertNoAllocation("JsonOutput numbers and names", () -> {
            out.reset().raw('{').name("z").raw('[');
            for (int i = 0; i < values.length; i++) {
                if (i > 0) out.raw(',');
                out.number(values[i]);
            }
            out.raw(']').raw(',').name("nfe").number(62L).raw(',').name("result").string("SUCCESSFUL").raw('}');
        });
        assertFalse(out.size() == 0);
    }
}
