package dev.panode.blas;

/** Whether a GEMM operand is used as stored ({@link #NO}) or transposed ({@link #YES}). */
public enum Transpose {
    NO, YES;

    /** @return {@link #YES} when {@code t} is true */
    public static Transpose of(boolean t) { return t ? YES : NO; }
}
