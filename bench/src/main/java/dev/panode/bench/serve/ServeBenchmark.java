package dev.panode.bench.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.panode.io.MlpJson;
import dev.panode.adjoint.models.Mlp;
import dev.panode.bench.mlp.MlpShape;
import dev.panode.cli.JsonInterface;
import dev.panode.cli.ProblemFile;
import dev.panode.cli.SolverOptions;
import dev.panode.cli.serve.PanodeServer;
import dev.panode.cli.serve.ServeConfig;
import dev.panode.solvers.SolverWorkspace;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The load test of {@code panode serve} ({@code panode bench serve}): for the d2_h50_b1 and d2_h50_b16 solves
 * (dopri5, rtol 1e-6, atol 1e-8, t = [0, 1]), the throughput and the p50/p99/p99.9 latency of
 * <ol>
 *   <li>the solve called in-process on {@code workers} threads (the ceiling: the solution only, no response), and
 *       the same with the general path's JSON work (parse the request body into a tree, build and write the
 *       response tree; the server's streaming path for common solve requests does less);</li>
 *   <li>HTTP requests from wrk (a separate process, with a Lua script for the POST body) at saturation with 16 and
 *       256 keep-alive connections, and at approximately fixed offered rates (wrk's {@code delay()} hook paces each
 *       connection; wrk has no constant-rate mode and wrk2 is not packaged by Debian).</li>
 * </ol>
 * The server runs in this JVM on 127.0.0.1 with {@code workers} workers; wrk runs on the same machine and competes for
 * its cores. Loopback only; every run is bounded in time.
 */
public final class ServeBenchmark {
    /** One case: a name, the JSON request body and the problem it encodes. */
    private record Case(String name, String body, ProblemFile problem) {}

    private static final SolverOptions DOPRI5 = new SolverOptions("dopri5", null, 1e-6, 1e-8);
    private static final long MAX_STEPS = ServeConfig.defaults().maxSteps();

    /**
     * One measurement: requests per second, the CPU time this process spent per request (all its threads: workers,
     * HTTP, JIT, GC; wrk's own time is not in it), this process's voluntary context switches per request (a thread
     * that blocks or parks: the wake-ups a request costs; NaN where /proc is missing), the heap bytes its threads
     * allocated per request, the CPU time wrk spent per request (user + system, from this process's reaped-children
     * times; NaN in-process or where /proc is missing), and the latency percentiles, in microseconds.
     */
    record Figures(String what, long requests, double rps, double cpuMicros, double clientCpuMicros, double switches,
                   double bytes, double p50, double p99, double p999, long failures) {}

    private final int workers;
    private final double seconds;
    private final PrintWriter out;

    /**
     * @param workers threads for the in-process runs and the server's workers
     * @param seconds length of each measured run
     * @param out     where progress and the result table go
     */
    public ServeBenchmark(int workers, double seconds, PrintWriter out) {
        this.workers = workers;
        this.seconds = seconds;
        this.out = out;
    }

    /** Runs everything; returns the figures in the order printed. */
    public List<Figures> run(List<Integer> rates) throws Exception {
        ServeConfig config = ServeConfig.defaults().withAddress("127.0.0.1", 0).withWorkers(workers, 4096)
                .withConnections(1024, Duration.ofSeconds(30));
        MlpShape shape1 = MlpShape.parse("2x50x1");
        Mlp model = shape1.mlp(); // the same weights for every batch size
        List<Case> cases = new ArrayList<>();
        for (String s : List.of("2x50x1", "2x50x16")) {
            MlpShape shape = MlpShape.parse(s);
            String body = body(shape);
            cases.add(new Case("d2_h50_b" + shape.batch(), body, ProblemFile.of(ProblemFile.MAPPER.readTree(body), model)));
        }
        List<Figures> all = new ArrayList<>();
        for (Case c : cases) {
            all.add(inProcess(c, false, model));
            all.add(inProcess(c, true, model));
        }
        Path dir = Files.createTempDirectory("panode-serve-bench");
        try (PanodeServer server = PanodeServer.start(config)) {
            Path modelFile = dir.resolve("d2_h50.json");
            Files.writeString(modelFile, MlpJson.toJsonString(model));
            server.preload("d2_h50", modelFile);
            Path lua = dir.resolve("post.lua");
            Files.writeString(lua, LUA);
            for (Case c : cases) {
                Path body = dir.resolve(c.name() + ".json");
                Files.writeString(body, c.body());
                String url = server.uri().resolve("/v1/solve").toString();
                wrk(c.name() + " warm-up", lua, body, url, 16, 2, 0, 5);
                all.add(wrk(c.name() + " HTTP, 16 connections, saturated", lua, body, url, 16, 2, 0, seconds));
                all.add(wrk(c.name() + " HTTP, 256 connections, saturated", lua, body, url, 256, 2, 0, seconds));
                for (int rate : rates) {
                    all.add(wrk(c.name() + " HTTP, offered " + rate + "/s, 16 connections", lua, body, url, 16, 1, rate,
                            seconds));
                }
            }
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        }
        out.println();
        out.println("| run | requests | requests/s | CPU µs/request | wrk CPU µs/request | voluntary switches/request "
                + "| heap bytes/request | p50 µs | p99 µs | p99.9 µs | failed |");
        out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (Figures f : all) {
            out.printf(Locale.ROOT, "| %s | %d | %.0f | %.1f | %.1f | %.2f | %.0f | %.0f | %.0f | %.0f | %d |%n",
                    f.what(), f.requests(), f.rps(), f.cpuMicros(), f.clientCpuMicros(), f.switches(), f.bytes(),
                    f.p50(), f.p99(), f.p999(), f.failures());
        }
        out.flush();
        return all;
    }

    private static String body(MlpShape shape) {
        ObjectNode o = ProblemFile.MAPPER.createObjectNode();
        o.put("model", "d2_h50");
        ArrayNode z0 = o.putArray("z0");
        double[] z = shape.states();
        for (int r = 0; r < shape.batch(); r++) {
            ArrayNode row = z0.addArray();
            for (int i = 0; i < shape.dim(); i++) row.add(z[r * shape.dim() + i]);
        }
        o.putArray("t").add(0.0).add(1.0);
        o.put("method", "dopri5").put("rtol", 1e-6).put("atol", 1e-8);
        return o.toString();
    }

    /**
     * The ceiling: {@code workers} threads call the solve (or, with {@code json}, also parse the request body and build
     * and serialise the response, as a worker does) back to back for {@code seconds}, after a warm-up.
     */
    private Figures inProcess(Case c, boolean json, Mlp model) throws Exception {
        String what = c.name() + (json ? " in-process, solve + JSON" : " in-process, solve");
        out.println("running " + what + " ...");
        out.flush();
        byte[] body = c.body().getBytes(StandardCharsets.UTF_8);
        Runnable call = json ? () -> {
            try {
                ProblemFile q = ProblemFile.of(ProblemFile.MAPPER.readTree(body), model);
                ProblemFile.MAPPER.writeValueAsBytes(JsonInterface.solve(q, DOPRI5, MAX_STEPS, WORKSPACES.get()));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        } : () -> JsonInterface.solveRaw(c.problem().model(), c.problem().z0(), c.problem().batch(), c.problem().t(),
                DOPRI5, MAX_STEPS, WORKSPACES.get());
        timed(call, 5);
        long[][] perThread = new long[workers][];
        int[] counts = new int[workers];
        List<Thread> threads = new ArrayList<>();
        long cpu0 = processCpuNanos();
        long cs0 = voluntarySwitches();
        long heap0 = allocatedBytes();
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        for (int w = 0; w < workers; w++) {
            int id = w;
            threads.add(Thread.ofPlatform().start(() -> {
                long[] lat = new long[1 << 20];
                int n = 0;
                while (System.nanoTime() < end && n < lat.length) {
                    long t0 = System.nanoTime();
                    call.run();
                    lat[n++] = System.nanoTime() - t0;
                }
                perThread[id] = lat;
                counts[id] = n;
            }));
        }
        for (Thread t : threads) t.join();
        double elapsed = (System.nanoTime() - start) * 1e-9;
        long cpu = processCpuNanos() - cpu0;
        double cs = perRequest(cs0, voluntarySwitches(), Arrays.stream(counts).sum());
        double heap = perRequest(heap0, allocatedBytes(), Arrays.stream(counts).sum());
        int total = Arrays.stream(counts).sum();
        long[] all = new long[total];
        int k = 0;
        for (int w = 0; w < workers; w++) {
            System.arraycopy(perThread[w], 0, all, k, counts[w]);
            k += counts[w];
        }
        Arrays.sort(all);
        return new Figures(what, total, total / elapsed, cpu / 1e3 / total, Double.NaN, cs, heap, pct(all, 50) / 1e3,
                pct(all, 99) / 1e3, pct(all, 99.9) / 1e3, 0);
    }

    /** CPU time of this process so far (every thread), in nanoseconds. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /**
     * Voluntary context switches of this process's live threads so far (Linux: the sum over /proc/self/task), or -1
     * where that is not readable. Threads that ended meanwhile drop out, so a difference is a slight undercount.
     */
    static long voluntarySwitches() {
        Path tasks = Path.of("/proc/self/task");
        if (!Files.isDirectory(tasks)) return -1;
        long sum = 0;
        try (var dirs = Files.list(tasks)) {
            for (Path t : dirs.toList()) {
                try {
                    for (String l : Files.readAllLines(t.resolve("status"))) {
                        if (l.startsWith("voluntary_ctxt_switches:")) sum += Long.parseLong(l.substring(24).trim());
                    }
                } catch (IOException | NumberFormatException e) {
                    // the thread ended while being read
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return sum;
    }

    /** Clock ticks per second of /proc's times (USER_HZ: 100 on Linux for every architecture panode runs on). */
    private static final double CLOCK_TICKS = 100;

    /**
     * CPU time of this process's waited-for children so far (Linux: cutime + cstime of /proc/self/stat, in clock
     * ticks), or -1 where that is not readable: wrk's time once its process has been reaped.
     */
    static long childrenCpuTicks() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[13]) + Long.parseLong(f[14]); // fields 16 and 17 of proc(5)
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Heap bytes allocated so far by this process's live threads (HotSpot's per-thread allocation counters). */
    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean())
                .getTotalThreadAllocatedBytes();
    }

    private static double perRequest(long before, long after, long requests) {
        return before < 0 || after < 0 ? Double.NaN : (double) (after - before) / Math.max(1, requests);
    }

    private static final ThreadLocal<SolverWorkspace> WORKSPACES = ThreadLocal.withInitial(SolverWorkspace::new);

    private static void timed(Runnable r, double s) {
        long end = System.nanoTime() + (long) (s * 1e9);
        while (System.nanoTime() < end) r.run();
    }

    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) return Double.NaN;
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    /** Runs wrk (bounded: {@code seconds} plus a minute) and reads the JSON line the Lua script's done() prints. */
    private Figures wrk(String what, Path lua, Path body, String url, int connections, int threads, int rate,
                        double s) throws Exception {
        out.println("running " + what + " ...");
        out.flush();
        List<String> cmd = List.of("wrk", "-t" + threads, "-c" + connections, "-d" + Math.max(1, Math.round(s)) + "s",
                "--timeout", "10s", "-s", lua.toString(), url);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("PANODE_BODY", body.toString());
        pb.environment().put("PANODE_RATE", Integer.toString(rate));
        pb.environment().put("PANODE_CONNECTIONS", Integer.toString(connections));
        long cpu0 = processCpuNanos();
        long cs0 = voluntarySwitches();
        long heap0 = allocatedBytes();
        long children0 = childrenCpuTicks();
        Process p = pb.start();
        String output;
        try {
            output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor((long) s + 60, TimeUnit.SECONDS)) throw new IOException("wrk did not finish: " + what);
        } finally {
            p.destroyForcibly();
        }
        String line = output.lines().filter(l -> l.startsWith("{\"panode\"")).findFirst()
                .orElseThrow(() -> new IOException("wrk printed no result for " + what + ":\n" + output));
        long cpu = processCpuNanos() - cpu0;
        long children = childrenCpuTicks() - children0;
        long cs1 = voluntarySwitches();
        long heap1 = allocatedBytes();
        JsonNode r = ProblemFile.MAPPER.readTree(line);
        long n = r.get("requests").asLong();
        double wrkMicros = children0 < 0 || children < 0 ? Double.NaN : children * 1e6 / CLOCK_TICKS / Math.max(1, n);
        return new Figures(what, n, r.get("rps").asDouble(), cpu / 1e3 / Math.max(1, n), wrkMicros, perRequest(cs0, cs1, n),
                perRequest(heap0, heap1, n), r.get("p50").asDouble(),
                r.get("p99").asDouble(), r.get("p999").asDouble(), r.get("failed").asLong());
    }

    /**
     * The wrk script: POSTs the body file; with a rate, each connection waits connections/rate between its requests
     * (wrk's delay() hook, in milliseconds); done() prints one JSON line with the figures (wrk measures in µs).
     */
    static final String LUA = """
            local f = assert(io.open(os.getenv("PANODE_BODY"), "rb"))
            wrk.method = "POST"
            wrk.body = f:read("*a")
            f:close()
            wrk.headers["Content-Type"] = "application/json"
            local rate = tonumber(os.getenv("PANODE_RATE") or "0")
            local connections = tonumber(os.getenv("PANODE_CONNECTIONS") or "1")
            if rate > 0 then
              function delay() return connections * 1000 / rate end
            end
            function done(summary, latency, requests)
              local e = summary.errors
              local failed = e.connect + e.read + e.write + e.timeout + e.status
              io.write(string.format('{"panode": 1, "requests": %d, "rps": %.1f, "p50": %d, "p99": %d, '
                .. '"p999": %d, "failed": %d}\\n', summary.requests, summary.requests / (summary.duration / 1e6),
                latency:percentile(50), latency:percentile(99), latency:percentile(99.9), failed))
            end
            """;
}
