package dev.panode.simd;

import static dev.panode.simd.Simd.LANES;
import static dev.panode.simd.Simd.SPECIES;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.DoubleVector;

/**
 * Kernels between off-heap states (checkpoints in a {@code MemorySegment}, native byte order, unaligned allowed) and
 * on-heap {@code double[]} work arrays: copies in both directions and the stage combination
 * {@code out = y + h·Σ cᵢ·kᵢ} read from a stored {@code y}.
 *
 * <p>Positions in a segment are <em>element</em> indices (doubles), not bytes. Every public method checks its ranges
 * once ({@link IndexOutOfBoundsException} naming the argument), then runs the kernel. Nothing is allocated.
 * The combine rounds exactly as {@link StageKernels#combine} (fma in stage order), so a state restored from a
 * checkpoint and combined here is bitwise the one combined on-heap.
 */
public final class SegmentKernels {
    private SegmentKernels() {}

    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    private static final ValueLayout.OfDouble DOUBLE = ValueLayout.JAVA_DOUBLE_UNALIGNED;

    /** {@code dst[dstIndex .. +n) = src[srcOff .. +n)}: stores a state into a checkpoint. */
    public static void copy(double[] src, int srcOff, MemorySegment dst, long dstIndex, int n) {
        Checks.range("src", src, srcOff, n);
        checkSegment("dst", dst, dstIndex, n);
        MemorySegment.copy(src, srcOff, dst, DOUBLE, dstIndex * Double.BYTES, n);
    }

    /** {@code dst[dstOff .. +n) = src[srcIndex .. +n)}: restores a state from a checkpoint. */
    public static void copy(MemorySegment src, long srcIndex, double[] dst, int dstOff, int n) {
        checkSegment("src", src, srcIndex, n);
        Checks.range("dst", dst, dstOff, n);
        MemorySegment.copy(src, DOUBLE, srcIndex * Double.BYTES, dst, dstOff, n);
    }

    /**
     * {@code out[outOff+j] = y[yIndex+j] + h·Σ_{i<s} c[i]·k[i][kOff+j]} for {@code j < n}, with {@code y} a stored
     * state; zero coefficients are skipped.
     */
    public static void combine(MemorySegment y, long yIndex, double h, double[] c, int s, double[][] k, int kOff,
                               double[] out, int outOff, int n) {
        checkSegment("y", y, yIndex, n);
        checkStages(c, s, k, kOff, n);
        Checks.range("out", out, outOff, n);
        long used = StageKernels.nonZero(c, s);
        DoubleVector hv = DoubleVector.broadcast(SPECIES, h);
        long yb = yIndex * Double.BYTES;
        int j = 0;
        for (int bound = SPECIES.loopBound(n); j < bound; j += LANES) {
            DoubleVector acc = DoubleVector.zero(SPECIES);
            for (long m = used; m != 0; m &= m - 1) {
                int i = Long.numberOfTrailingZeros(m);
                acc = DoubleVector.fromArray(SPECIES, k[i], kOff + j).fma(DoubleVector.broadcast(SPECIES, c[i]), acc);
            }
            DoubleVector yv = DoubleVector.fromMemorySegment(SPECIES, y, yb + (long) j * Double.BYTES, ORDER);
            acc.fma(hv, yv).intoArray(out, outOff + j);
        }
        for (; j < n; j++) {
            double acc = 0.0;
            for (int i = 0; i < s; i++) {
                double ci = c[i];
                if (ci != 0.0) acc = Math.fma(k[i][kOff + j], ci, acc);
            }
            out[outOff + j] = Math.fma(acc, h, y.getAtIndex(DOUBLE, yIndex + j));
        }
    }

    /** Scalar twin of {@link #combine}: the oracle. Unchecked. */
    public static void combineScalar(MemorySegment y, long yIndex, double h, double[] c, int s, double[][] k, int kOff,
                                     double[] out, int outOff, int n) {
        for (int j = 0; j < n; j++) {
            double acc = 0.0;
            for (int i = 0; i < s; i++) {
                if (c[i] != 0.0) acc += c[i] * k[i][kOff + j];
            }
            out[outOff + j] = y.getAtIndex(DOUBLE, yIndex + j) + h * acc;
        }
    }

    private static void checkSegment(String name, MemorySegment seg, long index, int n) {
        Checks.nonNull(name, seg);
        long elements = seg.byteSize() / Double.BYTES;
        if (index < 0 || n < 0 || index > elements - n) {
            throw new IndexOutOfBoundsException(name + "[" + index + " .. " + index + "+" + n + ") must lie within "
                    + name + ", got a segment of " + elements + " doubles");
        }
    }

    private static void checkStages(double[] c, int s, double[][] k, int kOff, int n) {
        Checks.nonNull("c", c);
        Checks.nonNull("k", k);
        if (s < 0 || s > c.length || s > k.length) {
            throw new IllegalArgumentException("s must be in [0, min(c.length, k.length)] = [0, "
                    + Math.min(c.length, k.length) + "], got " + s);
        }
        for (int i = 0; i < s; i++) {
            if (c[i] != 0.0 && (k[i] == null || kOff < 0 || kOff > k[i].length - n)) {
                throw new IndexOutOfBoundsException("k[" + i + "][" + kOff + " .. " + kOff + "+" + n + ") must lie within k["
                        + i + "], got " + (k[i] == null ? "k[" + i + "] = null" : "k[" + i + "].length = " + k[i].length));
            }
        }
    }
}
