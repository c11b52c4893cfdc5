package dev.panode.blas;

/** Why one candidate library could not be used; its message goes into the loader's log line. */
final class LibraryLoadException extends Exception {
    private static final long serialVersionUID = 1L;

    LibraryLoadException(String message) {
        super(message);
    }

    LibraryLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
