package dev.panode.solvers;

/** What the method tableaux share: the defensive copy their accessors hand out of a coefficient matrix. */
final class Tableaux {
    private Tableaux() {}

    /** A copy of every row of {@code rows} (jagged rows keep their lengths); O(entries), allocates the copy. */
    static double[][] copyRows(double[][] rows) {
        double[][] copy = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) copy[i] = rows[i].clone();
        return copy;
    }
}
