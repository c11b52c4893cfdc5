package dev.panode.blas;

import dev.panode.blas.ffi.FortranLapack;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The native side of {@link Lapack}: copies the operands into a per-thread off-heap scratch, calls the Fortran routine
 * with every scalar by reference, and copies the results back. The copies cost O(n²) beside the O(n³) factorisation;
 * in exchange nothing is allocated per call once a thread's scratch has grown to the largest problem (heap segments
 * passed to critical downcalls are not reliably scalar-replaced, see {@code BlasAllocationTest}), and no segment is
 * sliced per call. Unchecked: the facade has checked the arguments.
 */
final class NativeLapack {
    private NativeLapack() {}

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** One thread's argument cells (fixed) and operand area (grown on demand, never shrunk). */
    private static final class Scratch {
        final MemorySegment m, n, nrhs, lda, ldb, info, trans;
        private MemorySegment a = MemorySegment.NULL, b = MemorySegment.NULL, ipiv = MemorySegment.NULL;

        Scratch() {
            MemorySegment cells = Arena.ofAuto().allocate(8 * Integer.BYTES, 8);
            m = cells.asSlice(0, 4);
            n = cells.asSlice(4, 4);
            nrhs = cells.asSlice(8, 4);
            lda = cells.asSlice(12, 4);
            ldb = cells.asSlice(16, 4);
            info = cells.asSlice(20, 4);
            trans = cells.asSlice(24, 1);
        }

        MemorySegment a(long bytes) {
            return a = grown(a, bytes);
        }

        MemorySegment b(long bytes) {
            return b = grown(b, bytes);
        }

        MemorySegment ipiv(long bytes) {
            return ipiv = grown(ipiv, bytes);
        }

        private static MemorySegment grown(MemorySegment s, long bytes) {
            return s.byteSize() >= Math.max(bytes, 1) ? s : Arena.ofAuto().allocate(Math.max(bytes, 2 * s.byteSize()), 64);
        }
    }

    private static long span(int rows, int cols, int ld) {
        return rows == 0 || cols == 0 ? 0 : (long) (cols - 1) * ld + rows;
    }

    static int dgetrf(int m, int n, double[] a, int aOff, int lda, int[] ipiv, int ipivOff) {
        return getrf(ValueLayout.JAVA_DOUBLE, m, n, a, aOff, lda, ipiv, ipivOff);
    }

    static int sgetrf(int m, int n, float[] a, int aOff, int lda, int[] ipiv, int ipivOff) {
        return getrf(ValueLayout.JAVA_FLOAT, m, n, a, aOff, lda, ipiv, ipivOff);
    }

    static int dgetrs(boolean transpose, int n, int nrhs, double[] a, int aOff, int lda, int[] ipiv, int ipivOff,
                      double[] b, int bOff, int ldb) {
        return getrs(ValueLayout.JAVA_DOUBLE, transpose, n, nrhs, a, aOff, lda, ipiv, ipivOff, b, bOff, ldb);
    }

    static int sgetrs(boolean transpose, int n, int nrhs, float[] a, int aOff, int lda, int[] ipiv, int ipivOff,
                      float[] b, int bOff, int ldb) {
        return getrs(ValueLayout.JAVA_FLOAT, transpose, n, nrhs, a, aOff, lda, ipiv, ipivOff, b, bOff, ldb);
    }

    /** ?getrf on a double[] or float[] (the element layout says which). */
    private static int getrf(ValueLayout element, int m, int n, Object a, int aOff, int lda, int[] ipiv, int ipivOff) {
        Scratch s = SCRATCH.get();
        long aLen = span(m, n, lda), k = Math.min(m, n), size = element.byteSize();
        MemorySegment d = s.a(aLen * size), ipivSeg = s.ipiv(k * 4);
        MemorySegment.copy(a, aOff, d, element, 0, (int) aLen);
        s.m.set(ValueLayout.JAVA_INT, 0, m);
        s.n.set(ValueLayout.JAVA_INT, 0, n);
        s.lda.set(ValueLayout.JAVA_INT, 0, lda);
        if (element == ValueLayout.JAVA_DOUBLE) {
            FortranLapack.dgetrf_(s.m, s.n, d, s.lda, ipivSeg, s.info);
        } else {
            FortranLapack.sgetrf_(s.m, s.n, d, s.lda, ipivSeg, s.info);
        }
        MemorySegment.copy(d, element, 0, a, aOff, (int) aLen);
        MemorySegment.copy(ipivSeg, ValueLayout.JAVA_INT, 0, ipiv, ipivOff, (int) k);
        return s.info.get(ValueLayout.JAVA_INT, 0);
    }

    /** ?getrs on double[] or float[] operands (the element layout says which). */
    private static int getrs(ValueLayout element, boolean transpose, int n, int nrhs, Object a, int aOff, int lda,
                             int[] ipiv, int ipivOff, Object b, int bOff, int ldb) {
        Scratch s = SCRATCH.get();
        long aLen = span(n, n, lda), bLen = span(n, nrhs, ldb), size = element.byteSize();
        MemorySegment d = s.a(aLen * size), bSeg = s.b(bLen * size), ipivSeg = s.ipiv(n * 4L);
        MemorySegment.copy(a, aOff, d, element, 0, (int) aLen);
        MemorySegment.copy(b, bOff, bSeg, element, 0, (int) bLen);
        MemorySegment.copy(ipiv, ipivOff, ipivSeg, ValueLayout.JAVA_INT, 0, n);
        s.trans.set(ValueLayout.JAVA_BYTE, 0, (byte) (transpose ? 'T' : 'N'));
        s.n.set(ValueLayout.JAVA_INT, 0, n);
        s.nrhs.set(ValueLayout.JAVA_INT, 0, nrhs);
        s.lda.set(ValueLayout.JAVA_INT, 0, lda);
        s.ldb.set(ValueLayout.JAVA_INT, 0, ldb);
        if (element == ValueLayout.JAVA_DOUBLE) {
            FortranLapack.dgetrs_(s.trans, s.n, s.nrhs, d, s.lda, ipivSeg, bSeg, s.ldb, s.info, 1L);
        } else {
            FortranLapack.sgetrs_(s.trans, s.n, s.nrhs, d, s.lda, ipivSeg, bSeg, s.ldb, s.info, 1L);
        }
        MemorySegment.copy(bSeg, element, 0, b, bOff, (int) bLen);
        return s.info.get(ValueLayout.JAVA_INT, 0);
    }
}
