package dev.schedbench.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.schedbench.store.RunRepository;
import dev.schedbench.store.StoredRun;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Set;

/** What the charts draw: one or more runs, each labelled uniquely. */
public record ChartData(List<RunSeries> runs) {

    public ChartData {
        runs = List.copyOf(runs);
    }

    /** Loads runs from the database and labels them by policy, adding rate and id only where needed to tell them apart. */
    public static ChartData load(RunRepository repository, List<Long> runIds) {
        List<RunSeries> series = new ArrayList<>();
        for (long id : runIds) {
            StoredRun run = repository.require(id);
            series.add(RunSeries.of(id, "", run.header().policy(), requestRate(run), repository.requestTimings(id),
                    repository.samples(id), repository.serverSamples(id)));
        }
        return labelled(series);
    }

    /** Gives each run the shortest distinct label of: policy; policy @ rate; policy @ rate #id. */
    public static ChartData labelled(List<RunSeries> runs) {
        List<RunSeries> result = new ArrayList<>();
        for (int level = 0; level < 3; level++) {
            result.clear();
            Set<String> seen = new HashSet<>();
            boolean distinct = true;
            for (RunSeries s : runs) {
                String label = label(s, level);
                distinct &= seen.add(label);
                result.add(s.withLabel(label));
            }
            if (distinct) {
                break;
            }
        }
        return new ChartData(result);
    }

    private static String label(RunSeries s, int level) {
        String policy = s.policy().map(p -> p.cliName()).orElse("unknown policy");
        String rate = s.requestRateRps().isPresent() ? " @ " + Tables.number(s.requestRateRps().getAsDouble()) + " req/s" : "";
        return switch (level) {
            case 0 -> policy;
            case 1 -> policy + rate;
            default -> policy + rate + " #" + s.runId();
        };
    }

    /** The run's finite arrival rate, from its result document or else its spec. */
    static OptionalDouble requestRate(StoredRun run) {
        for (String json : List.of(run.header().result().summaryJson().orElse("{}"), run.header().specJson())) {
            JsonNode rate = ReportJson.parseOrText(json).path("request_rate");
            if (rate.isNumber() && Double.isFinite(rate.asDouble())) {
                return OptionalDouble.of(rate.asDouble());
            }
        }
        return OptionalDouble.empty();
    }

    public boolean hasRequests() {
        return runs.stream().anyMatch(RunSeries::hasRequests);
    }

    public boolean hasSamples() {
        return runs.stream().anyMatch(r -> !r.samples().isEmpty());
    }

    public boolean hasServerSamples() {
        return runs.stream().anyMatch(r -> !r.serverSamples().isEmpty());
    }
}
