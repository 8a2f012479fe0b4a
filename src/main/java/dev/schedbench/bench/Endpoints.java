package dev.schedbench.bench;

import dev.schedbench.model.UserError;
import java.net.URI;
import java.net.URISyntaxException;

/** URLs of a server's endpoints, joined as vLLM's benchmark joins them: base URL + path. */
public final class Endpoints {

    private Endpoints() {}

    /** {@code base + path}, keeping any path prefix of the base (a proxy's, say). */
    public static URI join(URI base, String path) {
        String root = base.toString();
        while (root.endsWith("/")) {
            root = root.substring(0, root.length() - 1);
        }
        String joined = root + (path.startsWith("/") ? path : "/" + path);
        try {
            return new URI(joined);
        } catch (URISyntaxException e) {
            throw new UserError("not a valid URL: " + joined + " (" + e.getReason() + ")");
        }
    }

    /** Parses a base URL given by the user, which must be http(s) with a host. */
    public static URI baseUrl(String text) {
        URI uri;
        try {
            uri = new URI(text.strip());
        } catch (URISyntaxException e) {
            throw new UserError("--base-url '" + text + "' is not a valid URL: " + e.getReason());
        }
        if (!("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme())) || uri.getHost() == null) {
            throw new UserError("--base-url '" + text + "' must be an http:// or https:// URL with a host, e.g. http://localhost:8000");
        }
        return uri;
    }
}
