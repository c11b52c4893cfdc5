package dev.panode.solvers;

import dev.panode.solvers.problems.IvpTestSet;

/**
 * The stiff test problems of {@link IvpTestSet} under the short names the tests use, and two test utilities.
 */
final class StiffProblems {
    private StiffProblems() {}

    static final JacobianField HIRES = IvpTestSet.HIRES.field();
    static final double[] HIRES_Y0 = IvpTestSet.HIRES.initialState();
    static final double HIRES_T1 = IvpTestSet.HIRES.end();
    static final double[] HIRES_REF = IvpTestSet.HIRES.reference();

    static final JacobianField VDPOL = IvpTestSet.VDPOL.field();
    static final double[] VDPOL_Y0 = IvpTestSet.VDPOL.initialState();
    static final double[] VDPOL_REF = IvpTestSet.VDPOL.reference();

    static final JacobianField ROBER = IvpTestSet.ROBER.field();
    static final double[] ROBER_Y0 = IvpTestSet.ROBER.initialState();
    static final double ROBER_T1 = IvpTestSet.ROBER.end();
    static final double[] ROBER_REF = IvpTestSet.ROBER.reference();

    /** The same field without its Jacobian (and not declared autonomous): the solvers then difference it. */
    static VectorField withoutJacobian(VectorField f) {
        return new VectorField() {
            @Override
            public void evaluate(double t, double[] y, double[] dy, int rows, FieldWorkspace ws) {
                f.evaluate(t, y, dy, rows, ws);
            }

            @Override
            public int dim() {
                return f.dim();
            }
        };
    }

    /** max_i |y_i − ref_i| / |ref_i|. */
    static double maxRelativeError(double[] y, int off, double[] ref) {
        double worst = 0;
        for (int i = 0; i < ref.length; i++) worst = Math.max(worst, Math.abs(y[off + i] - ref[i]) / Math.abs(ref[i]));
        return worst;
    }
}
