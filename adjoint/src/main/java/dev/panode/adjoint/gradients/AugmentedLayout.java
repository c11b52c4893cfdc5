package dev.panode.adjoint.gradients;

import dev.panode.adjoint.models.DifferentiableField;
import dev.panode.adjoint.models.DifferentiableFloatField;

/**
 * The layout of an augmented adjoint state, one flat vector: optionally y ({@code n}), then a ({@code n}), then
 * a_θ (the parameter tensors in order), then, when {@code withTime}, a_t (one value; the float adjoints carry none).
 * Blocks are half-open index ranges.
 */
record AugmentedLayout(boolean withY, int n, int[] tensorSizes, int parameterCount, boolean withTime) {

    static AugmentedLayout of(boolean withY, int n, DifferentiableField field) {
        return of(withY, n, field.parameterTensorSizes(), field.parameterCount(), true);
    }

    /** The layout of a float adjoint's state: no a_t. */
    static AugmentedLayout of(boolean withY, int n, DifferentiableFloatField field) {
        return of(withY, n, field.parameterTensorSizes(), field.parameterCount(), false);
    }

    private static AugmentedLayout of(boolean withY, int n, int[] sizes, int parameterCount, boolean withTime) {
        int sum = 0;
        for (int size : sizes) {
            if (size < 0) throw new IllegalArgumentException("parameter tensor size must be >= 0, got " + size);
            sum += size;
        }
        if (sum != parameterCount) {
            throw new IllegalArgumentException("parameterTensorSizes() sum to " + sum + " but parameterCount() is "
                    + parameterCount);
        }
        return new AugmentedLayout(withY, n, sizes.clone(), sum, withTime);
    }

    int yOffset() {
        return 0;
    }

    int aOffset() {
        return withY ? n : 0;
    }

    int thetaOffset() {
        return aOffset() + n;
    }

    int timeOffset() {
        return thetaOffset() + parameterCount;
    }

    int length() {
        return timeOffset() + (withTime ? 1 : 0);
    }
}
