package dev.panode.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.blas.testing.ChildJvm;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * C1 compiles every GEMM kernel. When its profiled (tier 3) compile of a kernel bails out ("out of virtual registers
 * in linear scan"), the kernel runs in the interpreter until C2 takes it, boxing every vector: hundreds of kilobytes
 * and a hundred microseconds per call, for as long as C2 waits — which depends on what ran first. A child JVM that
 * stops at tier 3 (C1 with full profiling, compiling synchronously with low thresholds) runs {@link KernelCompileProbe}
 * and its {@code -XX:+PrintCompilation} output must name no skipped compile of a panode method.
 */
class KernelCompilationTest {
    private static final List<String> C1_ONLY = List.of("--add-modules", "jdk.incubator.vector",
            "-XX:+UseParallelGC", "-XX:TieredStopAtLevel=3", "-Xbatch", "-XX:Tier3InvocationThreshold=50",
            "-XX:Tier3MinInvocationThreshold=50", "-XX:Tier3CompileThreshold=200", "-XX:Tier3BackEdgeThreshold=2000",
            "-XX:+PrintCompilation");

    @ParameterizedTest
    @ValueSource(strings = {"f64", "f32"})
    void c1CompilesEveryGemmKernel(String precision) throws IOException, InterruptedException {
        ChildJvm.Result r = ChildJvm.run(KernelCompileProbe.class, C1_ONLY, entry -> !entry.contains("openblas"),
                precision, "300", "3");
        assertEquals(0, r.exitCode(), r.stderr());
        List<String> lines = r.stdout().lines().toList();
        List<String> skipped = lines.stream()
                .filter(l -> l.contains("dev.panode.") && (l.contains("COMPILE SKIPPED") || l.contains("not compilable")))
                .toList();
        assertTrue(skipped.isEmpty(), "C1 gave up on: " + String.join("\n", skipped));
        String kernels = precision.equals("f64") ? "dev.panode.simd.GemmKernel::" : "dev.panode.simd.GemmKernelF32::";
        long compiled = lines.stream().filter(l -> l.contains(kernels + "kernel"))
                .map(l -> l.substring(l.indexOf(kernels)).split(" ")[0]).distinct().count();
        assertTrue(compiled >= (precision.equals("f64") ? 16 : 3),
                "the probe reached too few kernels (" + compiled + "):\n" + r.stdout());
    }
}
