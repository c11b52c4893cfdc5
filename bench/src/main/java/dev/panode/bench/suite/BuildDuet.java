package dev.panode.bench.suite;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One JMH benchmark method of two builds (a class path before a change and one after it), timed as a pair in one JVM
 * by {@link PairedRounds}: each build's classes live in their own class loader, the benchmark object of each is made
 * with the same {@code @Param} values (public fields set by name) and its {@code setUp()} run, then blocks of calls
 * alternate, each timed by the thread's CPU time. On a machine shared with other work, wall-clock blocks carry the
 * other processes' turns; CPU time and the alternation keep the comparison fair where JMH's wall-clock averages
 * scatter by several times. Prints the median, the 10th percentile and the minimum CPU time per call of each build
 * and the ratios of medians and of 10th percentiles.
 *
 * <p>Run with {@code OPENBLAS_NUM_THREADS=1} in the environment (OpenBLAS then works on the calling thread, whose CPU
 * time is what is measured; with more threads the workers' time is missed and the caller's spinning counted), from
 * the repository root, after building both trees; each class-path file holds one line, e.g.
 * {@code bench/target/classes:$(cat bench/target/runtime.classpath)} of that tree with the module jars copied away
 * for the "before" tree):
 * {@code java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp bench/target/classes
 * dev.panode.bench.suite.BuildDuet BEFORE.cp AFTER.cp dev.panode.bench.gradients.GradientF32Benchmark gradient 15 300
 * shape=2x50x16 loss=final}. Arguments: the two class-path files, the benchmark class and method, rounds, the block
 * length in milliseconds of CPU time, then {@code name=value} for each parameter (a parameter the older build does
 * not have is skipped there).
 */
public final class BuildDuet {
    private BuildDuet() {}

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    public static void main(String[] args) throws Exception {
        if (args.length < 6) {
            throw new IllegalArgumentException("usage: BuildDuet BEFORE.cp AFTER.cp CLASS METHOD ROUNDS BLOCK_MS "
                    + "[name=value ...], got " + args.length + " arguments");
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 6; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            if (kv.length != 2) throw new IllegalArgumentException("parameter must be name=value, got " + args[i]);
            params.put(kv[0], kv[1]);
        }
        int rounds = Integer.parseInt(args[4]);
        long blockNanos = Long.parseLong(args[5]) * 1_000_000L;
        Runnable before = call(loader(Path.of(args[0])), args[2], args[3], params);
        Runnable after = call(loader(Path.of(args[1])), args[2], args[3], params);
        int reps = Math.max(1, (int) Math.min(1_000_000, blockNanos / Math.max(1, perCallNanos(before, after))));
        double[][] t = PairedRounds.run(5, rounds, reps, THREADS::getCurrentThreadCpuTime, before, after);
        double mb = t[0][rounds / 2], ma = t[1][rounds / 2], pb = t[0][rounds / 10], pa = t[1][rounds / 10];
        System.out.printf(Locale.ROOT, "%s.%s %s: before median %.3f µs (p10 %.3f, min %.3f), after median %.3f µs"
                        + " (p10 %.3f, min %.3f), after/before %.3f (p10 %.3f) (CPU time per call, %d rounds of %d"
                        + " calls)%n",
                args[2].substring(args[2].lastIndexOf('.') + 1), args[3], params, mb, pb, t[0][0], ma, pa, t[1][0],
                ma / mb, pa / pb, rounds, reps);
    }

    /** CPU time of alternating calls before the blocks are sized: C2 has compiled both builds' kernels by then. */
    private static final long WARM_UP_NANOS = 10_000_000_000L;

    /**
     * A rough CPU time per call, after {@link #WARM_UP_NANOS} of alternating calls: sizes the blocks (sized from the
     * first calls, interpreted, a block of a sub-microsecond call was a few hundred calls long, and its first rounds
     * still ran C1 code).
     */
    private static long perCallNanos(Runnable before, Runnable after) {
        long w0 = THREADS.getCurrentThreadCpuTime();
        do {
            for (int i = 0; i < 100; i++) {
                before.run();
                after.run();
            }
        } while (THREADS.getCurrentThreadCpuTime() - w0 < WARM_UP_NANOS);
        long t0 = THREADS.getCurrentThreadCpuTime();
        int calls = 0;
        do {
            before.run();
            after.run();
            calls += 2;
        } while (THREADS.getCurrentThreadCpuTime() - t0 < 200_000_000L && calls < 2_000);
        return (THREADS.getCurrentThreadCpuTime() - t0) / calls;
    }

    private static ClassLoader loader(Path classPathFile) throws IOException {
        List<URL> urls = new ArrayList<>();
        for (String p : Files.readString(classPathFile).strip().split(":")) {
            if (p.isEmpty()) continue;
            try {
                urls.add(Path.of(p).toUri().toURL());
            } catch (MalformedURLException e) {
                throw new IllegalArgumentException("class path entry must be a path, got " + p, e);
            }
        }
        return new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader());
    }

    /** The benchmark method of a new benchmark object of {@code className} in {@code loader}, set up. */
    private static Runnable call(ClassLoader loader, String className, String methodName, Map<String, String> params)
            throws ReflectiveOperationException {
        Class<?> type = Class.forName(className, true, loader);
        Object bench = type.getConstructor().newInstance();
        for (Map.Entry<String, String> e : params.entrySet()) {
            Field f;
            try {
                f = type.getField(e.getKey());
            } catch (NoSuchFieldException absent) {
                continue;
            }
            String v = e.getValue();
            f.set(bench, f.getType() == double.class ? Double.valueOf(v) : f.getType() == int.class
                    ? Integer.valueOf(v) : f.getType() == long.class ? Long.valueOf(v) : v);
        }
        type.getMethod("setUp").invoke(bench);
        Method m = type.getMethod(methodName);
        return () -> {
            try {
                sink = m.invoke(bench);
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException(className + "." + methodName + " failed", e);
            }
        };
    }

    /** Keeps the results alive so that the calls are not optimised away. */
    private static volatile Object sink;
}
