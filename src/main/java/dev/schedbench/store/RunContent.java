package dev.schedbench.store;

import dev.schedbench.model.RequestRecord;
import dev.schedbench.model.RunEvent;
import java.util.List;

/** Everything about one run, for saving it whole (an import, a run computed in one go). */
public record RunContent(
        RunHeader header,
        List<RequestRecord> requests,
        List<RunEvent.Snapshot> samples,
        List<RunEvent.ServerState> serverSamples,
        List<String> tags,
        List<Note> notes) {

    public RunContent {
        requests = List.copyOf(requests);
        samples = List.copyOf(samples);
        serverSamples = List.copyOf(serverSamples);
        tags = List.copyOf(tags);
        notes = List.copyOf(notes);
    }
}
