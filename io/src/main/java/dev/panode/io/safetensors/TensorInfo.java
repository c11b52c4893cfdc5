package dev.panode.io.safetensors;

import dev.panode.blas.Arguments;
import java.util.List;

/**
 * One tensor's entry in a safetensors header: its name, dtype, shape and byte range {@code [begin, end)} relative to
 * the start of the data section (the first byte after the header). Values are row-major (C order).
 *
 * @param name  the tensor's name, e.g. {@code 0.weight}
 * @param dtype the element type
 * @param shape the dimensions (empty for a scalar)
 * @param begin the first byte, relative to the data section
 * @param end   one past the last byte
 */
public record TensorInfo(String name, Dtype dtype, List<Long> shape, long begin, long end) {

    /** Checks the name and dtype (non-null) and copies the shape. */
    public TensorInfo {
        Arguments.nonNull(name, "name");
        Arguments.nonNull(dtype, "dtype");
        shape = Arguments.nonNullCopy(shape, "shape");
    }

    /** The product of the dimensions (1 for a scalar), or −1 when it does not fit in a long. */
    public long elementCount() {
        long n = 1;
        for (long d : shape) {
            try {
                n = Math.multiplyExact(n, d);
            } catch (ArithmeticException e) {
                return -1;
            }
        }
        return n;
    }

    /** {@code end − begin}. */
    public long byteLength() {
        return end - begin;
    }

    /** The shape as {@code [2, 3]}. */
    public String shapeText() {
        return shape.toString();
    }
}
