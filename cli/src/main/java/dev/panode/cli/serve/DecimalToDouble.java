package dev.panode.cli.serve;

import java.math.BigInteger;

/**
 * The double nearest to w × 10<sup>q</sup> (ties to even) for a decimal significand of at most 19 digits, without
 * allocating: the Eisel–Lemire algorithm (D. Lemire, "Number parsing at a gigabyte per second", Software: Practice
 * and Experience 51(8), 2021; N. Mushtak and D. Lemire, "Fast number parsing without fallback", 2023): one or two
 * 64 × 64-bit products with a 128-bit approximation of 5<sup>q</sup>, which decide the correctly rounded result
 * except in rare cases, reported as NaN so that the caller falls back to {@link Double#parseDouble}. Those cases here:
 * q outside [-342, 308], a subnormal result, and the product's ambiguous low word outside the exponents where it is
 * exact. Tested against {@link Double#parseDouble} on random and halfway inputs (SolveRequestReaderTest).
 */
final class DecimalToDouble {
    private static final int SMALLEST_Q = -342, LARGEST_Q = 308;
    /** The 128 leading bits of 5^q (for q < 0, of its reciprocal scaled, rounded up), high and low words. */
    private static final long[] HIGH = new long[LARGEST_Q - SMALLEST_Q + 1], LOW = new long[HIGH.length];

    static {
        BigInteger five = BigInteger.valueOf(5);
        for (int q = SMALLEST_Q; q <= LARGEST_Q; q++) {
            BigInteger c;
            if (q >= 0) {
                BigInteger p = five.pow(q);
                int bits = p.bitLength();
                c = bits <= 128 ? p.shiftLeft(128 - bits) : p.shiftRight(bits - 128);
            } else {
                BigInteger p = five.pow(-q);
                int z = p.bitLength(); // the least z with 2^z > 5^-q
                int b = q >= -27 ? z + 127 : 2 * z + 128;
                c = BigInteger.ONE.shiftLeft(b).divide(p).add(BigInteger.ONE);
                while (c.bitLength() > 128) c = c.shiftRight(1);
            }
            HIGH[q - SMALLEST_Q] = c.shiftRight(64).longValue();
            LOW[q - SMALLEST_Q] = c.longValue();
        }
    }

    private DecimalToDouble() {}

    /**
     * The correctly rounded double of {@code (negative ? -1 : 1) × w × 10^q}, {@code w} read as unsigned (at most
     * 19 decimal digits), or NaN when this method cannot decide it cheaply.
     */
    static double of(long w, int q, boolean negative) {
        if (w == 0) return negative ? -0.0 : 0.0;
        if (q < SMALLEST_Q || q > LARGEST_Q) return Double.NaN;
        int lz = Long.numberOfLeadingZeros(w);
        w <<= lz;
        int i = q - SMALLEST_Q;
        long high = Math.unsignedMultiplyHigh(w, HIGH[i]);
        long low = w * HIGH[i];
        long mask = 0xFFFF_FFFF_FFFF_FFFFL >>> 55; // 52 explicit mantissa bits + 3
        if ((high & mask) == mask) { // the first product may be off in the bits that decide: refine
            long second = Math.unsignedMultiplyHigh(w, LOW[i]);
            long sum = low + second;
            if (Long.compareUnsigned(second, sum) > 0) high++;
            low = sum;
        }
        if (low == -1L && (q < -27 || q > 55)) return Double.NaN;
        int upperBit = (int) (high >>> 63);
        long mantissa = high >>> (upperBit + 64 - 52 - 3);
        int power2 = (((152_170 + 65_536) * q) >> 16) + 63 + upperBit - lz + 1023;
        if (power2 <= 0) return Double.NaN; // subnormal
        if (Long.compareUnsigned(low, 1) <= 0 && q >= -4 && q <= 23 && (mantissa & 3) == 1
                && (mantissa << (upperBit + 64 - 52 - 3)) == high) {
            mantissa &= ~1L; // exactly halfway: round to even, down
        }
        mantissa += mantissa & 1;
        mantissa >>>= 1;
        if (Long.compareUnsigned(mantissa, 2L << 52) >= 0) {
            mantissa = 1L << 52;
            power2++;
        }
        mantissa &= ~(1L << 52);
        if (power2 >= 0x7FF) return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        double d = Double.longBitsToDouble(mantissa | (long) power2 << 52);
        return negative ? -d : d;
    }
}
