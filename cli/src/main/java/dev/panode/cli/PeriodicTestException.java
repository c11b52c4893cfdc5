package dev.panode.cli;

/** A periodic test that failed on its own thread, reported on the training thread with the iteration it tested. */
final class PeriodicTestException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    PeriodicTestException(int iteration, Throwable cause) {
        super("the test of iteration " + iteration + " failed: " + cause, cause);
    }
}
