package dev.panode.bench.suite;

/** JMH could not run the suite (a benchmark threw, a fork died, nothing matched the filter...). */
public final class SuiteFailedException extends Exception {
    private static final long serialVersionUID = 1L;

    public SuiteFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
