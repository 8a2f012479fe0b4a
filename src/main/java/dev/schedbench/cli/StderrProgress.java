package dev.schedbench.cli;

import dev.schedbench.model.RunEvent;
import dev.schedbench.model.RunListener;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Shows {@link RunEvent.Progress} as a progress bar with rate and ETA on stderr, and
 * {@link RunEvent.Log} lines as notes. On a terminal the bar redraws in place; otherwise (a pipe, a
 * log file, tests) it prints a line at most every few seconds and always the last one.
 */
final class StderrProgress implements RunListener, AutoCloseable {

    private static final int WIDTH = 30;
    private static final long TERMINAL_REDRAW_NANOS = 100_000_000L;
    private static final long LINE_INTERVAL_NANOS = 5_000_000_000L;

    private final PrintWriter err;
    private final boolean redrawInPlace;
    private long lastPrintNanos;
    private boolean barShown;
    private boolean anyPrinted;

    private StderrProgress(PrintWriter err, boolean redrawInPlace) {
        this.err = err;
        this.redrawInPlace = redrawInPlace;
    }

    /** A bar that redraws in place when the process runs on a terminal. */
    static StderrProgress on(PrintWriter err) {
        java.io.Console console = System.console();
        return new StderrProgress(err, console != null && console.isTerminal());
    }

    static StderrProgress lines(PrintWriter err) {
        return new StderrProgress(err, false);
    }

    @Override
    public synchronized void on(RunEvent event) {
        switch (event) {
            case RunEvent.Progress p -> progress(p);
            case RunEvent.Log log -> {
                endBar();
                err.println("[" + log.source() + "] " + log.line());
                err.flush();
            }
            case RunEvent.Started s -> { }
            case RunEvent.RequestFinished r -> { }
            case RunEvent.Snapshot s -> { }
            case RunEvent.ServerState s -> { }
            case RunEvent.Finished f -> endBar();
            case RunEvent.Failed f -> endBar();
        }
    }

    private void progress(RunEvent.Progress p) {
        long now = System.nanoTime();
        boolean last = p.total() > 0 && p.done() >= p.total();
        long interval = redrawInPlace ? TERMINAL_REDRAW_NANOS : LINE_INTERVAL_NANOS;
        if (!last && anyPrinted && now - lastPrintNanos < interval) {
            return;
        }
        lastPrintNanos = now;
        anyPrinted = true;
        String line = render(p);
        if (redrawInPlace) {
            err.print("\r" + line + "\u001b[K");
            barShown = true;
            if (last) {
                endBar();
            }
        } else {
            err.println(line);
        }
        err.flush();
    }

    static String render(RunEvent.Progress p) {
        StringBuilder line = new StringBuilder(p.task()).append(' ');
        if (p.total() > 0) {
            double fraction = Math.min(1, (double) p.done() / p.total());
            int filled = (int) Math.round(fraction * WIDTH);
            line.append('[').append("#".repeat(filled)).append(".".repeat(WIDTH - filled)).append("] ")
                    .append(p.done()).append('/').append(p.total()).append(' ').append(p.unit())
                    .append(String.format(Locale.ROOT, " %3.0f%%", fraction * 100));
        } else {
            line.append(p.done()).append(' ').append(p.unit());
        }
        if (p.ratePerSecond() > 0) {
            line.append(String.format(Locale.ROOT, "  %.1f %s/s", p.ratePerSecond(), p.unit()));
            if (p.total() > p.done()) {
                line.append("  ETA ").append(duration((long) Math.ceil((p.total() - p.done()) / p.ratePerSecond())));
            }
        }
        return line.toString();
    }

    static String duration(long seconds) {
        if (seconds >= 3600) {
            return String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, (seconds % 3600) / 60);
        }
        if (seconds >= 60) {
            return String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
        }
        return seconds + "s";
    }

    private void endBar() {
        if (barShown) {
            err.println();
            err.flush();
            barShown = false;
        }
    }

    @Override
    public synchronized void close() {
        endBar();
    }
}
