package dev.panode.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * JSON text written as UTF-8 into a growable byte array that is reused from one response to the next: no tree of
 * nodes, and no string per number ({@link StringBuilder#append(double)} into a reused builder). It writes exactly the
 * bytes Jackson's compact writer ({@link ProblemFile#MAPPER}) writes for the same values: doubles as
 * {@link Double#toString(double)} (the shortest decimal that reads back to the same double), non-finite doubles as
 * the quoted strings {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}, longs in decimal, and strings escaped by
 * Jackson's own writer when they hold anything but printable ASCII without quotes or backslashes (tested byte for
 * byte against Jackson: JsonOutputTest). The caller places the structure ({@code {}[]:,}) itself. Not thread-safe.
 *
 * <p>Cost: one pass over the output; after warm-up nothing is allocated except when the array grows (it doubles) or
 * for a string that needs escaping. Use Jackson's tree instead where the shape of the output is not fixed in code.
 */
public final class JsonOutput {
    /** After {@link #reset()}, an array grown beyond this many bytes is dropped, so a rare huge response is not kept. */
    static final int RETAINED_BYTES = 1 << 20;

    private final int initialCapacity;
    private byte[] bytes;
    private int size;
    private final StringBuilder digits = new StringBuilder(32);

    /** An empty output with room for {@code initialCapacity} bytes before it grows. */
    public JsonOutput(int initialCapacity) {
        if (initialCapacity < 1) throw new IllegalArgumentException("initialCapacity must be >= 1, got " + initialCapacity);
        this.initialCapacity = initialCapacity;
        this.bytes = new byte[initialCapacity];
    }

    /** Empties the output for the next text (keeping its array unless that grew beyond {@value #RETAINED_BYTES}). */
    public JsonOutput reset() {
        if (bytes.length > RETAINED_BYTES) bytes = new byte[initialCapacity];
        size = 0;
        return this;
    }

    /** Bytes written. */
    public int size() {
        return size;
    }

    /** A copy of the bytes written. */
    public byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    /** The bytes written, as a buffer over the output's own array (valid until the next write or reset). */
    public ByteBuffer buffer() {
        return ByteBuffer.wrap(bytes, 0, size);
    }

    /** One structural character: {@code { } [ ] : ,}. */
    public JsonOutput raw(char c) {
        ensure(1);
        bytes[size++] = (byte) c;
        return this;
    }

    /** A field name and its colon: {@code "name":}. */
    public JsonOutput name(String name) {
        return string(name).raw(':');
    }

    /** A string value, quoted and escaped as Jackson escapes it. */
    public JsonOutput string(String s) {
        int n = s.length();
        boolean plain = true;
        for (int i = 0; i < n && plain; i++) {
            char c = s.charAt(i);
            plain = c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
        }
        if (!plain) {
            byte[] quoted; // Jackson's own writer: its escapes, its handling of surrogate pairs
            try {
                quoted = ProblemFile.MAPPER.writeValueAsBytes(s);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a string did not serialise", e);
            }
            ensure(quoted.length);
            System.arraycopy(quoted, 0, bytes, size, quoted.length);
            size += quoted.length;
            return this;
        }
        ensure(n + 2);
        bytes[size++] = '"';
        for (int i = 0; i < n; i++) bytes[size++] = (byte) s.charAt(i);
        bytes[size++] = '"';
        return this;
    }

    /** A double: the shortest decimal that reads back to it, or a quoted {@code "NaN"}/{@code "Infinity"}. */
    public JsonOutput number(double d) {
        digits.setLength(0);
        digits.append(d);
        boolean quoted = !Double.isFinite(d);
        if (quoted) raw('"');
        ascii(digits);
        if (quoted) raw('"');
        return this;
    }

    /** A long in decimal. */
    public JsonOutput number(long v) {
        digits.setLength(0);
        digits.append(v);
        return ascii(digits);
    }

    private JsonOutput ascii(CharSequence cs) {
        int n = cs.length();
        ensure(n);
        for (int i = 0; i < n; i++) bytes[size++] = (byte) cs.charAt(i);
        return this;
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            long want = Math.max((long) size + more, 2L * bytes.length);
            if (want > Integer.MAX_VALUE - 8) throw new IllegalStateException("JSON output beyond 2 GB");
            bytes = Arrays.copyOf(bytes, (int) want);
        }
    }
}
