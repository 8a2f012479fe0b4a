package dev.schedbench.store;

import dev.schedbench.model.Policy;
import dev.schedbench.model.RunEvent;
import java.nio.file.Path;

/**
 * A process that records a run and keeps adding requests until it is killed: the crash test's
 * victim. Prints "started" once the run row is committed.
 */
public final class RecordingChild {

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        Database db = Database.open(file);
        RunRecorder recorder = RunRecorder.open(db);
        recorder.on(new RunEvent.Started(TestRuns.info(Policy.PRIORITY), TestRuns.STARTED, System.nanoTime()));
        // Not recorder.runIds(): it names the run before the writer's transaction commits.
        while (db.runs().list(RunFilter.all()).isEmpty()) {
            Thread.sleep(5);
        }
        System.out.println("started " + db.runs().list(RunFilter.all()).getFirst().id());
        System.out.flush();
        for (int i = 0; ; i++) {
            recorder.on(new RunEvent.RequestFinished(TestRuns.request(i, 50)));
            if (i % 20 == 0) {
                recorder.on(new RunEvent.Snapshot(i * 1_000_000L, 3, i, 0, 100, 10));
            }
            Thread.sleep(1);
        }
    }
}
