package dev.panode.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class StartupSettingsTest {
    private static final String SCALING = "-XX:CompileCommand=CompileThresholdScaling,jdk.incubator.vector.*::*,5.0";

    @Test
    void namesTheArchiveTheScriptPassed() {
        assertEquals("archive /c/cli-demo-1.jsa", StartupSettings.classData(List.of("--add-modules=jdk.incubator.vector",
                "-XX:SharedArchiveFile=/c/cli-demo-1.jsa", "-Xlog:cds*=off")));
        assertEquals("archive written as this run exits (first run after a build), /c/x.jsa.7.tmp",
                StartupSettings.classData(List.of("-XX:ArchiveClassesAtExit=/c/x.jsa.7.tmp")));
    }

    @Test
    void namesAnAheadOfTimeCacheAndItsTrainingRun() {
        assertEquals("AOT cache demo.aot", StartupSettings.classData(List.of("-XX:AOTCache=demo.aot")));
        assertEquals("AOT cache being made by this run (training run), demo.aot",
                StartupSettings.classData(List.of("-XX:AOTCacheOutput=demo.aot")));
    }

    @Test
    void withoutArchiveOptionsOnlyTheJdksOwnOrNone() {
        assertEquals("the JDK's default archive only", StartupSettings.classData(List.of("-Xmx1g")));
        assertEquals("none (-Xshare:off)", StartupSettings.classData(List.of("-XX:SharedArchiveFile=a.jsa", "-Xshare:off")));
    }

    @Test
    void reportsTheVectorApiThresholdFactor() {
        assertEquals("the Vector API's own methods compiled at 5.0x the JVM's invocation counts (their callers' C2 code "
                + "replaces them)", StartupSettings.jit(List.of("-XX:CompileCommand=quiet", SCALING)));
        assertEquals("the JVM's default compile thresholds", StartupSettings.jit(List.of("-XX:CompileCommand=quiet")));
    }

    @Test
    void reportsTheKernelsThresholdFactorBesideTheVectorApis() {
        String kernels = "-XX:CompileCommand=CompileThresholdScaling,dev.panode.simd.*::*,0.125";
        assertEquals("the Vector API's own methods compiled at 5.0x the JVM's invocation counts (their callers' C2 code "
                + "replaces them); panode's kernels at 0.125x", StartupSettings.jit(List.of(SCALING, kernels)));
        assertEquals("the JVM's default compile thresholds; panode's kernels at 0.125x",
                StartupSettings.jit(List.of(kernels)));
    }

    @Test
    void nullArgumentsAreNamed() {
        assertEquals("args must be non-null",
                assertThrows(IllegalArgumentException.class, () -> StartupSettings.classData(null)).getMessage());
        assertEquals("args must be non-null",
                assertThrows(IllegalArgumentException.class, () -> StartupSettings.jit(null)).getMessage());
    }
}
