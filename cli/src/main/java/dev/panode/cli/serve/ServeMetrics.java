package dev.panode.cli.serve;

import java.util.Locale;
import dev.panode.solvers.Result;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/**
 * The service's counters in the Prometheus text exposition format (version 0.0.4): requests by endpoint and status,
 * errors by kind, a latency histogram per endpoint, requests in flight, function evaluations and solve results.
 * Updates are lock-free ({@link LongAdder}); rendering takes a consistent-enough snapshot for monitoring.
 */
final class ServeMetrics {
    /** Upper bounds of the latency buckets in seconds: 50 µs to 10 s. */
    static final double[] BUCKETS = {50e-6, 100e-6, 250e-6, 500e-6, 1e-3, 2.5e-3, 5e-3, 10e-3, 25e-3, 50e-3, 100e-3,
            250e-3, 1.0, 2.5, 10.0};

    /** The statuses counted without a map lookup; any other goes to {@link #otherRequests}. */
    private static final int[] STATUSES = {200, 201, 400, 404, 405, 408, 413, 422, 499, 500, 503};

    /** Requests by endpoint label (index into {@link Route#ENDPOINTS}) and status (index into {@link #STATUSES}). */
    private final LongAdder[][] requests = new LongAdder[Route.ENDPOINTS.size()][STATUSES.length];
    /** Requests with another status, keyed {@code endpoint \0 status}. */
    private final Map<String, LongAdder> otherRequests = new ConcurrentSkipListMap<>();
    private final Histogram[] latencyByLabel = new Histogram[Route.ENDPOINTS.size()];
    private final LongAdder[] resultCounts = new LongAdder[Result.values().length];
    private final Map<String, LongAdder> errors = new ConcurrentSkipListMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final LongAdder nfeForward = new LongAdder(), nfeBackward = new LongAdder();
    private final LongAdder inlineAnswered = new LongAdder(), inlineMoved = new LongAdder();
    private final Map<String, IntSupplier> gauges = new ConcurrentSkipListMap<>();

    ServeMetrics() {
        for (ApiError.Kind k : ApiError.Kind.values()) errors.put(k.label(), new LongAdder());
        for (int e = 0; e < latencyByLabel.length; e++) {
            latencyByLabel[e] = new Histogram();
            for (int k = 0; k < STATUSES.length; k++) requests[e][k] = new LongAdder();
        }
        for (int r = 0; r < resultCounts.length; r++) resultCounts[r] = new LongAdder();
    }

    /** A gauge read at every scrape (queue depth, open connections, loaded models). */
    void gauge(String name, IntSupplier value) {
        gauges.put(name, value);
    }

    void started() {
        inFlight.incrementAndGet();
    }

    /**
     * One answered (or abandoned) request: its route (null: not routed, labelled {@value Route#OTHER}), status and
     * latency in nanoseconds. No lookup by string: two array indices and three adders.
     */
    void finished(Route route, int status, long nanos) {
        inFlight.decrementAndGet();
        int label = route == null ? Route.OTHER_LABEL : route.label;
        int k = statusIndex(status);
        if (k >= 0) requests[label][k].increment();
        else otherRequests.computeIfAbsent(Route.ENDPOINTS.get(label) + "\u0000" + status, x -> new LongAdder()).increment();
        latencyByLabel[label].record(nanos);
    }

    private static int statusIndex(int status) {
        for (int k = 0; k < STATUSES.length; k++) if (STATUSES[k] == status) return k;
        return -1;
    }

    void error(ApiError.Kind kind) {
        errors.get(kind.label()).increment();
    }

    void result(Result result) {
        resultCounts[result.ordinal()].increment();
    }

    void nfe(long forward, long backward) {
        nfeForward.add(forward);
        nfeBackward.add(backward);
    }

    /** A solve tried on the HTTP thread that read it: answered there, or moved to the pool (too large). */
    void inline(boolean answered) {
        (answered ? inlineAnswered : inlineMoved).increment();
    }

    int inFlight() {
        return inFlight.get();
    }

    /** The count of one error kind (tests). */
    long errors(ApiError.Kind kind) {
        return errors.get(kind.label()).sum();
    }

    /** The Prometheus text format of every metric. */
    String render() {
        StringBuilder sb = new StringBuilder(4096);
        header(sb, "panode_http_requests_total", "counter", "HTTP requests answered, by endpoint and status.");
        Map<String, Long> byKey = new TreeMap<>();
        for (int e = 0; e < requests.length; e++) {
            for (int k = 0; k < STATUSES.length; k++) {
                long n = requests[e][k].sum();
                if (n > 0) byKey.put(Route.ENDPOINTS.get(e) + "\u0000" + STATUSES[k], n);
            }
        }
        otherRequests.forEach((k, v) -> byKey.put(k, v.sum()));
        byKey.forEach((k, v) -> {
            int cut = k.indexOf('\u0000');
            sb.append("panode_http_requests_total{endpoint=\"").append(k, 0, cut).append("\",status=\"")
                    .append(k, cut + 1, k.length()).append("\"} ").append(v).append('\n');
        });
        header(sb, "panode_errors_total", "counter", "Requests answered with an error (or abandoned), by kind.");
        errors.forEach((k, v) -> sb.append("panode_errors_total{kind=\"").append(k).append("\"} ").append(v.sum())
                .append('\n'));
        header(sb, "panode_http_request_duration_seconds", "histogram",
                "Time from the request's arrival to the end of its response, by endpoint.");
        Map<String, Histogram> latency = new TreeMap<>();
        for (int e = 0; e < latencyByLabel.length; e++) latency.put(Route.ENDPOINTS.get(e), latencyByLabel[e]);
        latency.forEach((e, h) -> h.render(sb, e));
        header(sb, "panode_http_requests_in_flight", "gauge", "Requests being read, queued, solved or written.");
        sb.append("panode_http_requests_in_flight ").append(inFlight.get()).append('\n');
        header(sb, "panode_nfe_total", "counter", "Vector-field evaluations, forward and backward (adjoint) passes.");
        sb.append("panode_nfe_total{pass=\"forward\"} ").append(nfeForward.sum()).append('\n');
        sb.append("panode_nfe_total{pass=\"backward\"} ").append(nfeBackward.sum()).append('\n');
        header(sb, "panode_solve_results_total", "counter", "Solves and gradients by the solver's result code.");
        Map<String, Long> results = new TreeMap<>();
        for (Result r : Result.values()) {
            long n = resultCounts[r.ordinal()].sum();
            if (n > 0) results.put(r.name(), n);
        }
        results.forEach((k, v) -> sb.append("panode_solve_results_total{result=\"").append(k).append("\"} ")
                .append(v).append('\n'));
        header(sb, "panode_inline_solves_total", "counter", "Solves tried on the thread that read them (no "
                + "hand-off to a worker): answered there, or moved to the worker pool as too large.");
        sb.append("panode_inline_solves_total{outcome=\"answered\"} ").append(inlineAnswered.sum()).append('\n');
        sb.append("panode_inline_solves_total{outcome=\"moved\"} ").append(inlineMoved.sum()).append('\n');
        gauges.forEach((name, g) -> {
            header(sb, name, "gauge", GAUGE_HELP.getOrDefault(name, name));
            sb.append(name).append(' ').append(g.getAsInt()).append('\n');
        });
        return sb.toString();
    }

    static final Map<String, String> GAUGE_HELP = Map.of(
            "panode_worker_queue_depth", "Requests waiting for a worker.",
            "panode_workers", "Solver threads.",
            "panode_open_connections", "Open HTTP connections.",
            "panode_models_loaded", "Models loaded.");

    private static void header(StringBuilder sb, String name, String type, String help) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    /** Counts per bucket (not cumulative until rendered), the sum in nanoseconds and the count. */
    private static final class Histogram {
        private final LongAdder[] counts = new LongAdder[BUCKETS.length + 1];
        private final LongAdder sumNanos = new LongAdder();

        Histogram() {
            for (int i = 0; i < counts.length; i++) counts[i] = new LongAdder();
        }

        void record(long nanos) {
            double s = nanos * 1e-9;
            int i = 0;
            while (i < BUCKETS.length && s > BUCKETS[i]) i++;
            counts[i].increment();
            sumNanos.add(nanos);
        }

        void render(StringBuilder sb, String endpoint) {
            long cumulative = 0;
            for (int i = 0; i <= BUCKETS.length; i++) {
                cumulative += counts[i].sum();
                String le = i < BUCKETS.length ? String.format(Locale.ROOT, "%s", BUCKETS[i]) : "+Inf";
                sb.append("panode_http_request_duration_seconds_bucket{endpoint=\"").append(endpoint)
                        .append("\",le=\"").append(le).append("\"} ").append(cumulative).append('\n');
            }
            sb.append("panode_http_request_duration_seconds_sum{endpoint=\"").append(endpoint).append("\"} ")
                    .append(String.format(Locale.ROOT, "%.9f", sumNanos.sum() * 1e-9)).append('\n');
            sb.append("panode_http_request_duration_seconds_count{endpoint=\"").append(endpoint).append("\"} ")
                    .append(cumulative).append('\n');
        }
    }
}
