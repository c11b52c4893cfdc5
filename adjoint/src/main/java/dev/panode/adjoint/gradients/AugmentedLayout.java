package dev.panode.adjoint.gradients;

import dev.panode.adjoint.models.DifferentiableField;

/**
 * The layout of an augmented adjoint state, one flat vector: optionally y ({@code n}), then a ({@code n}), then
 * a_θ (the parameter tensors in order), then a_t (one value). Blocks are half-open index ranges.
 */
record AugmentedLayout(boolean withY, int n, int[] tensorSizes, int parameterCount) {

    static AugmentedLayout of(boolean withY, int n, DifferentiableField field) {
        int[] sizes = field.parameterTensorSizes();
        int sum = 0;
        for (int size : sizes) {
            if (size < 0) throw new IllegalArgumentException("parameter tensor size must be >= 0, got " + size);
            sum += size;
        }
        if (sum != field.parameterCount()) {
            throw new IllegalArgumentException("parameterTensorSizes() sum to " + sum + " but parameterCount() is "
                    + field.parameterCount());
        }
        return new AugmentedLayout(withY, n, sizes.clone(), sum);
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
        return timeOffset() + 1;
    }
}
