package dev.panode.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** {@code panode solve} on mlp_d2_h16_b4.json against the reference solutions. */
class SolveCommandTest {
    private static final String FILE = "mlp_d2_h16_b4.json";

    @Test
    void rk4With64StepsReproducesTheReferenceStates() throws Exception {
        String path = ReferenceFiles.file(FILE).toString();
        JsonNode got = ReferenceFiles.MAPPER.readTree(
                ReferenceFiles.run("solve", "--problem", path, "--method", "rk4", "--steps", "64"));
        JsonNode want = ReferenceFiles.read(FILE).get("solutions").get("rk4_classic_64").get("z");
        double d = ReferenceFiles.relativeDifference(ReferenceFiles.numbers(got.get("z")), ReferenceFiles.numbers(want));
        assertTrue(d <= 1e-13, "relative difference " + d);
        assertEquals(5, got.get("t").size());
        assertEquals(256, got.get("stats").get("nfe").asLong());
    }

    @Test
    void dopri5AtTightToleranceIsCloseToTheExactFlow() throws Exception {
        String path = ReferenceFiles.file(FILE).toString();
        JsonNode got = ReferenceFiles.MAPPER.readTree(
                ReferenceFiles.run("solve", "--problem", path, "--rtol", "1e-10", "--atol", "1e-12"));
        JsonNode want = ReferenceFiles.read(FILE).get("solutions").get("dop853_rtol1e-13_atol1e-14").get("z");
        double[] a = ReferenceFiles.numbers(got.get("z")), b = ReferenceFiles.numbers(want);
        double maxAbs = 0.0;
        for (int i = 0; i < a.length; i++) maxAbs = Math.max(maxAbs, Math.abs(a[i] - b[i]));
        assertTrue(maxAbs <= 1e-9, "max abs difference " + maxAbs);
    }

    @Test
    void csvHasOneRowPerTimeAndSample() {
        String path = ReferenceFiles.file(FILE).toString();
        String[] lines = ReferenceFiles.run("solve", "--problem", path, "--format", "csv", "--method", "rk4",
                "--steps", "64").strip().split("\\R");
        assertEquals("t,sample,z0,z1", lines[0]);
        assertEquals(1 + 5 * 4, lines.length);
        String[] last = lines[lines.length - 1].split(",");
        JsonNode want = ReferenceFiles.read(FILE).get("solutions").get("rk4_classic_64").get("z").get(4).get(3);
        assertEquals(1.0, Double.parseDouble(last[0]), 0.0);
        assertEquals("3", last[1]);
        assertEquals(want.get(0).doubleValue(), Double.parseDouble(last[2]), 1e-13);
        assertEquals(want.get(1).doubleValue(), Double.parseDouble(last[3]), 1e-13);
    }
}
