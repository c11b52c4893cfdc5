package dev.panode.cli;

/**
 * An invalid value in a JSON request or problem file, naming the field as a path into the document (for example
 * {@code z0[3][1]} or {@code t}). The command line prints the message; {@code panode serve} answers 422 with the
 * field in the error body.
 */
public final class InvalidFieldException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String field;

    /**
     * @param field   the path of the offending field, e.g. {@code z0[3][1]}
     * @param message what is wrong, starting with the field's name and ending with the value received
     */
    public InvalidFieldException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** The path of the offending field, e.g. {@code z0[3][1]}. */
    public String field() {
        return field;
    }
}
