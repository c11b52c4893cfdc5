package dev.panode.adjoint.gradients;

/**
 * A loss L(y(t_0), …, y(t_N)) over the states at the observation times t_0 &lt; … &lt; t_N (t_0 is the initial time,
 * so {@code states[0]} is y_0), with its gradient with respect to each of those states.
 *
 * <p>The gradient methods add {@code gradients[i]} to the adjoint at t_i (the adjoint "jumps" there).
 * An implementation must overwrite every entry of {@code gradients} (zeros where a state does not enter the loss)
 * and should allocate nothing. The loss value and every gradient entry must be finite: {@link Gradients#compute}
 * checks them after the forward solve and throws {@link NonFiniteLossException}, naming the loss and the observation,
 * instead of carrying a NaN into dL/dθ.
 */
@FunctionalInterface
public interface Loss {

    /**
     * Computes the loss and its gradient.
     *
     * @param times     the observation times t_0..t_N
     * @param states    {@code states[i]} = y(t_i), {@code rows × dim} row-major
     * @param rows      samples in the batch
     * @param dim       state dimension of one sample
     * @param gradients output: {@code gradients[i]} = ∂L/∂y(t_i), same layout as {@code states[i]}
     * @return L
     */
    double evaluate(double[] times, double[][] states, int rows, int dim, double[][] gradients);

    /** {@code L = Σ_b Σ_j y_{b,j}(t_N)²}: the reference data's {@code final} loss. */
    static Loss sumOfSquaresAtEnd() {
        return SumOfSquares.AT_END;
    }

    /** {@code L = Σ_{i≥1} Σ_b Σ_j y_{b,j}(t_i)²}: the reference data's {@code multi} loss (every time but t_0). */
    static Loss sumOfSquaresAfterStart() {
        return SumOfSquares.AFTER_START;
    }

    /**
     * The mean squared error against targets: {@code L = (1/M) Σ_{i: targets[i] ≠ null} Σ (y(t_i) − targets[i])²}
     * with M the number of compared components. {@code targets} is indexed like the observation times.
     */
    static Loss meanSquaredError(double[][] targets) {
        return new MeanSquaredError(targets);
    }
}
