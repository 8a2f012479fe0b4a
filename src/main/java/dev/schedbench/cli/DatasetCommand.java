package dev.schedbench.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.schedbench.data.Annotation;
import dev.schedbench.data.Dataset;
import dev.schedbench.data.DatasetEntry;
import dev.schedbench.data.DatasetFormat;
import dev.schedbench.data.DatasetReader;
import dev.schedbench.data.DatasetSummary;
import dev.schedbench.data.DatasetValidator;
import dev.schedbench.data.Distribution;
import dev.schedbench.data.LocalTokenCounter;
import dev.schedbench.data.PriorityAnnotator;
import dev.schedbench.data.PythonJson;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dataset}: look at, check, import and annotate oracle datasets. */
@Command(name = "dataset", mixinStandardHelpOptions = true,
        description = "Look at, check, import and annotate oracle datasets ({model}_data.json, ShareGPT, JSON Lines).",
        subcommands = {DatasetCommand.Show.class, DatasetCommand.Validate.class, DatasetCommand.Import.class,
            DatasetCommand.Annotate.class})
final class DatasetCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * The model a file name suggests for counting prompt tokens: {@code facebook_opt-125m_data.json}
     * reads as {@code facebook/opt-125m}, {@code gpt2_sample_data.json} as {@code gpt2} (a first part
     * without digits is taken for an organisation); anything else as GPT-2.
     */
    static String tokenizerHint(Path file) {
        String name = file.getFileName().toString();
        if (!name.endsWith("_data.json")) {
            return "gpt2";
        }
        String[] parts = name.substring(0, name.length() - "_data.json".length()).split("_");
        boolean organisation = parts.length > 1 && parts[0].chars().noneMatch(Character::isDigit);
        return organisation ? parts[0] + "/" + parts[1] : parts[0];
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Summarise a dataset: entries, prompt and output token distributions (min, p50, p90, max, mean).")
    static final class Show implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "The dataset file.")
        Path file;

        @Option(names = "--tokenizer", paramLabel = "MODEL",
                description = "Count prompt tokens as this model's tokenizer (default: the model the file name suggests, else gpt2).")
        String tokenizer;

        @Option(names = "--json", description = "Print the summary as JSON.")
        boolean json;

        @Override
        public Integer call() {
            String model = Optional.ofNullable(tokenizer).orElseGet(() -> tokenizerHint(file));
            LocalTokenCounter counter = LocalTokenCounter.forModel(model);
            DatasetSummary summary = DatasetSummary.of(DatasetReader.read(file, counter), counter);
            PrintWriter out = spec.commandLine().getOut();
            out.println(json ? PythonJson.with(PythonJson.Escaping.UTF8).toJson(asMap(summary)) : table(summary));
            out.flush();
            return 0;
        }

        static Map<String, Object> asMap(DatasetSummary s) {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("file", s.file().toString());
            map.put("format", s.format().name().toLowerCase(Locale.ROOT));
            map.put("entries", s.entries());
            map.put("skipped", s.skipped());
            map.put("tokenizer", s.tokenizer());
            map.put("prompt_tokens", stats(s.promptTokens()));
            map.put("output_tokens", stats(s.outputTokens()));
            map.put("output_len", s.outputChars().map(Show::stats).orElse(null));
            map.put("extra_fields", s.extraFields());
            return map;
        }

        private static Map<String, Object> stats(Distribution d) {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("min", (long) d.min());
            map.put("p50", d.p50());
            map.put("p90", d.p90());
            map.put("max", (long) d.max());
            map.put("mean", d.mean());
            return map;
        }

        static String table(DatasetSummary s) {
            StringBuilder out = new StringBuilder();
            out.append(String.format(Locale.ROOT, "%-11s %s%n", "file", s.file()));
            out.append(String.format(Locale.ROOT, "%-11s %s%n", "format", s.format().description()));
            out.append(String.format(Locale.ROOT, "%-11s %d%s%n", "entries", s.entries(),
                    s.skipped() > 0 ? " (" + s.skipped() + " skipped: conversations with fewer than two turns)" : ""));
            out.append(String.format(Locale.ROOT, "%-11s %s%n%n", "tokenizer", s.tokenizer()));
            out.append(String.format(Locale.ROOT, "%-26s %8s %8s %8s %8s %9s%n", "", "min", "p50", "p90", "max", "mean"));
            row(out, "prompt tokens", s.promptTokens());
            row(out, "output tokens", s.outputTokens());
            s.outputChars().ifPresent(d -> row(out, "output chars (output_len)", d));
            if (!s.extraFields().isEmpty()) {
                out.append(String.format(Locale.ROOT, "%nextra fields: %s%n", String.join(", ", s.extraFields())));
            }
            return out.toString().stripTrailing();
        }

        private static void row(StringBuilder out, String label, Distribution d) {
            out.append(String.format(Locale.ROOT, "%-26s %8d %8s %8s %8d %9.2f%n", label, (long) d.min(), number(d.p50()),
                    number(d.p90()), (long) d.max(), d.mean()));
        }

        private static String number(double v) {
            return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
        }
    }

    @Command(name = "validate", mixinStandardHelpOptions = true,
            description = "Check every entry of a dataset and list each problem with its entry index.")
    static final class Validate implements Callable<Integer> {

        static final int SHOWN = 50;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "The dataset file.")
        Path file;

        @Override
        public Integer call() {
            DatasetValidator.Report report = DatasetValidator.validate(file);
            PrintWriter out = spec.commandLine().getOut();
            String format = report.format().map(f -> " (" + f.description() + ")").orElse("");
            if (report.valid()) {
                out.println(file + ": " + report.entries() + " entries" + format + ", all valid");
                out.flush();
                return 0;
            }
            out.println(file + ": " + report.entries() + " entries" + format + ", " + report.problems().size() + " problems");
            report.problems().stream().limit(SHOWN).forEach(p -> out.println("  " + p));
            if (report.problems().size() > SHOWN) {
                out.println("  … and " + (report.problems().size() - SHOWN) + " more");
            }
            out.flush();
            throw new dev.schedbench.model.UserError("dataset file " + file + " has " + report.problems().size()
                    + " problem" + (report.problems().size() == 1 ? "" : "s") + " (listed above)");
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Check a dataset (seed JSON, ShareGPT or JSON Lines of {prompt, output_tokens}) and copy it into "
                    + "the workspace in the seed's {model}_data.json format.")
    static final class Import implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        WorkspaceOption workspaceOption;

        @Parameters(paramLabel = "FILE", description = "The dataset file.")
        Path file;

        @Option(names = "--name", paramLabel = "NAME", description = "File name in WORKSPACE/data (default: FILE's name, ending in _data.json).")
        String name;

        @Option(names = "--tokenizer", paramLabel = "MODEL", defaultValue = "gpt2",
                description = "Counts ShareGPT answers' tokens as this model's tokenizer (default: ${DEFAULT-VALUE}).")
        String tokenizer;

        @Option(names = "--ascii", description = "Escape non-ASCII characters as \\uXXXX, as Python's json.dump does by default.")
        boolean ascii;

        @Override
        public Integer call() {
            Dataset dataset = DatasetReader.read(file, LocalTokenCounter.forModel(tokenizer));
            Path target = workspaceOption.workspace().dataDir().resolve(Optional.ofNullable(name).orElseGet(() -> defaultName(file)));
            List<Map<String, Object>> entries = new ArrayList<>(dataset.size());
            for (DatasetEntry e : dataset.entries()) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("input", e.prompt());
                e.outputChars().ifPresent(chars -> entry.put("output_len", chars));
                entry.put("output_tokens", e.outputTokens());
                entry.putAll(e.extra());
                entries.add(entry);
            }
            PythonJson.with(ascii ? PythonJson.Escaping.ASCII : PythonJson.Escaping.UTF8).writeFile(entries, target);
            PrintWriter out = spec.commandLine().getOut();
            out.println("imported " + dataset.size() + " entries (" + dataset.format().description() + ") to " + target
                    + (dataset.skipped() > 0 ? "; skipped " + dataset.skipped() + " conversations with fewer than two turns" : ""));
            out.flush();
            return 0;
        }

        static String defaultName(Path file) {
            String name = file.getFileName().toString();
            int dot = name.lastIndexOf('.');
            String base = dot > 0 ? name.substring(0, dot) : name;
            return base.endsWith("_data") ? base + ".json" : base + "_data.json";
        }
    }

    @Command(name = "annotate", mixinStandardHelpOptions = true,
            description = {"Add priority fields to every entry, keeping the fields it has.",
                "noisy:S1[,S2...] adds output_tokens_noise_S for each S as the fork's",
                "  add_noise.py: round(gauss(output_tokens, S)) from Python's random seeded",
                "  with 585, clamped to [15, 1025].",
                "binned:K adds output_tokens_binned_K: class 0..K-1 by quantile of",
                "  output_tokens.",
                "binned:E1,E2,... adds output_tokens_binned_E1_E2: class 0 up to E1",
                "  (inclusive), 1 up to E2, ..., the last above the last edge.",
                "Benchmarks use a field with --priority predicted:FIELD."})
    static final class Annotate implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "The dataset file (seed JSON or JSON Lines with output_tokens).")
        Path file;

        @Option(names = "--priority", required = true, paramLabel = "SPEC", description = "binned:K, binned:E1,E2,... or noisy:SIGMA[,SIGMA...]")
        String priority;

        @Option(names = "--seed", defaultValue = "585", description = "Seed of Python's random for noisy (default: ${DEFAULT-VALUE}, the fork's).")
        long seed;

        @Option(names = "--min", defaultValue = "15", description = "Smallest noisy value (default: ${DEFAULT-VALUE}, the fork's).")
        int min;

        @Option(names = "--max", defaultValue = "1025", description = "Largest noisy value (default: ${DEFAULT-VALUE}, the fork's 1024 + 1).")
        int max;

        @Option(names = "--out", paramLabel = "FILE", description = "Output file (default: FILE with _data.json as _annotated_data.json, "
                + "else _annotated before the extension; may be FILE itself).")
        Path out;

        @Option(names = "--ascii", description = "Escape non-ASCII characters as \\uXXXX, as the fork's json.dump did.")
        boolean ascii;

        @Override
        public Integer call() {
            Annotation annotation = Annotation.parse(priority, seed, min, max);
            Dataset dataset = DatasetReader.read(file);
            if (dataset.format() == DatasetFormat.SHAREGPT) {
                throw new dev.schedbench.model.UserError("dataset file " + file + " is ShareGPT, whose entries carry no "
                        + "output_tokens to annotate; import it first with 'schedbench dataset import " + file + "'");
            }
            ArrayNode entries = DatasetValidator.readEntries(file);
            PriorityAnnotator.Result result = PriorityAnnotator.annotate(entries, annotation);
            Path target = Optional.ofNullable(out).orElseGet(() -> annotatedName(file));
            PythonJson.with(ascii ? PythonJson.Escaping.ASCII : PythonJson.Escaping.UTF8).writeFile(entries, target);
            PrintWriter stdout = spec.commandLine().getOut();
            stdout.println("added " + String.join(", ", result.fields()) + " to " + entries.size() + " entries: " + target);
            if (annotation instanceof Annotation.Bins) {
                stdout.println(binReport(entries, result));
            }
            stdout.flush();
            return 0;
        }

        private static String binReport(ArrayNode entries, PriorityAnnotator.Result result) {
            int[] counts = new int[result.edges().length + 1];
            entries.forEach(e -> counts[e.path(result.fields().getFirst()).asInt()]++);
            if (counts.length == 1) {
                return "one class (0) for all " + counts[0] + " entries";
            }
            StringBuilder text = new StringBuilder("classes by output_tokens:");
            for (int k = 0; k < counts.length; k++) {
                String range = k == 0 ? "<= " + Show.number(result.edges()[0])
                        : k == counts.length - 1 ? "> " + Show.number(result.edges()[k - 1])
                        : "(" + Show.number(result.edges()[k - 1]) + ", " + Show.number(result.edges()[k]) + "]";
                text.append(String.format(Locale.ROOT, "%n  %d  %-16s %d entries", k, range, counts[k]));
            }
            return text.toString();
        }

        static Path annotatedName(Path file) {
            String name = file.getFileName().toString();
            if (name.endsWith("_data.json")) {
                return file.resolveSibling(name.substring(0, name.length() - "_data.json".length()) + "_annotated_data.json");
            }
            int dot = name.lastIndexOf('.');
            return file.resolveSibling(dot > 0 ? name.substring(0, dot) + "_annotated" + name.substring(dot) : name + "_annotated");
        }
    }
}
