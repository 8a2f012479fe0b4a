package dev.schedbench.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/**
 * Writes {@code src/test/resources/store/schema-v1.db}: a database as schema version 1 left it,
 * with one finished run and two requests. Kept as a binary file so that edits to released
 * migration scripts cannot go unnoticed; rerun only if the fixture itself must change.
 */
public final class SchemaV1Fixture {

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "src/test/resources/store/schema-v1.db");
        Files.deleteIfExists(out);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + out)) {
            Migrations.migrate(c, 1);
            String itl = java.util.HexFormat.of().formatHex(ItlCodec.encode(new long[] {1_000_000, 2_000_000}));
            try (Statement st = c.createStatement()) {
                st.execute("""
                        INSERT INTO runs (kind, status, engine, model, policy, spec_json, server_command, total_requests,
                            schedbench_version, java_version, javafx_version, host, owner_pid, owner_started_ms,
                            started_at_ms, updated_at_ms, finished_at_ms, message, summary_json, result_keys_json,
                            extra_json, imported, source_file)
                        VALUES ('serve', 'finished', 'sim', 'gpt2', 'fcfs', '{"num_prompts":2}', NULL, 2,
                            '0.1.0', '25.0.3', '25.0.4', 'fixture-host', 4242, 1732443600000,
                            1732443600000, 1732443660000, 1732443660000, '', '{"completed":2}', '["completed","ttfts"]',
                            NULL, 0, NULL)""");
                // ITLs 1 ms then 2 ms, as ItlCodec writes them.
                st.execute("""
                        INSERT INTO requests (run_id, idx, prompt_tokens, output_tokens, max_tokens, priority,
                            priority_class, scheduled_send_ns, actual_send_ns, ttft_ns, e2el_ns, itl_us, error)
                        VALUES (1, 0, 10, 3, 16, 3, 0, 0, 1000, 5000000, 8000000, X'%s', ''),
                               (1, 1, 12, 0, 16, NULL, 0, 100000000, 100002000, 0, 0, X'', 'Internal Server Error')""".formatted(itl));
                st.execute("INSERT INTO request_texts (run_id, idx, text) VALUES (1, 0, 'Hello there!')");
                st.execute("""
                        INSERT INTO samples VALUES (1, 0, 1000000000, 1, 1, 0, 3.0, 1.0)""");
                st.execute("PRAGMA journal_mode = DELETE");
            }
        }
    }
}
