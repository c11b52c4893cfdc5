package dev.panode.io.safetensors;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Locale;

/**
 * The element types of the safetensors format, with their sizes in bytes. Every type can be laid out and validated;
 * the floating-point ones ({@link #F64}, {@link #F32}, {@link #BF16}, {@link #F16}) can also be read as and written
 * from {@code double}.
 *
 * <p>Reading is exact: every F32, BF16 and F16 value is a double. Writing rounds to nearest, ties to even: F32 by the
 * {@code (float)} cast; BF16 and F16 from that float (so a double is rounded twice, as {@code tensor.to(torch.bfloat16)}
 * does for a float64 tensor; the result can differ from a single rounding only for a double within half a float ulp of
 * a BF16/F16 tie).
 *
 * <p>Values are little-endian and need not be aligned to their size: the layouts are the unaligned ones.
 */
public enum Dtype {
    /** IEEE 754 binary64. */
    F64(8),
    /** IEEE 754 binary32. */
    F32(4),
    /** bfloat16: the upper 16 bits of a binary32 (8 exponent bits, 7 fraction bits). */
    BF16(2),
    /** IEEE 754 binary16. */
    F16(2),
    // Integer and 8-bit float types: sized and validated, not converted.
    /** 8-bit float, 5 exponent bits (sized only). */
    F8_E5M2(1),
    /** 8-bit float, 4 exponent bits (sized only). */
    F8_E4M3(1),
    /** Boolean, one byte (sized only). */
    BOOL(1),
    /** Unsigned 8-bit integer (sized only). */
    U8(1),
    /** Signed 8-bit integer (sized only). */
    I8(1),
    /** Signed 16-bit integer (sized only). */
    I16(2),
    /** Unsigned 16-bit integer (sized only). */
    U16(2),
    /** Signed 32-bit integer (sized only). */
    I32(4),
    /** Unsigned 32-bit integer (sized only). */
    U32(4),
    /** Signed 64-bit integer (sized only). */
    I64(8),
    /** Unsigned 64-bit integer (sized only). */
    U64(8);

    private static final ValueLayout.OfDouble DOUBLE = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final int size;

    Dtype(int size) {
        this.size = size;
    }

    /** Bytes per element. */
    public int size() {
        return size;
    }

    /** Whether elements of this type can be read as and written from {@code double}. */
    public boolean isFloatingPoint() {
        return this == F64 || this == F32 || this == BF16 || this == F16;
    }

    /**
     * The dtype named {@code name} as the safetensors header spells it ({@code "F32"}, {@code "BF16"}, ...).
     *
     * @throws IllegalArgumentException naming the value and the known names when there is no such dtype
     */
    public static Dtype of(String name) {
        for (Dtype d : values()) {
            if (d.name().equals(name)) return d;
        }
        throw new IllegalArgumentException("dtype must be one of " + java.util.Arrays.toString(values()) + ", got \""
                + name + "\"");
    }

    /**
     * Parses a user's spelling, case-insensitive ({@code f32}, {@code bf16}, ...); only the floating-point types.
     *
     * @throws IllegalArgumentException naming the value when it is not F64, F32, BF16 or F16
     */
    public static Dtype floatingPoint(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        for (Dtype d : values()) {
            if (d.isFloatingPoint() && d.name().equals(upper)) return d;
        }
        throw new IllegalArgumentException("dtype must be one of F64, F32, BF16, F16, got \"" + name + "\"");
    }

    /** Element {@code index} of a tensor of this type that starts at byte {@code base} of {@code data}, as a double. */
    double get(MemorySegment data, long base, long index) {
        long at = base + index * size;
        return switch (this) {
            case F64 -> data.get(DOUBLE, at);
            case F32 -> data.get(FLOAT, at);
            case BF16 -> Float.intBitsToFloat((data.get(SHORT, at) & 0xffff) << 16);
            case F16 -> Float.float16ToFloat(data.get(SHORT, at));
            default -> throw new IllegalStateException("not a floating-point dtype: " + this);
        };
    }

    /** Writes {@code value}, rounded to this type, as element {@code index} of a tensor that starts at byte {@code base}. */
    void put(MemorySegment data, long base, long index, double value) {
        long at = base + index * size;
        switch (this) {
            case F64 -> data.set(DOUBLE, at, value);
            case F32 -> data.set(FLOAT, at, (float) value);
            case BF16 -> data.set(SHORT, at, toBfloat16((float) value));
            case F16 -> data.set(SHORT, at, Float.floatToFloat16((float) value));
            default -> throw new IllegalStateException("not a floating-point dtype: " + this);
        }
    }

    /** {@code value} rounded to the nearest bfloat16, ties to even; NaN stays a (quiet) NaN. */
    static short toBfloat16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if (Float.isNaN(value)) return (short) ((bits >>> 16) | 0x0040);
        int roundingBias = 0x7fff + ((bits >>> 16) & 1);
        return (short) ((bits + roundingBias) >>> 16);
    }
}
