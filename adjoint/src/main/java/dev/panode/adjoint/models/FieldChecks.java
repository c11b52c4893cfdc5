package dev.panode.adjoint.models;

/**
 * The argument checks every {@link DifferentiableField} makes at its public edge, once per call (lengths, aliasing,
 * finiteness), with messages {@code "NAME must be …, got VALUE"} (every misuse an {@link IllegalArgumentException}); the
 * solvers call {@code evaluateUnchecked} inside their step loops, having checked the shapes once at entry. Public so
 * that fields in other packages (the layer compositions, user-written fields) check the same way.
 */
public final class FieldChecks {
    private FieldChecks() {}

    /** θ non-null, exactly {@code count} long and finite everywhere (a constructor's check of its parameters). */
    public static void parameters(double[] parameters, int count) {
        if (parameters == null) throw new IllegalArgumentException("parameters must be non-null");
        if (parameters.length != count) {
            throw new IllegalArgumentException("parameters.length must be " + count + ", got " + parameters.length);
        }
        for (int i = 0; i < parameters.length; i++) {
            if (!Double.isFinite(parameters[i])) {
                throw new IllegalArgumentException("parameters[" + i + "] must be finite, got " + parameters[i]);
            }
        }
    }

    /** {@code rows >= 0}. */
    public static void rows(int rows) {
        if (rows < 0) throw new IllegalArgumentException("rows must be >= 0, got " + rows);
    }

    /** {@code x} non-null and at least {@code rows·dim} long. */
    public static void length(String name, double[] x, int rows, int dim) {
        if (x == null) throw new IllegalArgumentException(name + " must be non-null");
        if (x.length < (long) rows * dim) {
            throw new IllegalArgumentException(name + ".length must be >= rows·dim = " + (long) rows * dim
                    + ", got " + x.length);
        }
    }

    /** The checks of an evaluation's buffers: {@code y} and {@code dyOut} hold {@code rows·dim} and differ. */
    public static void evaluateArguments(double[] y, double[] dyOut, int rows, int dim) {
        length("y", y, rows, dim);
        length("dyOut", dyOut, rows, dim);
        distinct("dyOut", dyOut, "y", y);
    }

    /** {@code out} is not the same array as {@code other}. */
    public static void distinct(String name, double[] out, String otherName, double[] other) {
        if (out == other) throw new IllegalArgumentException(name + " must not alias " + otherName + ", got the same array");
    }

    /**
     * Checks a {@code dim × dim} row-major matrix parameter {@code a} (non-null, dim ≥ 1, length dim², finite) and
     * returns a copy of it.
     */
    public static double[] squareMatrixCopy(double[] a, int dim) {
        if (a == null) throw new IllegalArgumentException("a must be non-null");
        if (dim < 1) throw new IllegalArgumentException("dim must be >= 1, got " + dim);
        if (a.length != dim * dim) {
            throw new IllegalArgumentException("a.length must be dim² = " + dim * dim + ", got " + a.length);
        }
        for (int i = 0; i < a.length; i++) {
            if (!Double.isFinite(a[i])) throw new IllegalArgumentException("a[" + i + "] must be finite, got " + a[i]);
        }
        return a.clone();
    }

    /** The checks every {@link DifferentiableField#vjp} makes on its buffers. */
    public static void vjpArguments(double[] y, double[] v, double[] yBar, double[] thetaBar, double[] fOut,
                             int rows, int dim, int parameterCount) {
        rows(rows);
        length("y", y, rows, dim);
        length("v", v, rows, dim);
        length("yBar", yBar, rows, dim);
        distinct("yBar", yBar, "y", y);
        distinct("yBar", yBar, "v", v);
        if (fOut != null) {
            length("fOut", fOut, rows, dim);
            distinct("fOut", fOut, "y", y);
            distinct("fOut", fOut, "v", v);
            distinct("fOut", fOut, "yBar", yBar);
        }
        if (thetaBar != null && thetaBar.length < parameterCount) {
            throw new IllegalArgumentException("thetaBar.length must be >= " + parameterCount + ", got "
                    + thetaBar.length);
        }
    }
}
