package dev.schedbench.sim.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.schedbench.model.ServerConfig;
import dev.schedbench.model.UserError;
import dev.schedbench.sim.LiveEngine;
import dev.schedbench.sim.SimEngines;
import dev.schedbench.sim.profile.Profile;
import java.io.IOException;
import java.net.BindException;
import java.net.URI;
import java.util.List;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The simulator's vLLM-compatible HTTP server around one live engine. Start it with
 * {@link #start(LiveEngine, String, int, List)} (port 0 picks a free port), talk to
 * {@link #baseUrl()}, and {@link #close()} it: that stops the engine too.
 */
public final class SimServer implements AutoCloseable {

    private static final int IDLE_TIMEOUT_MILLIS = 30_000;
    private static final int ACCEPT_QUEUE = 4096;
    private static final long STOP_TIMEOUT_MILLIS = 2_000;
    /**
     * Per-connection kernel send buffer. Streams write a few hundred bytes per token, so this never
     * limits a reading client; it bounds what a stalled client can park in the kernel (autotuning
     * would let it grow to megabytes per socket), and beyond it tokens wait as a counter in the server.
     */
    private static final int SEND_BUFFER_BYTES = 64 * 1024;

    private final Server jetty;
    private final ServerConnector connector;
    private final ServerContext context;
    private final String host;

    private SimServer(Server jetty, ServerConnector connector, ServerContext context, String host) {
        this.jetty = jetty;
        this.connector = connector;
        this.context = context;
        this.host = host;
    }

    /**
     * Starts the simulator's live engine for {@code config} and serves it on {@code host:port}; see
     * {@link #start(LiveEngine, String, int, List)}.
     */
    public static SimServer start(ServerConfig config, String host, int port, List<String> servedModelNames) {
        return start(SimEngines.live(config), host, port, servedModelNames);
    }

    /**
     * Serves {@code engine} on {@code host:port}. {@code servedModelNames} are the names requests may
     * use (vLLM's {@code --served-model-name}); empty means the engine's model id. A port that is
     * taken is a {@link UserError}. The server owns the engine from here on.
     */
    public static SimServer start(LiveEngine engine, String host, int port, List<String> servedModelNames) {
        ServerConfig config = engine.config();
        List<String> names = servedModelNames.isEmpty() ? List.of(config.model()) : servedModelNames;
        Profile profile = SimEngines.profileFor(config);
        ServedModel served = new ServedModel(names, config.maxModelLen().orElse(profile.maxModelLen()),
                SimTokenizer.forProfile(profile), config.policy());
        ObjectMapper json = new ObjectMapper();
        ResponseWriters writers = new ResponseWriters(ResponseWriters.defaultCount());
        PacingStats pacing = new PacingStats();
        engine.deliverSteps(new DeliveryPacer(pacing, writers));
        ServerContext context = new ServerContext(engine, served, writers,
                new ServingMetrics(served.name()), pacing, new ResponseBodies(json),
                served.tokenizer().vocabulary());

        QueuedThreadPool threads = new QueuedThreadPool(64, 4);
        threads.setName("sim-http");
        threads.setDaemon(true);
        Server jetty = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        ServerConnector connector = new ServerConnector(jetty, 0, 1, new HttpConnectionFactory(http));
        connector.setHost(host);
        connector.setPort(port);
        connector.setIdleTimeout(IDLE_TIMEOUT_MILLIS);
        connector.setAcceptQueueSize(ACCEPT_QUEUE);
        connector.setReuseAddress(true);
        connector.setAcceptedSendBufferSize(SEND_BUFFER_BYTES);
        jetty.addConnector(connector);
        // Closing fails the engine's requests first; the graceful stop lets their streams end with
        // vLLM's error event and [DONE] before the connections close.
        jetty.setHandler(new GracefulHandler(new SimHandler(context, new RequestParser(json, served))));
        jetty.setStopTimeout(STOP_TIMEOUT_MILLIS);

        SimServer server = new SimServer(jetty, connector, context, host);
        try {
            jetty.start();
        } catch (Exception e) {
            server.close();
            if (isBindFailure(e)) {
                throw new UserError("port " + port + " on " + host + " is already in use; choose another with "
                        + "--port, or stop the program that holds it", e);
            }
            throw new UserError("could not start the simulator's HTTP server on " + host + ":" + port + ": " + e, e);
        }
        return server;
    }

    private static boolean isBindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return true;
            }
            if (t instanceof IOException && String.valueOf(t.getMessage()).startsWith("Failed to bind")) {
                return true;
            }
        }
        return false;
    }

    /** The root URL clients use, e.g. {@code http://127.0.0.1:8000}. */
    public URI baseUrl() {
        String shownHost = host.contains(":") ? "[" + host + "]" : host;
        if ("0.0.0.0".equals(host) || "::".equals(host)) {
            shownHost = "127.0.0.1";
        }
        return URI.create("http://" + shownHost + ":" + port());
    }

    public int port() {
        return connector.getLocalPort();
    }

    /** The name the server reports for its model. */
    public String modelName() {
        return context.served().name();
    }

    public LiveEngine engine() {
        return context.engine();
    }

    /** How late tokens reach the clients' sockets after the engine published them. */
    public PacingStats pacing() {
        return context.pacing();
    }

    /** Stops the engine (in-flight requests end with an error event) and the HTTP server. */
    @Override
    public void close() {
        try {
            context.engine().close();
        } finally {
            try {
                jetty.stop();
            } catch (Exception e) {
                // stopping is best effort; the sockets close with the process at the latest
            } finally {
                context.writers().close();
            }
        }
    }
}
