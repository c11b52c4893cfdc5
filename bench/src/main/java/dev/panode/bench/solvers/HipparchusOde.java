package dev.panode.bench.solvers;

import dev.panode.solvers.FieldWorkspace;
import dev.panode.solvers.VectorField;
import org.hipparchus.ode.OrdinaryDifferentialEquation;

/** A one-sample panode field for Hipparchus (which allocates its derivative array per call, by its API). */
final class HipparchusOde implements OrdinaryDifferentialEquation {
    private final VectorField field;

    HipparchusOde(VectorField field) {
        this.field = field;
    }

    @Override
    public int getDimension() {
        return field.dim();
    }

    @Override
    public double[] computeDerivatives(double t, double[] y) {
        double[] dy = new double[y.length];
        field.evaluate(t, y, dy, 1, FieldWorkspace.NONE);
        return dy;
    }
}
