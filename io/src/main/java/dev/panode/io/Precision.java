package dev.panode.io;

import java.util.Locale;

/**
 * The floating-point type a model or problem is computed in: the {@code "dtype"} of panode's JSON files and the
 * {@code --dtype} of the command line, spelled as in PyTorch ({@code "float32"}, {@code "float64"}). Files without a
 * dtype are float64 (every file written before dtypes existed).
 */
public enum Precision {
    /** Single precision: states, stages and parameters in float (docs/FLOAT32.md). */
    FLOAT32("float32"),
    /** Double precision, the default. */
    FLOAT64("float64");

    private final String jsonName;

    Precision(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The name in files and on the command line. */
    public String jsonName() {
        return jsonName;
    }

    /**
     * The precision named {@code value} ({@code float32} or {@code float64}, any case).
     *
     * @param what the argument or field, for the message (e.g. {@code --dtype} or {@code model.dtype})
     * @throws IllegalArgumentException {@code "WHAT must be float32 or float64, got VALUE"}
     */
    public static Precision parse(String what, String value) {
        if (value != null) {
            String v = value.toLowerCase(Locale.ROOT);
            for (Precision p : values()) if (p.jsonName.equals(v)) return p;
        }
        throw new IllegalArgumentException(what + " must be float32 or float64, got " + value);
    }

    @Override
    public String toString() {
        return jsonName;
    }
}
