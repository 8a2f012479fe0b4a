package dev.schedbench.cli;

import dev.schedbench.data.DatasetsServerClient;
import dev.schedbench.data.HfToken;
import dev.schedbench.data.PythonJson;
import dev.schedbench.data.QueryDownloader;
import dev.schedbench.data.RetryPolicy;
import dev.schedbench.data.Sleeper;
import dev.schedbench.model.Workspace;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code download-queries}: the seed's {@code download_queries.py} over the datasets-server REST API. */
@Command(name = "download-queries", mixinStandardHelpOptions = true,
        description = {
            "Download the first user turn of every Chatbot Arena conversation, in dataset order, as a JSON array "
                    + "of strings (the seed's chatbot_queries.json).",
            "The dataset is gated: accept its conditions on its Hugging Face page and provide a token "
                    + "(environment variable, the workspace's hf-token file, or huggingface-cli login).",
            "An interrupted download resumes where it stopped when run again."})
final class DownloadQueriesCommand implements Callable<Integer> {

    static final String DEFAULT_FILE_NAME = "chatbot_queries.json";

    private final HostEnvironment environment;

    @Spec
    CommandSpec spec;

    @Mixin
    WorkspaceOption workspaceOption;

    @Option(names = "--dataset", paramLabel = "ID", defaultValue = QueryDownloader.DEFAULT_DATASET,
            description = "Dataset id on the Hugging Face Hub (default: ${DEFAULT-VALUE}).")
    String dataset;

    @Option(names = "--split", defaultValue = QueryDownloader.DEFAULT_SPLIT, description = "Split (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--config", description = "Dataset config (default: the one /splits lists for the split, 'default' first).")
    String config;

    @Option(names = "--datasets-server-url", paramLabel = "URL", defaultValue = "https://datasets-server.huggingface.co",
            description = "Dataset viewer API root (default: ${DEFAULT-VALUE}).")
    URI datasetsServerUrl;

    @Option(names = "--token-env", paramLabel = "VAR", defaultValue = "HF_TOKEN",
            description = "Environment variable holding the Hugging Face token (default: ${DEFAULT-VALUE}).")
    String tokenEnv;

    @Option(names = "--limit", paramLabel = "N", description = "Only the first N rows.")
    Long limit;

    @Option(names = "--ascii", description = "Escape non-ASCII characters as \\uXXXX, as Python's json.dump does by default.")
    boolean ascii;

    @Option(names = "--out", paramLabel = "FILE", description = "Output file (default: WORKSPACE/data/" + DEFAULT_FILE_NAME + ").")
    Path out;

    @Option(names = "--retries", paramLabel = "N", defaultValue = "8",
            description = "Attempts per request on connection failures, HTTP 429 and 5xx (default: ${DEFAULT-VALUE}).")
    int attempts;

    @Option(names = "--retry-delay-ms", hidden = true, defaultValue = "1000", description = "First back-off wait.")
    long retryDelayMs;

    DownloadQueriesCommand() {
        this(HostEnvironment.current());
    }

    DownloadQueriesCommand(HostEnvironment environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() {
        Workspace workspace = workspaceOption.workspace();
        Path output = Optional.ofNullable(out).orElseGet(() -> workspace.dataDir().resolve(DEFAULT_FILE_NAME));
        Optional<HfToken> token = HfToken.find(tokenEnv, environment.variables(), workspace.root(), environment.home());
        RetryPolicy retry = RetryPolicy.DEFAULT.withMaxAttempts(Math.max(1, attempts))
                .withInitialDelay(Duration.ofMillis(Math.max(0, retryDelayMs)));
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter outWriter = spec.commandLine().getOut();
        try (StderrProgress progress = StderrProgress.on(err)) {
            DatasetsServerClient client = new DatasetsServerClient(DatasetsServerClient.newHttpClient(), datasetsServerUrl,
                    token, retry, Sleeper.REAL);
            QueryDownloader.Request request = new QueryDownloader.Request(dataset, Optional.ofNullable(config), split,
                    limit == null ? OptionalLong.empty() : OptionalLong.of(limit), output,
                    ascii ? PythonJson.Escaping.ASCII : PythonJson.Escaping.UTF8);
            QueryDownloader.Report report = new QueryDownloader(client, progress).download(request);
            progress.close();
            summarize(report, outWriter);
        }
        return 0;
    }

    private static void summarize(QueryDownloader.Report report, PrintWriter out) {
        out.println("wrote " + report.queries() + " queries from " + report.rowsRead() + " rows to " + report.output()
                + report.resumedAtRow().stream().mapToObj(r -> " (resumed at row " + r + ")").findFirst().orElse(""));
        if (!report.skipped().isEmpty()) {
            String reasons = report.skipped().stream()
                    .collect(Collectors.groupingBy(QueryDownloader.SkippedRow::reason, java.util.TreeMap::new, Collectors.counting()))
                    .entrySet().stream().map(e -> e.getValue() + " × " + e.getKey()).collect(Collectors.joining("; "));
            String rows = report.skipped().stream().limit(20).map(s -> Long.toString(s.rowIdx())).collect(Collectors.joining(", "))
                    + (report.skipped().size() > 20 ? ", …" : "");
            out.println("skipped " + report.skipped().size() + " rows without a user first turn: " + reasons + " (rows " + rows + ")");
        }
        out.flush();
    }
}
