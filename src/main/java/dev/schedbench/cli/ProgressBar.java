package dev.schedbench.cli;

import dev.schedbench.model.RunEvent;
import dev.schedbench.model.RunListener;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * A tqdm-like progress line on stderr for a serving run, redrawn on each snapshot: done/total,
 * elapsed, estimated time left, completions per second, and failures when there are any.
 */
final class ProgressBar implements RunListener {

    private static final int WIDTH = 25;

    private final PrintWriter err;
    private final boolean showBar;
    private volatile int total;
    private String lastLine = "";

    ProgressBar(PrintWriter err, boolean showBar) {
        this.err = err;
        this.showBar = showBar;
    }

    @Override
    public synchronized void on(RunEvent event) {
        switch (event) {
            case RunEvent.Log log -> {
                clearLine();
                err.println(log.line());
                err.flush();
            }
            case RunEvent.Started started -> total = started.info().totalRequests();
            case RunEvent.Snapshot s -> draw(s);
            case RunEvent.Finished f -> finishLine();
            case RunEvent.Failed f -> finishLine();
            case RunEvent.RequestFinished r -> { }
            case RunEvent.Progress p -> { }
            case RunEvent.ServerState s -> { }
        }
    }

    private void draw(RunEvent.Snapshot s) {
        if (!showBar || total == 0) {
            return;
        }
        int done = s.completed() + s.failed();
        double fraction = Math.min(1, done / (double) total);
        double elapsed = s.elapsedNanos() / 1e9;
        double rate = elapsed > 0 ? done / elapsed : 0;
        String eta = rate > 0 ? clock((total - done) / rate) : "?";
        int filled = (int) Math.round(fraction * WIDTH);
        String line = String.format(Locale.ROOT, "%3d%%|%s%s| %d/%d [%s<%s, %.2f req/s]%s", Math.round(fraction * 100),
                "#".repeat(filled), " ".repeat(WIDTH - filled), done, total, clock(elapsed), eta, rate,
                s.failed() > 0 ? " (" + s.failed() + " failed)" : "");
        if (!line.equals(lastLine)) {
            err.print("\r" + line);
            err.flush();
            lastLine = line;
        }
    }

    private void clearLine() {
        if (!lastLine.isEmpty()) {
            err.print("\r" + " ".repeat(lastLine.length()) + "\r");
        }
    }

    private void finishLine() {
        if (!lastLine.isEmpty()) {
            err.println();
            err.flush();
            lastLine = "";
        }
    }

    private static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600
                ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%02d:%02d", s / 60, s % 60);
    }
}
