package dev.panode.cli.serve;

/**
 * A request the service answers with an error: the HTTP status, a stable kind (the label of
 * {@code panode_errors_total}), the offending field when there is one, and a message naming the field and the value.
 * Never carries a stack trace to the client.
 */
final class ApiError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The kinds of error, each with its status; docs/SERVE.md lists them. */
    enum Kind {
        MALFORMED_JSON(400),
        NOT_FOUND(404),
        METHOD_NOT_ALLOWED(405),
        READ_TIMEOUT(408),
        BODY_TOO_LARGE(413),
        INVALID_FIELD(422),
        LIMIT_EXCEEDED(422),
        STEP_BUDGET(422),
        SOLVE_FAILED(422),
        TOO_MANY_CONNECTIONS(503),
        QUEUE_FULL(503),
        SHUTTING_DOWN(503),
        INTERNAL(500),
        /** Detected by the HTTP layer (a malformed request line or headers); its status is Jetty's. */
        HTTP_PROTOCOL(400),
        /** The client went away before the response was written: nothing is sent. */
        CLIENT_DISCONNECTED(499);

        final int status;

        Kind(int status) {
            this.status = status;
        }

        /** The label value: the constant in lower case. */
        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    final Kind kind;
    final String field;
    final String result;

    ApiError(Kind kind, String field, String message) {
        this(kind, field, message, null);
    }

    /** With {@code result}: the solver's result code of a failed solve (e.g. {@code MAX_STEPS_REACHED}). */
    ApiError(Kind kind, String field, String message, String result) {
        super(message, null, false, false);
        this.kind = kind;
        this.field = field;
        this.result = result;
    }

    /** The same error for one problem of a batch: field and message prefixed with {@code problems[i]}. */
    ApiError scoped(String problem) {
        String m = getMessage() == null ? "" : getMessage();
        return new ApiError(kind, field == null ? problem : field.startsWith(problem) ? field : problem + "." + field,
                m.startsWith(problem) ? m : problem + ": " + m, result);
    }

    int status() {
        return kind.status;
    }
}
