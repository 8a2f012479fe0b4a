package dev.schedbench.data;

import java.util.List;
import java.util.OptionalLong;

/**
 * One page of the datasets-server's {@code /rows} answer.
 *
 * @param rows          the rows in dataset order
 * @param numRowsTotal  {@code num_rows_total}, when the page carries it
 * @param columns       the feature names, in order
 */
public record RowsPage(List<ArenaRow> rows, OptionalLong numRowsTotal, List<String> columns) {

    public RowsPage {
        rows = List.copyOf(rows);
        columns = List.copyOf(columns);
    }
}
