package dev.panode.adjoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.panode.blas.Blas;
import dev.panode.blas.testing.ChildJvm;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The same inputs give bitwise the same outputs: within a run, across runs (fresh JVMs) and across OpenBLAS thread
 * counts (1, 2 and 4 threads: OpenBLAS's dgemm splits C into blocks and computes each element with one thread in a
 * fixed order). Not across JIT tiers: the first, interpreted or C1-compiled evaluations of an MLP differ in the last
 * bits from the C2-compiled steady state (see docs/RELIABILITY.md), so the comparisons are made at a settled tier.
 */
class DeterminismTest {
    /** Digests until two consecutive ones agree (the JIT has settled), at most {@code max}; returns the last. */
    static String settledDigest(int max) {
        String previous = DeterminismProbe.digest();
        for (int i = 1; i < max; i++) {
            String d = DeterminismProbe.digest();
            if (d.equals(previous)) return d;
            previous = d;
        }
        return previous;
    }

    private static List<String> childDigests(String... flags) throws Exception {
        List<String> args = new ArrayList<>(List.of("--add-modules", "jdk.incubator.vector"));
        args.addAll(List.of(flags));
        ChildJvm.Result child = ChildJvm.run(DeterminismProbe.class, args, e -> true);
        assertEquals(0, child.exitCode(), child.stderr());
        return List.of(child.stdout().strip().split("\\R"));
    }

    @Test
    void sameInputsGiveBitwiseTheSameOutputsWithinAndAcrossRuns() throws Exception {
        String warm = settledDigest(40);
        for (int i = 0; i < 3; i++) assertEquals(warm, DeterminismProbe.digest(), "a further evaluation in the same JVM");
        // across runs, with the JIT held to one tier (C1) so that the first evaluation is compiled like the last
        List<String> a = childDigests("-XX:TieredStopAtLevel=1", "-Dpanode.probe.repeat=2");
        List<String> b = childDigests("-XX:TieredStopAtLevel=1", "-Dpanode.probe.repeat=2");
        assertEquals(a, b, "two fresh JVMs");
        assertEquals(a.get(0), a.get(1), "first and second evaluation of a fresh JVM");
        // across runs at steady state (C2): a fresh JVM that has settled gives this JVM's settled digest
        List<String> c = childDigests("-Dpanode.probe.repeat=40");
        String last = c.getLast(), beforeLast = c.get(c.size() - 2);
        assumeTrue(last.equals(beforeLast), "the child's JIT did not settle within 40 evaluations");
        assertEquals("digest=" + warm, last, "a fresh JVM at steady state");
    }

    @Test
    void openBlasThreadCountDoesNotChangeTheResult() {
        assumeTrue(Blas.isAvailable(), "OpenBLAS is not loaded: the Java fallback is single-threaded");
        int before = Blas.info().threads();
        try {
            Blas.setThreads(1);
            String one = settledDigest(40);
            Blas.setThreads(2);
            assertEquals(one, DeterminismProbe.digest(), "2 OpenBLAS threads against 1");
            Blas.setThreads(4);
            assertEquals(one, DeterminismProbe.digest(), "4 OpenBLAS threads against 1");
        } finally {
            Blas.setThreads(before);
        }
    }
}
