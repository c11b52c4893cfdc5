package dev.panode.io.safetensors;

import java.io.IOException;

/**
 * A file that is not valid safetensors: truncated, a header that is not JSON or does not describe the data, a tensor
 * whose offsets, shape or dtype do not fit. The message is one line and names the file and, where there is one, the
 * tensor.
 */
public final class SafetensorsFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    /** A format error with a one-line message. */
    public SafetensorsFormatException(String message) {
        super(message);
    }
}
