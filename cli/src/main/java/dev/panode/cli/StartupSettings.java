package dev.panode.cli;

import dev.panode.blas.Arguments;

import java.util.List;

/**
 * What the JVM was started with that shapes a command's start-up and warm-up, read from its input arguments: the
 * class-data archive (or JDK 25 ahead-of-time cache) it maps or writes, and the compile thresholds the {@code panode}
 * script sets for the Vector API's own methods. {@code panode info} prints both.
 *
 * <p>Cost: one pass over the arguments. Only the options' spelling is read; whether the JVM accepted a file (an
 * archive made for another class path is refused and the run goes on without it) is not known here.
 */
final class StartupSettings {
    private static final String VECTOR_SCALING = "-XX:CompileCommand=CompileThresholdScaling,jdk.incubator.vector.*::*,";
    private static final String KERNEL_SCALING = "-XX:CompileCommand=CompileThresholdScaling,dev.panode.simd.*::*,";

    private StartupSettings() {}

    /**
     * The class-data line: the archive or AOT cache named on the command line, or the JDK's own default archive.
     *
     * @param args the JVM's input arguments, e.g. {@code RuntimeMXBean.getInputArguments()}
     */
    static String classData(List<String> args) {
        Arguments.nonNull(args, "args");
        String shared = null, aotCache = null, atExit = null, aotOutput = null;
        boolean off = false;
        for (String a : args) {
            if (a.startsWith("-XX:SharedArchiveFile=")) shared = value(a);
            else if (a.startsWith("-XX:AOTCache=")) aotCache = value(a);
            else if (a.startsWith("-XX:ArchiveClassesAtExit=")) atExit = value(a);
            else if (a.startsWith("-XX:AOTCacheOutput=")) aotOutput = value(a);
            else if (a.equals("-Xshare:off")) off = true;
        }
        if (off) return "none (-Xshare:off)";
        if (aotOutput != null) return "AOT cache being made by this run (training run), " + aotOutput;
        if (aotCache != null) return "AOT cache " + aotCache;
        if (atExit != null) return "archive written as this run exits (first run after a build), " + atExit;
        if (shared != null) return "archive " + shared;
        return "the JDK's default archive only";
    }

    /**
     * The JIT line: the compile-threshold factors of the Vector API's own methods and of panode's kernels
     * ({@code dev.panode.simd}) when the command line sets them.
     *
     * @param args the JVM's input arguments
     */
    static String jit(List<String> args) {
        Arguments.nonNull(args, "args");
        String vector = factor(args, VECTOR_SCALING);
        String kernels = factor(args, KERNEL_SCALING);
        String line = vector == null ? "the JVM's default compile thresholds"
                : "the Vector API's own methods compiled at " + vector + "x the JVM's invocation counts "
                        + "(their callers' C2 code replaces them)";
        return kernels == null ? line : line + "; panode's kernels at " + kernels + "x";
    }

    private static String factor(List<String> args, String prefix) {
        String factor = null;
        for (String a : args) if (a.startsWith(prefix)) factor = a.substring(prefix.length());
        return factor;
    }

    private static String value(String option) {
        return option.substring(option.indexOf('=') + 1);
    }
}
