package dev.panode.spark;

import java.io.Serial;
import java.io.Serializable;

/**
 * One member of an ensemble: an initial state, optionally its own model parameters, and its time grid (solved from
 * {@code times[0]} to the last time and saved at every grid time).
 *
 * @param id         the caller's key, copied to the result
 * @param y0         the initial state, length {@code dim}
 * @param parameters the model's parameters for this row (length P), or null for the ensemble's model
 * @param times      the time grid, at least two strictly monotone times
 */
public record EnsembleRow(long id, double[] y0, double[] parameters, double[] times) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;
}
