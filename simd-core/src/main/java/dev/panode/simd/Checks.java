package dev.panode.simd;

import dev.panode.blas.Arguments;

/**
 * Argument checks shared by the public edges of this package. Messages read {@code "NAME must be …, got VALUE"}: a null
 * or a bad value raises {@link IllegalArgumentException}, a range outside its array {@link IndexOutOfBoundsException}.
 */
final class Checks {
    private Checks() {}

    static void nonNull(String name, Object value) {
        Arguments.nonNull(value, name);
    }

    static void nonNegative(String name, long value) {
        if (value < 0) throw new IllegalArgumentException(name + " must be >= 0, got " + value);
    }

    /** {@code array[off .. off+n)} must exist. */
    static void range(String name, double[] array, int off, int n) {
        nonNull(name, array);
        range(name, array.length, off, n);
    }

    /** {@code array[off .. off+n)} must exist. */
    static void range(String name, float[] array, int off, int n) {
        nonNull(name, array);
        range(name, array.length, off, n);
    }

    private static void range(String name, int length, int off, int n) {
        if (off < 0 || n < 0 || off > length - n) {
            throw new IndexOutOfBoundsException(name + "[" + off + " .. " + off + "+" + n + ") must lie within " + name
                    + ", got " + name + ".length = " + length);
        }
    }

    /** A {@code rows × dim} batch must fit in {@code array}. */
    static void batch(String name, double[] array, int rows, int dim) {
        nonNull(name, array);
        if ((long) rows * dim > array.length) {
            throw new IndexOutOfBoundsException(name + ".length must be >= rows*dim = " + rows + "*" + dim + " = "
                    + (long) rows * dim + ", got " + array.length);
        }
    }
}
