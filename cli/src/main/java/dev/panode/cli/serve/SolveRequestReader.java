package dev.panode.cli.serve;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A streaming reader of the request the service answers most often, a {@code /v1/solve} body: one left-to-right pass
 * over the bytes into reused arrays, building no tree and no string per number. It accepts only what it reads exactly
 * as the general path (Jackson's tree, then {@link Requests}) would: one JSON object holding each of the solve fields
 * at most once, {@code model} and {@code method} as strings without escapes, {@code z0} an array of equally long
 * arrays of numbers, {@code t} an array of numbers, {@code rtol} and {@code atol} numbers, {@code steps} and
 * {@code max_steps} integers. For anything else (malformed JSON, another field, a duplicate, an escape, a
 * {@code null}, a number that is not finite or too long to convert cheaply, more numbers than the limits allow)
 * {@link #read} returns false and the caller reads the body the general way, which answers it or names the error in
 * the documented format; so this reader changes no answer, only how fast the common one is found.
 *
 * <p>Numbers follow RFC 8259's grammar (no leading zeros, no {@code +}, no bare {@code .}). An integer token converts as
 * Jackson's integer nodes do, {@code (double) long} (so {@code -0} is {@code 0.0}); a token with a fraction or an
 * exponent is rounded correctly: by Clinger's fast path (a significand up to 2<sup>53</sup> times or divided by an
 * exact power of ten up to 10<sup>22</sup>: one correctly rounded operation on exact operands; W. D. Clinger, "How to
 * read floating point numbers accurately", PLDI 1990), else for up to 19 significant digits by
 * {@link DecimalToDouble} (Eisel–Lemire), and in the rare remaining cases by {@link Double#parseDouble} (which
 * allocates). Nesting is bounded by
 * the request's shape (depth 3): a deeper or other body is refused after reading at most up to its first surplus
 * bracket.
 *
 * <p>Not thread-safe: one reader per thread, reused.
 */
final class SolveRequestReader {
    private static final byte[] MODEL = ascii("model"), Z0 = ascii("z0"), T = ascii("t"), METHOD = ascii("method"),
            STEPS = ascii("steps"), RTOL = ascii("rtol"), ATOL = ascii("atol"), MAX_STEPS = ascii("max_steps");
    private static final double[] POWERS_OF_TEN = new double[23];
    private static final long TWO_TO_53 = 1L << 53;
    /** Longest number token read here; longer ones go the general way, which applies Jackson's length limits. */
    static final int MAX_NUMBER_LENGTH = 1000;

    static {
        POWERS_OF_TEN[0] = 1;
        for (int i = 1; i < POWERS_OF_TEN.length; i++) POWERS_OF_TEN[i] = POWERS_OF_TEN[i - 1] * 10; // exact to 1e22
    }

    /** Thrown (preallocated, no stack trace) when the body is not one this reader takes. */
    private static final RuntimeException GENERAL = new RuntimeException("general path", null, false, false) {
        private static final long serialVersionUID = 1L;
    };

    private byte[] in;
    private int pos, end;
    private int maxZ0Values, maxTimes;

    /** A growable array of numbers, reused from one request to the next. */
    private static final class Numbers {
        double[] values;
        int size;

        Numbers(int capacity) {
            values = new double[capacity];
        }
    }

    /** A string of the body, kept as one String while requests repeat its bytes. */
    private static final class CachedString {
        private byte[] bytes = new byte[0];
        private String string;

        String of(byte[] body, int from, int to) {
            if (!Arrays.equals(body, from, to, bytes, 0, bytes.length)) {
                bytes = Arrays.copyOfRange(body, from, to);
                string = new String(bytes, StandardCharsets.US_ASCII);
            }
            return string;
        }
    }

    private final Numbers z0 = new Numbers(64), t = new Numbers(8);
    private int rows, rowLength;
    private int modelStart, modelEnd, methodStart, methodEnd;
    private boolean hasRtol, hasAtol;
    private double rtol, atol;
    private long steps, maxSteps;
    private final CachedString model = new CachedString(), method = new CachedString();

    // the number just read
    private double number;
    private boolean integral;
    private long integer;

    /**
     * Reads {@code body[0, length)}. At most {@code maxZ0Values} numbers in z0 and {@code maxTimes} in t are taken
     * (beyond them the body goes the general way, which names the limit). Returns whether the body was read; only
     * then do the accessors hold its values.
     */
    boolean read(byte[] body, int length, int maxZ0Values, int maxTimes) {
        this.in = body;
        this.pos = 0;
        this.end = length;
        this.maxZ0Values = maxZ0Values;
        this.maxTimes = maxTimes;
        rows = rowLength = z0.size = t.size = 0;
        modelStart = methodStart = -1;
        hasRtol = hasAtol = false;
        steps = maxSteps = 0;
        try {
            readRequest();
            return true;
        } catch (RuntimeException e) {
            if (e != GENERAL) throw e;
            return false;
        } finally {
            this.in = null;
        }
    }

    private void readRequest() {
        skipSpace();
        expect('{');
        int seen = 0;
        skipSpace();
        if (peek() == '}') throw GENERAL; // no fields: no model, no z0
        while (true) {
            skipSpace();
            expect('"');
            int keyStart = pos;
            int keyEnd = stringEnd();
            skipSpace();
            expect(':');
            skipSpace();
            int field = field(keyStart, keyEnd);
            if ((seen & (1 << field)) != 0) throw GENERAL; // a duplicate: the general path names it
            seen |= 1 << field;
            switch (field) {
                case 0 -> {
                    expect('"');
                    modelStart = pos;
                    modelEnd = stringEnd();
                }
                case 1 -> readZ0();
                case 2 -> readNumbers(t, maxTimes);
                case 3 -> {
                    expect('"');
                    methodStart = pos;
                    methodEnd = stringEnd();
                }
                case 4 -> steps = positiveInteger();
                case 5 -> {
                    rtol = finiteNumber();
                    hasRtol = true;
                }
                case 6 -> {
                    atol = finiteNumber();
                    hasAtol = true;
                }
                case 7 -> maxSteps = positiveInteger();
                default -> throw GENERAL;
            }
            skipSpace();
            byte b = next();
            if (b == '}') break;
            if (b != ',') throw GENERAL;
        }
        skipSpace();
        if (pos != end) throw GENERAL;
        if ((seen & 0b111) != 0b111) throw GENERAL; // model, z0 and t are required
    }

    /** The index of a field name among the solve fields. */
    private int field(int from, int to) {
        if (is(MODEL, from, to)) return 0;
        if (is(Z0, from, to)) return 1;
        if (is(T, from, to)) return 2;
        if (is(METHOD, from, to)) return 3;
        if (is(STEPS, from, to)) return 4;
        if (is(RTOL, from, to)) return 5;
        if (is(ATOL, from, to)) return 6;
        if (is(MAX_STEPS, from, to)) return 7;
        throw GENERAL;
    }

    private boolean is(byte[] name, int from, int to) {
        return Arrays.equals(in, from, to, name, 0, name.length);
    }

    private void readZ0() {
        expect('[');
        skipSpace();
        if (peek() == ']') throw GENERAL;
        while (true) {
            skipSpace();
            int before = z0.size;
            readNumbers(z0, maxZ0Values);
            int length = z0.size - before;
            if (rows == 0) rowLength = length;
            else if (length != rowLength) throw GENERAL;
            rows++;
            skipSpace();
            byte b = next();
            if (b == ']') return;
            if (b != ',') throw GENERAL;
        }
    }

    /** Reads a non-empty array of finite numbers onto the end of {@code to}, refusing more than {@code max} in all. */
    private void readNumbers(Numbers to, int max) {
        expect('[');
        skipSpace();
        if (peek() == ']') throw GENERAL;
        while (true) {
            skipSpace();
            double v = finiteNumber();
            if (to.size >= max) throw GENERAL;
            if (to.size == to.values.length) to.values = Arrays.copyOf(to.values, Math.min(2 * to.values.length, max));
            to.values[to.size++] = v;
            skipSpace();
            byte b = next();
            if (b == ']') return;
            if (b != ',') throw GENERAL;
        }
    }

    private long positiveInteger() {
        number();
        if (!integral || integer < 1) throw GENERAL;
        return integer;
    }

    private double finiteNumber() {
        number();
        if (!Double.isFinite(number)) throw GENERAL;
        return number;
    }

    /** Reads one number token into {@link #number} (and {@link #integer} when {@link #integral}). */
    private void number() {
        int start = pos;
        boolean negative = false;
        if (peek() == '-') {
            negative = true;
            pos++;
        }
        long significand = 0;
        int significantDigits = 0;
        int exponent = 0;
        byte b = peek();
        if (b == '0') {
            pos++;
            if (isDigit(peekOrEnd())) throw GENERAL; // a leading zero
        } else if (b >= '1' && b <= '9') {
            while (isDigit(peekOrEnd())) {
                if (significantDigits++ < 19) significand = 10 * significand + (in[pos] - '0');
                pos++;
            }
        } else {
            throw GENERAL;
        }
        boolean fraction = false, exponentPart = false;
        if (peekOrEnd() == '.') {
            fraction = true;
            pos++;
            if (!isDigit(peekOrEnd())) throw GENERAL;
            while (isDigit(peekOrEnd())) {
                int d = in[pos++] - '0';
                if (significantDigits > 0 || d != 0) {
                    if (significantDigits++ < 19) significand = 10 * significand + d;
                }
                exponent--;
            }
        }
        if (peekOrEnd() == 'e' || peekOrEnd() == 'E') {
            exponentPart = true;
            pos++;
            boolean negativeExponent = false;
            if (peekOrEnd() == '+' || peekOrEnd() == '-') negativeExponent = in[pos++] == '-';
            if (!isDigit(peekOrEnd())) throw GENERAL;
            int e = 0;
            while (isDigit(peekOrEnd())) e = Math.min(100_000, 10 * e + (in[pos++] - '0'));
            exponent += negativeExponent ? -e : e;
        }
        if (pos - start > MAX_NUMBER_LENGTH) throw GENERAL; // Jackson limits number lengths: leave these to it
        integral = !fraction && !exponentPart;
        if (integral) {
            if (significantDigits > 18) throw GENERAL; // possibly beyond a long: Jackson reads it as a BigInteger
            integer = negative ? -significand : significand;
            number = integer; // as Jackson's integer nodes convert: -0 is 0.0
        } else if (significantDigits <= 19 && Long.compareUnsigned(significand, TWO_TO_53) <= 0 && exponent >= -22
                && exponent <= 22) {
            double v = exponent < 0 ? significand / POWERS_OF_TEN[-exponent] : significand * POWERS_OF_TEN[exponent];
            number = negative ? -v : v;
        } else {
            double v = significantDigits <= 19 ? DecimalToDouble.of(significand, exponent, negative) : Double.NaN;
            number = v == v ? v : Double.parseDouble(new String(in, start, pos - start, StandardCharsets.ISO_8859_1));
        }
    }

    /** The end of a string whose opening quote was read (the closing quote is consumed); no escapes, ASCII only. */
    private int stringEnd() {
        while (pos < end) {
            byte b = in[pos];
            if (b == '"') return pos++;
            if (b < 0x20 || b == '\\') throw GENERAL; // control characters, escapes, and (negative) non-ASCII bytes
            pos++;
        }
        throw GENERAL;
    }

    private void skipSpace() {
        while (pos < end) {
            byte b = in[pos];
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') return;
            pos++;
        }
    }

    private void expect(char c) {
        if (next() != c) throw GENERAL;
    }

    private byte next() {
        if (pos >= end) throw GENERAL;
        return in[pos++];
    }

    private byte peek() {
        if (pos >= end) throw GENERAL;
        return in[pos];
    }

    private int peekOrEnd() {
        return pos < end ? in[pos] : -1;
    }

    private static boolean isDigit(int b) {
        return b >= '0' && b <= '9';
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    // ---- what was read (valid after read returned true; the arrays are the reader's own, reused) ----

    /** The model's name (the same String instance while requests name the same model). */
    String model(byte[] body) {
        return model.of(body, modelStart, modelEnd);
    }

    /** The method's name, or null when the request gives none. */
    String method(byte[] body) {
        return methodStart < 0 ? null : method.of(body, methodStart, methodEnd);
    }

    int rows() {
        return rows;
    }

    /** The length of every row of z0. */
    int rowLength() {
        return rowLength;
    }

    /** z0's values row after row in {@code [0, rows × rowLength)}. */
    double[] z0() {
        return z0.values;
    }

    int times() {
        return t.size;
    }

    /** The save times in {@code [0, times)}. */
    double[] t() {
        return t.values;
    }

    /** {@code steps}, or 0 when not given. */
    long steps() {
        return steps;
    }

    /** {@code max_steps}, or 0 when not given. */
    long maxSteps() {
        return maxSteps;
    }

    /** {@code rtol}, or {@code dflt} when not given. */
    double rtol(double dflt) {
        return hasRtol ? rtol : dflt;
    }

    /** {@code atol}, or {@code dflt} when not given. */
    double atol(double dflt) {
        return hasAtol ? atol : dflt;
    }
}
