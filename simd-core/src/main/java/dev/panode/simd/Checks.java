package dev.panode.simd;

import java.util.Objects;

/** Argument checks shared by the public edges of this package; messages name the argument and its value. */
final class Checks {
    private Checks() {}

    static void nonNegative(String name, long value) {
        if (value < 0) throw new IllegalArgumentException(name + " must be >= 0, got " + value);
    }

    /** {@code array[off .. off+n)} must exist. */
    static void range(String name, double[] array, int off, int n) {
        Objects.requireNonNull(array, name);
        range(name, array.length, off, n);
    }

    /** {@code array[off .. off+n)} must exist. */
    static void range(String name, float[] array, int off, int n) {
        Objects.requireNonNull(array, name);
        range(name, array.length, off, n);
    }

    private static void range(String name, int length, int off, int n) {
        if (off < 0 || n < 0 || off > length - n) {
            throw new IndexOutOfBoundsException(name + "[" + off + " .. " + off + "+" + n + ") is outside "
                    + name + ".length = " + length);
        }
    }

    /** A {@code rows × dim} batch must fit in {@code array}. */
    static void batch(String name, double[] array, int rows, int dim) {
        Objects.requireNonNull(array, name);
        if ((long) rows * dim > array.length) {
            throw new IndexOutOfBoundsException(name + " needs rows*dim = " + rows + "*" + dim + " = "
                    + (long) rows * dim + " elements, got length " + array.length);
        }
    }
}
