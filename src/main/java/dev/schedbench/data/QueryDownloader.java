package dev.schedbench.data;

import dev.schedbench.data.DatasetsServerClient.SplitRef;
import dev.schedbench.model.RunEvent;
import dev.schedbench.model.RunListener;
import dev.schedbench.model.UserError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * Downloads the first user turn of every row of a Chatbot Arena-style dataset, in dataset order, as
 * the seed's {@code download_queries.py} did, into a JSON array of strings. Resumable through a
 * {@link QueryPartialFile} beside the output; progress goes to a {@link RunListener}.
 */
public final class QueryDownloader {

    public static final String DEFAULT_DATASET = "lmsys/chatbot_arena_conversations";
    public static final String DEFAULT_SPLIT = "train";
    public static final String TASK = "download-queries";

    /**
     * What to download.
     *
     * @param dataset  dataset id on the Hub
     * @param config   config name; empty picks it from {@code /splits}
     * @param split    split name
     * @param limit    most rows to read from the start of the split; empty reads all
     * @param output   the JSON file to write
     * @param escaping how non-ASCII text is written
     */
    public record Request(String dataset, Optional<String> config, String split, OptionalLong limit, Path output,
                          PythonJson.Escaping escaping) {
        public Request {
            if (limit.isPresent() && limit.getAsLong() < 1) {
                throw new UserError("--limit must be at least 1, got " + limit.getAsLong());
            }
        }
    }

    /** A row that gave no query. */
    public record SkippedRow(long rowIdx, String reason) {}

    /**
     * What a finished download did.
     *
     * @param output        the file written
     * @param rowsRead      dataset rows read (including ones read by an earlier, interrupted run)
     * @param queries       queries written
     * @param skipped       rows that gave no query, in order
     * @param resumedAtRow  the row an earlier run had reached, when this run continued it
     */
    public record Report(Path output, long rowsRead, int queries, List<SkippedRow> skipped, OptionalLong resumedAtRow) {}

    private final DatasetsServerClient client;
    private final RunListener listener;

    public QueryDownloader(DatasetsServerClient client, RunListener listener) {
        this.client = client;
        this.listener = listener;
    }

    public Report download(Request request) {
        SplitRef split = resolveSplit(request);
        QueryPartialFile.Source source = new QueryPartialFile.Source(request.dataset(), split.config(), split.split());
        Path partialPath = QueryPartialFile.pathFor(request.output());

        OptionalLong resumedAt = OptionalLong.empty();
        long nextRow = 0;
        Optional<QueryPartialFile.Contents> earlier = QueryPartialFile.read(partialPath);
        QueryPartialFile partial;
        if (earlier.isPresent() && earlier.get().source().equals(source)) {
            nextRow = earlier.get().lines().size();
            resumedAt = OptionalLong.of(nextRow);
            listener.on(new RunEvent.Log(TASK, "resuming at row " + nextRow + " from " + partialPath));
            partial = QueryPartialFile.append(partialPath);
        } else {
            if (earlier.isPresent()) {
                listener.on(new RunEvent.Log(TASK, "starting over: " + partialPath + " holds an unfinished download of "
                        + describe(earlier.get().source())));
            }
            partial = QueryPartialFile.create(partialPath, source);
        }

        try (partial) {
            long total = client.numRows(request.dataset(), split.config(), split.split()).orElse(-1);
            long startRow = nextRow;
            long startNanos = System.nanoTime();
            boolean checkedColumns = false;
            while (true) {
                long wanted = wantedRows(total, request.limit());
                if (wanted >= 0 && nextRow >= wanted) {
                    break;
                }
                int length = (int) Math.min(DatasetsServerClient.MAX_PAGE_ROWS, wanted < 0 ? Long.MAX_VALUE : wanted - nextRow);
                RowsPage page = client.rows(request.dataset(), split.config(), split.split(), nextRow, length);
                if (!checkedColumns) {
                    checkColumns(request.dataset(), page);
                    checkedColumns = true;
                }
                if (page.numRowsTotal().isPresent()) {
                    total = page.numRowsTotal().getAsLong();
                }
                List<QueryPartialFile.Line> lines = toLines(request.dataset(), split, page, nextRow);
                long stillWanted = wantedRows(total, request.limit());
                if (stillWanted >= 0 && nextRow + lines.size() > stillWanted) {
                    lines = lines.subList(0, (int) Math.max(0, stillWanted - nextRow));
                }
                if (lines.isEmpty()) {
                    break;
                }
                partial.appendPage(lines);
                nextRow += lines.size();
                double seconds = (System.nanoTime() - startNanos) / 1e9;
                double rate = seconds > 0 ? (nextRow - startRow) / seconds : 0;
                listener.on(new RunEvent.Progress(TASK, nextRow, Math.max(0, wantedRows(total, request.limit())), "rows", rate));
            }
        }
        return finish(request, partialPath, resumedAt);
    }

    private static long wantedRows(long total, OptionalLong limit) {
        if (total < 0) {
            return limit.isPresent() ? limit.getAsLong() : -1;
        }
        return limit.isPresent() ? Math.min(total, limit.getAsLong()) : total;
    }

    private SplitRef resolveSplit(Request request) {
        List<SplitRef> splits = client.splits(request.dataset());
        List<SplitRef> matching = splits.stream()
                .filter(s -> s.split().equals(request.split()))
                .filter(s -> request.config().map(c -> c.equals(s.config())).orElse(true))
                .toList();
        if (matching.isEmpty()) {
            String available = splits.stream().map(s -> s.config() + "/" + s.split()).collect(Collectors.joining(", "));
            throw new UserError("dataset " + request.dataset() + " has no split '" + request.split() + "'"
                    + request.config().map(c -> " in config '" + c + "'").orElse("")
                    + (available.isEmpty() ? " (the server lists no splits)" : "; it has (config/split): " + available)
                    + ". Pick one with --split" + (request.config().isPresent() ? " and --config." : "."));
        }
        return matching.stream().filter(s -> s.config().equals("default")).findFirst().orElse(matching.getFirst());
    }

    private static void checkColumns(String dataset, RowsPage page) {
        if (!page.columns().isEmpty() && !page.columns().contains(RowsPageParser.CONVERSATION_COLUMN)) {
            throw new UserError("dataset " + dataset + " has no " + RowsPageParser.CONVERSATION_COLUMN + " column (it has: "
                    + String.join(", ", page.columns()) + "); download-queries reads Chatbot Arena-style conversations.");
        }
    }

    private List<QueryPartialFile.Line> toLines(String dataset, SplitRef split, RowsPage page, long firstRow) {
        List<QueryPartialFile.Line> lines = new ArrayList<>(page.rows().size());
        long expected = firstRow;
        for (ArenaRow row : page.rows()) {
            if (row.rowIdx() != expected) {
                throw new UserError("the datasets server returned row " + row.rowIdx() + " where row " + expected
                        + " was due (" + dataset + " " + split.config() + "/" + split.split() + "); run again to resume.");
            }
            FirstTurn turn = row.firstTurn();
            if (turn instanceof FirstTurn.Truncated) {
                turn = refetchAlone(dataset, split, row.rowIdx());
            }
            lines.add(new QueryPartialFile.Line(row.rowIdx(), turn));
            expected++;
        }
        return lines;
    }

    /** A page cut down to fit the server's size limit gives the full row when asked for alone. */
    private FirstTurn refetchAlone(String dataset, SplitRef split, long rowIdx) {
        RowsPage single = client.rows(dataset, split.config(), split.split(), rowIdx, 1);
        return single.rows().stream().filter(r -> r.rowIdx() == rowIdx).findFirst()
                .map(ArenaRow::firstTurn)
                .filter(t -> !(t instanceof FirstTurn.Truncated))
                .orElse(new FirstTurn.Unusable("the server truncated the conversation even when asked for this row alone"));
    }

    private Report finish(Request request, Path partialPath, OptionalLong resumedAt) {
        QueryPartialFile.Contents contents = QueryPartialFile.read(partialPath)
                .orElseThrow(() -> new UncheckedIOException(new IOException("the download's progress file vanished: " + partialPath)));
        long limit = request.limit().orElse(Long.MAX_VALUE);
        List<String> queries = new ArrayList<>(contents.lines().size());
        List<SkippedRow> skipped = new ArrayList<>();
        long rows = 0;
        for (QueryPartialFile.Line line : contents.lines()) {
            if (line.rowIdx() >= limit) {
                break;
            }
            rows++;
            switch (line.turn()) {
                case FirstTurn.UserText t -> queries.add(t.text());
                case FirstTurn.Unusable u -> skipped.add(new SkippedRow(line.rowIdx(), u.reason()));
                case FirstTurn.Truncated t -> skipped.add(new SkippedRow(line.rowIdx(), "the server truncated the conversation"));
            }
        }
        PythonJson.with(request.escaping()).writeFile(queries, request.output());
        try {
            Files.deleteIfExists(partialPath);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + partialPath + ": " + e.getMessage(), e);
        }
        return new Report(request.output(), rows, queries.size(), skipped, resumedAt);
    }

    private static String describe(QueryPartialFile.Source source) {
        return source.dataset() + " (" + source.config() + "/" + source.split() + ")";
    }
}
