package dev.schedbench.cli;

import dev.schedbench.model.UserError;
import dev.schedbench.report.ChartData;
import dev.schedbench.report.ChartKind;
import dev.schedbench.report.Charts;
import dev.schedbench.report.FullJson;
import dev.schedbench.report.HtmlReport;
import dev.schedbench.report.PngExport;
import dev.schedbench.report.RequestsCsv;
import dev.schedbench.report.VllmJson;
import dev.schedbench.store.Database;
import dev.schedbench.store.RunRepository;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code schedbench runs export ID… --format F --out FILE}. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Export runs.",
            "json: everything about one run (imports back exactly); vllm-json: one run as vLLM's result file;",
            "csv: one run's requests; png: one chart of one or more runs (--chart); html: a self-contained report of one or more runs."})
final class RunsExportCommand implements Callable<Integer> {

    enum Format { JSON, VLLM_JSON, CSV, PNG, HTML }

    @Mixin
    WorkspaceOption workspace;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "ID", arity = "1..*", description = "The run (png and html: one or more runs).")
    List<Long> ids;

    @Option(names = "--format", required = true, paramLabel = "FORMAT", converter = FormatConverter.class,
            description = "json, vllm-json, csv, png or html.")
    Format format;

    @Option(names = "--out", paramLabel = "FILE",
            description = "Where to write; json, vllm-json and csv go to standard output without it.")
    Path out;

    @Option(names = "--chart", paramLabel = "NAME", description = "The chart for png: ${COMPLETION-CANDIDATES}.",
            completionCandidates = ChartNames.class)
    String chart;

    @Option(names = "--width", paramLabel = "PX", defaultValue = "1200", description = "PNG width (default ${DEFAULT-VALUE}).")
    int width;

    @Option(names = "--height", paramLabel = "PX", defaultValue = "800", description = "PNG height (default ${DEFAULT-VALUE}).")
    int height;

    @Override
    public Integer call() throws IOException {
        if (format != Format.PNG && chart != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--chart only applies to --format png");
        }
        switch (format) {
            case JSON, VLLM_JSON, CSV -> {
                if (ids.size() != 1) {
                    throw new CommandLine.ParameterException(spec.commandLine(),
                            "--format " + name(format) + " exports one run; got " + ids.size());
                }
            }
            case PNG -> {
                if (chart == null) {
                    throw new CommandLine.ParameterException(spec.commandLine(),
                            "--format png needs --chart NAME, one of: " + String.join(", ", new ChartNames()));
                }
                requireOut();
            }
            case HTML -> requireOut();
        }
        ChartKind kind = chart == null ? null : parseChart();
        try (Database db = Database.open(workspace.workspace())) {
            RunRepository runs = db.runs();
            ids.forEach(runs::require);
            long id = ids.getFirst();
            switch (format) {
                case JSON -> text(w -> FullJson.write(runs.content(id), w));
                case VLLM_JSON -> text(w -> w.write(VllmJson.toJson(runs.require(id), runs.requests(id))));
                case CSV -> text(w -> RequestsCsv.write(runs.requests(id), w));
                case PNG -> {
                    Headless.ensure();
                    PngExport.write(Charts.create(kind, ChartData.load(runs, ids)), out, width, height);
                }
                case HTML -> {
                    Headless.ensure();
                    HtmlReport.write(out, runs, ids);
                }
            }
        }
        if (out != null) {
            spec.commandLine().getErr().println("wrote " + out);
            spec.commandLine().getErr().flush();
        }
        return 0;
    }

    private ChartKind parseChart() {
        try {
            return ChartKind.parse(chart);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private void requireOut() {
        if (out == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--format " + name(format) + " needs --out FILE");
        }
    }

    @FunctionalInterface
    private interface TextWriter {
        void write(Writer writer) throws IOException;
    }

    private void text(TextWriter body) throws IOException {
        if (out == null) {
            Writer w = spec.commandLine().getOut();
            body.write(w);
            w.flush();
            return;
        }
        Path parent = out.toAbsolutePath().getParent();
        try {
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
                body.write(w);
            }
        } catch (IOException e) {
            throw new UserError("cannot write " + out + ": " + e.getMessage() + "; check that the folder is writable", e);
        }
    }

    static String name(Format format) {
        return format.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    static final class FormatConverter implements CommandLine.ITypeConverter<Format> {
        @Override
        public Format convert(String value) {
            for (Format f : Format.values()) {
                if (name(f).equalsIgnoreCase(value.trim().replace('_', '-'))) {
                    return f;
                }
            }
            throw new CommandLine.TypeConversionException("unknown format '" + value
                    + "'; expected json, vllm-json, csv, png or html");
        }
    }

    static final class ChartNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return java.util.Arrays.stream(ChartKind.values()).map(ChartKind::cliName).iterator();
        }
    }
}
