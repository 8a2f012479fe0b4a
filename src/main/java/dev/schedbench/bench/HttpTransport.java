package dev.schedbench.bench;

import dev.schedbench.model.UserError;
import java.util.Locale;

/**
 * Which HTTP implementation streams the benchmark's requests. Both give the same outcomes for the
 * same bytes (the same parser reads them); they differ in cost per streamed token.
 */
public enum HttpTransport {
    /** One selector thread, reads parsed where they land; plain http only. */
    NIO("nio"),
    /** {@code java.net.http.HttpClient}; also https. */
    JDK("jdk");

    private final String cliName;

    HttpTransport(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    public static HttpTransport parse(String text) {
        for (HttpTransport t : values()) {
            if (t.cliName.equals(text.strip().toLowerCase(Locale.ROOT))) {
                return t;
            }
        }
        throw new UserError("unknown HTTP client '" + text + "'; expected nio or jdk");
    }
}
