package dev.schedbench.data;

import dev.schedbench.model.RunEvent;
import dev.schedbench.model.RunListener;
import dev.schedbench.model.UserError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Builds a model's oracle dataset, the seed's {@code {model}_data.json}: for each prompt the
 * generated text's length in characters and tokens. Finished prompts go to an
 * {@link OraclePartialFile} as they come, so a re-run continues where an interrupted or partly
 * failed one stopped; the dataset itself is written once every prompt has an answer.
 */
public final class OracleDatasetBuilder {

    public static final String TASK = "create-dataset";

    /**
     * What a build did.
     *
     * @param output   the dataset file (written only when {@link #complete()})
     * @param partial  where finished prompts are kept while some are missing
     * @param entries  prompts with an answer
     * @param prompts  prompts asked for
     * @param resumed  answers taken over from an earlier run
     * @param failed   prompts that failed for good this run, by index
     */
    public record Report(Path output, Path partial, int entries, int prompts, int resumed, List<OracleOutcome.Failed> failed) {

        public boolean complete() {
            return failed.isEmpty() && entries == prompts;
        }
    }

    private final OracleGenerator generator;
    private final RunListener listener;

    public OracleDatasetBuilder(OracleGenerator generator, RunListener listener) {
        this.generator = generator;
        this.listener = listener;
    }

    public Report build(List<String> prompts, OracleSettings settings, Path output, PythonJson.Escaping escaping) {
        Path partialPath = OraclePartialFile.pathFor(output);
        Map<Integer, OraclePartialFile.Line> done = new ConcurrentHashMap<>();
        OraclePartialFile partial = openPartial(prompts, settings, partialPath, done);
        int resumed = done.size();
        List<PromptJob> jobs = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            if (!done.containsKey(i)) {
                jobs.add(new PromptJob(i, prompts.get(i)));
            }
        }
        if (resumed > 0) {
            listener.on(new RunEvent.Log(TASK, "resuming: " + resumed + " of " + prompts.size()
                    + " prompts already done in " + partialPath));
        }
        List<OracleOutcome.Failed> failed = new CopyOnWriteArrayList<>();
        try (partial) {
            if (!jobs.isEmpty()) {
                runJobs(jobs, prompts, settings, partial, done, failed);
            }
        } catch (UserError e) {
            if (done.isEmpty()) {
                throw e;
            }
            throw new UserError(e.getMessage() + (e.getMessage().endsWith(".") ? "" : ".") + " The " + done.size() + " of "
                    + prompts.size() + " prompts done so far are kept in " + partialPath
                    + "; run the same command again to continue.", e);
        }
        List<OracleOutcome.Failed> sortedFailures = failed.stream().sorted(Comparator.comparingInt(OracleOutcome.Failed::index)).toList();
        Report report = new Report(output, partialPath, done.size(), prompts.size(), resumed, sortedFailures);
        if (report.complete()) {
            PythonJson.with(escaping).writeFile(entries(prompts.size(), done), output);
            try {
                Files.deleteIfExists(partialPath);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete " + partialPath + ": " + e.getMessage(), e);
            }
        }
        return report;
    }

    private void runJobs(List<PromptJob> jobs, List<String> prompts, OracleSettings settings, OraclePartialFile partial,
                         Map<Integer, OraclePartialFile.Line> done, List<OracleOutcome.Failed> failed) {
        int alreadyDone = done.size();
        AtomicInteger finished = new AtomicInteger(alreadyDone);
        long startNanos = System.nanoTime();
        generator.generate(jobs, settings, outcome -> {
            switch (outcome) {
                case OracleOutcome.Generated g -> {
                    OraclePartialFile.Line line = new OraclePartialFile.Line(g.index(), prompts.get(g.index()),
                            g.outputLen(), g.outputTokens());
                    if (done.putIfAbsent(g.index(), line) == null) {
                        partial.append(line);
                    }
                }
                case OracleOutcome.Failed f -> failed.add(f);
            }
            int n = finished.incrementAndGet();
            double seconds = (System.nanoTime() - startNanos) / 1e9;
            listener.on(new RunEvent.Progress(TASK, n, prompts.size(), "prompts",
                    seconds > 0 ? (n - alreadyDone) / seconds : 0));
        });
    }

    private OraclePartialFile openPartial(List<String> prompts, OracleSettings settings, Path partialPath,
                                          Map<Integer, OraclePartialFile.Line> done) {
        Optional<OraclePartialFile.Contents> earlier = OraclePartialFile.read(partialPath);
        if (earlier.isEmpty()) {
            return OraclePartialFile.create(partialPath, settings);
        }
        OraclePartialFile.Contents contents = earlier.get();
        if (!contents.settings().equals(settings)) {
            listener.on(new RunEvent.Log(TASK, "starting over: " + partialPath + " was made with " + describe(contents.settings())
                    + ", this run asks for " + describe(settings)));
            return OraclePartialFile.create(partialPath, settings);
        }
        for (OraclePartialFile.Line line : contents.lines().values()) {
            if (line.index() < prompts.size() && !prompts.get(line.index()).equals(line.input())) {
                listener.on(new RunEvent.Log(TASK, "starting over: the prompts differ from those in " + partialPath
                        + " (prompt " + line.index() + " changed)"));
                done.clear();
                return OraclePartialFile.create(partialPath, settings);
            }
            if (line.index() < prompts.size()) {
                done.put(line.index(), line);
            }
        }
        return OraclePartialFile.append(partialPath);
    }

    private static List<Map<String, Object>> entries(int count, Map<Integer, OraclePartialFile.Line> done) {
        List<Map<String, Object>> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            OraclePartialFile.Line line = done.get(i);
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("input", line.input());
            entry.put("output_len", line.outputLen());
            entry.put("output_tokens", line.outputTokens());
            entries.add(entry);
        }
        return entries;
    }

    private static String describe(OracleSettings s) {
        return "model " + s.model() + ", output length " + s.outputLen() + ", temperature " + s.temperature();
    }
}
