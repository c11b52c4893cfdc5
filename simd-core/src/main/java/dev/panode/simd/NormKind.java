package dev.panode.simd;

/** How a vector of scaled errors is reduced to one number. */
public enum NormKind {
    /** Root mean square, {@code sqrt(Σ eᵢ²/n)}: the default of torchdiffeq, diffrax and Hairer's codes. */
    RMS,
    /** Maximum absolute value, {@code max |eᵢ|}: stricter, one bad component decides. */
    MAX
}
