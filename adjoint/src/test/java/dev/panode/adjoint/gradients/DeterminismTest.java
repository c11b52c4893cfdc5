package dev.panode.adjoint.gradients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.panode.blas.Blas;
import dev.panode.blas.testing.ChildJvm;
import dev.panode.adjoint.models.Activation;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The same inputs give bitwise the same outputs: within a run, across runs (fresh JVMs) and across OpenBLAS thread
 * counts (1, 2 and 4 threads: OpenBLAS's dgemm splits C into blocks and computes each element with one thread in a
 * fixed order), whatever the JIT has compiled yet (interpreted, C1 and C2 code give the same bits).
 */
class DeterminismTest {
    private static List<String> childDigests(String... flags) throws Exception {
        List<String> args = new ArrayList<>(List.of("--add-modules", "jdk.incubator.vector"));
        args.addAll(List.of(flags));
        ChildJvm.Result child = ChildJvm.run(DeterminismProbe.class, args, e -> true);
        assertEquals(0, child.exitCode(), child.stderr());
        return List.of(child.stdout().strip().split("\\R"));
    }

    @Test
    void sameInputsGiveBitwiseTheSameOutputsWithinAndAcrossRuns() throws Exception {
        String here = DeterminismProbe.digest();
        for (int i = 0; i < 3; i++) assertEquals(here, DeterminismProbe.digest(), "a further evaluation in the same JVM");
        // fresh JVMs, from their first (interpreted) evaluation on, at the default tiers and held to C1
        String expected = "digest=" + here;
        assertEquals(List.of(expected, expected, expected), childDigests("-Dpanode.probe.repeat=3"), "a fresh JVM");
        assertEquals(List.of(expected, expected), childDigests("-XX:TieredStopAtLevel=1", "-Dpanode.probe.repeat=2"),
                "a fresh JVM without C2");
    }

    /**
     * softplus and sigmoid MLPs too (simd-core's ReproducibleLogistic): before, their exp and log1p were the Vector
     * API's intrinsics, and two fresh JVMs with the same flags gave results up to thousands of ulp apart.
     */
    @Test
    void softplusAndSigmoidMlpsGiveTheSameBitsInFreshJvms() throws Exception {
        Activation[] acts = {Activation.SOFTPLUS, Activation.SIGMOID};
        String here = DeterminismProbe.digest(acts);
        assertEquals(here, DeterminismProbe.digest(acts), "a further evaluation in the same JVM");
        String expected = "digest=" + here;
        assertEquals(List.of(expected, expected), childDigests("-Dpanode.probe.activations=SOFTPLUS,SIGMOID",
                "-Dpanode.probe.repeat=2"), "a fresh JVM, from its first evaluation on");
        assertEquals(List.of(expected), childDigests("-Dpanode.probe.activations=SOFTPLUS,SIGMOID",
                "-XX:TieredStopAtLevel=1"), "a fresh JVM without C2");
    }

    @Test
    void openBlasThreadCountDoesNotChangeTheResult() {
        assumeTrue(Blas.isAvailable(), "OpenBLAS is not loaded: the Java fallback is single-threaded");
        int before = Blas.info().threads();
        try {
            Blas.setThreads(1);
            String one = DeterminismProbe.digest();
            Blas.setThreads(2);
            assertEquals(one, DeterminismProbe.digest(), "2 OpenBLAS threads against 1");
            Blas.setThreads(4);
            assertEquals(one, DeterminismProbe.digest(), "4 OpenBLAS threads against 1");
        } finally {
            Blas.setThreads(before);
        }
    }
}
