package dev.panode.cli.serve;

import java.util.List;

/** The endpoints of the service, each with its method; {@link #of} maps a request line to one. */
enum Route {
    HEALTH("GET", "/health"),
    METRICS("GET", "/metrics"),
    LIST_MODELS("GET", "/v1/models"),
    LOAD_MODEL("POST", "/v1/models"),
    SOLVE("POST", "/v1/solve"),
    SOLVE_BATCH("POST", "/v1/solve/batch"),
    GRAD("POST", "/v1/grad"),
    GRAD_BATCH("POST", "/v1/grad/batch");

    /** The label of requests to any other path: paths are not echoed into metric labels. */
    static final String OTHER = "other";
    /** Every endpoint label, {@link #OTHER} included. */
    static final List<String> ENDPOINTS = Labels.ALL;

    /** The index of {@link #OTHER} in {@link #ENDPOINTS}. */
    static final int OTHER_LABEL = ENDPOINTS.indexOf(OTHER);

    final String method;
    final String path;
    /** The index of the route's label (its path) in {@link #ENDPOINTS}. */
    final int label;

    Route(String method, String path) {
        this.method = method;
        this.path = path;
        this.label = Labels.of(path);
    }

    /** The labels' indices, reachable from the constructors (an enum's static fields are not yet set there). */
    private static final class Labels {
        static final List<String> ALL = List.of("/health", "/metrics", "/v1/models", "/v1/solve", "/v1/solve/batch",
                "/v1/grad", "/v1/grad/batch", "other");

        static int of(String path) {
            int i = ALL.indexOf(path);
            if (i < 0) throw new IllegalStateException("no metrics label for " + path);
            return i;
        }
    }

    /** The route of a method and path, or null when no endpoint has the path. */
    static Route of(String method, String path) {
        Route pathMatch = null;
        for (Route r : values()) {
            if (r.path.equals(path)) {
                if (r.method.equals(method)) return r;
                pathMatch = r;
            }
        }
        if (pathMatch != null) {
            throw new ApiError(ApiError.Kind.METHOD_NOT_ALLOWED, null, path + " takes " + allowed(path) + ", not "
                    + method);
        }
        return null;
    }

    /** The methods a path takes, comma-separated (the Allow header of a 405). */
    static String allowed(String path) {
        StringBuilder sb = new StringBuilder();
        for (Route r : values()) {
            if (r.path.equals(path)) sb.append(sb.isEmpty() ? "" : ", ").append(r.method);
        }
        return sb.toString();
    }

    /** Whether the route reads a JSON body. */
    boolean hasBody() {
        return method.equals("POST");
    }
}
