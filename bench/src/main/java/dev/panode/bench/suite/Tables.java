package dev.panode.bench.suite;

import java.util.List;

/** Fixed-width text tables. */
final class Tables {
    private Tables() {}

    /** The first row is the header; {@code right[i]} right-aligns column i. */
    static String format(List<String[]> rows, boolean[] right) {
        int columns = rows.get(0).length;
        int[] width = new int[columns];
        for (String[] row : rows) {
            for (int i = 0; i < columns; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int r = 0; r < rows.size(); r++) {
            String[] row = rows.get(r);
            for (int i = 0; i < columns; i++) {
                String cell = row[i];
                String pad = " ".repeat(width[i] - cell.length());
                sb.append(i == 0 ? "" : "  ").append(right[i] ? pad + cell : cell + (i == columns - 1 ? "" : pad));
            }
            sb.append(System.lineSeparator());
            if (r == 0) {
                int total = 0;
                for (int w : width) {
                    total += w;
                }
                sb.append("-".repeat(total + 2 * (columns - 1))).append(System.lineSeparator());
            }
        }
        return sb.toString();
    }
}
