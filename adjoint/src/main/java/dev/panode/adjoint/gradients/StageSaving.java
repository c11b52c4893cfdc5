package dev.panode.adjoint.gradients;

import dev.panode.adjoint.models.DifferentiableField;
import dev.panode.adjoint.models.layers.ConcatSquash;
import dev.panode.adjoint.models.layers.Dense;
import dev.panode.adjoint.models.layers.Layer;
import dev.panode.adjoint.models.layers.LayerField;
import dev.panode.adjoint.models.layers.Residual;
import dev.panode.adjoint.models.layers.Sequential;

/**
 * Whether {@link Backprop} keeps every stage's evaluation ({@link DifferentiableField#evaluateSaving}) for its
 * backward pass or rebuilds the stages from the stored states. Both give the same bits; they differ in cost. Saving
 * spares each stage two forward passes of the field (the stage rebuild and the VJP's own forward pass, activations
 * included) and costs memory: {@code savedLength(rows)} doubles per stage (for an MLP every hidden layer's output,
 * and the pre-activation of layers whose σ' reads it: softplus, relu, sin), written once by the forward pass and read once by the backward pass. The fused MLP layers write them
 * straight into the saved block and read them there (no copy); other layers copy their state out and back
 * ({@link dev.panode.adjoint.models.layers.Layer#saveState}). Measured with the in-place blocks (docs/BENCHMARKS.md
 * §24), saving is the faster schedule even for narrow layers over many rows, where the blocks are far outside the
 * caches: 2 → 64 → 64 → 2 over 1024 rows (17 multiply–adds per saved double) 1.39× faster, 2 → 8 → 8 → 2 over 16384
 * rows (2.5 per double) 1.35×; only fields with less arithmetic than that per saved double are rebuilt.
 */
public enum StageSaving {
    /**
     * Save when it is expected to be cheaper: when one step's saved stages fit in {@value #CACHED_STEP_BYTES} bytes
     * (they stay in cache between the forward and the backward pass), or when the field's forward multiply–adds per
     * saved double reach {@value #MULTIPLY_ADDS_PER_SAVED_DOUBLE}; fields whose cost is not known are saved.
     */
    AUTO,
    /**
     * Save whenever the field can and the budget (and half the heap) holds the states and stages together.
     */
    ALWAYS,
    /** Never save: rebuild every stage from the stored states (the recomputing schedules). */
    NEVER;

    /** The bytes of one step's saved stages below which saving is chosen whatever the arithmetic. */
    static final long CACHED_STEP_BYTES = 512L * 1024;
    /**
     * The forward multiply–adds per saved double from which saving is chosen for stages outside the caches (the
     * narrowest case measured faster with saving had 2.5).
     */
    static final long MULTIPLY_ADDS_PER_SAVED_DOUBLE = 2;

    /**
     * Whether stages of {@code savedLength} doubles each, {@code stages} per step, are to be saved for {@code field}
     * over {@code rows} rows (the budget is checked separately).
     */
    boolean saves(DifferentiableField field, int rows, int savedLength, int stages) {
        if (savedLength <= 0 || this == NEVER) return false;
        if (this == ALWAYS) return true;
        if ((long) stages * savedLength * Double.BYTES <= CACHED_STEP_BYTES) return true;
        long perRow = multiplyAddsPerRow(field);
        return perRow < 0 || perRow * rows >= MULTIPLY_ADDS_PER_SAVED_DOUBLE * savedLength;
    }

    /** The matrix-product multiply–adds of one evaluation per row, or −1 when not known. */
    static long multiplyAddsPerRow(DifferentiableField field) {
        return field instanceof LayerField f ? multiplyAddsPerRow(f.network()) : -1;
    }

    private static long multiplyAddsPerRow(Layer layer) {
        return switch (layer) {
            case Dense d -> (long) d.in() * d.out();
            case ConcatSquash c -> (long) c.in() * c.out();
            case Residual r -> multiplyAddsPerRow(r.body());
            case Sequential s -> {
                long sum = 0;
                for (Layer l : s.layers()) {
                    long own = multiplyAddsPerRow(l);
                    if (own < 0) yield -1;
                    sum += own;
                }
                yield sum;
            }
            default -> layer.parameterCount() == 0 ? 0 : -1;
        };
    }
}
