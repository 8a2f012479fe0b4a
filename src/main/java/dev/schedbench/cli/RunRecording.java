package dev.schedbench.cli;

import dev.schedbench.model.RunListener;
import dev.schedbench.model.Workspace;
import dev.schedbench.store.RunRecorder;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;

/**
 * Where a benchmark command's events go besides its progress bar: the workspace's run database,
 * unless {@code --no-store} was given. Opened before the run starts, so a database that cannot be
 * used (a newer version, a locked file) stops the command before any request is sent.
 */
final class RunRecording implements AutoCloseable {

    private final Optional<RunRecorder> recorder;
    private final Workspace workspace;
    private final PrintWriter err;

    private RunRecording(Optional<RunRecorder> recorder, Workspace workspace, PrintWriter err) {
        this.recorder = recorder;
        this.workspace = workspace;
        this.err = err;
    }

    static RunRecording into(Workspace workspace, PrintWriter err) {
        return new RunRecording(Optional.of(RunRecorder.open(workspace)), workspace, err);
    }

    static RunRecording nowhere(Workspace workspace, PrintWriter err) {
        return new RunRecording(Optional.empty(), workspace, err);
    }

    /** The progress listener followed by the recorder, if there is one. */
    RunListener listener(RunListener progress) {
        return recorder.<RunListener>map(r -> RunListener.all(List.of(progress, r))).orElse(progress);
    }

    @Override
    public void close() {
        recorder.ifPresent(r -> {
            r.close();
            r.runIds().forEach(id -> err.println("Recorded as run " + id + " in " + workspace.database()
                    + " (schedbench runs show " + id + ")"));
            err.flush();
        });
    }
}
