package dev.panode.blas;

/** Whether a GEMM operand is used as stored ({@link #NO}) or transposed ({@link #YES}). */
public enum Transpose {
    /** The operand is used as stored. */
    NO,
    /** The operand is used transposed. */
    YES;

    /**
     * The value for a flag.
     *
     * @param t whether the operand is transposed
     * @return {@link #YES} when {@code t} is true
     */
    public static Transpose of(boolean t) { return t ? YES : NO; }
}
