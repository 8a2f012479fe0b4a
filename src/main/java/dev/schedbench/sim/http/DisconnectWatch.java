package dev.schedbench.sim.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.AbstractEndPoint;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * Notices an HTTP/1.x client that closes its connection while its response is pending.
 *
 * <p>Jetty's HTTP/1 connection reads its socket only while it parses a request or a handler demands
 * body content; once the body is read it waits for the response to complete, so a client that leaves
 * is noticed only when a write to it fails. A queued stream writes nothing until its first token, and
 * a non-streamed request nothing until its answer. This watch registers read interest on the
 * connection's end point for that time (one selector registration per request, no thread). When the
 * socket turns readable it reads: end of stream or a reset means the client is gone (decision 0405),
 * and the watch closes the connection, which Jetty reports to the request's failure listeners. Bytes
 * of a pipelined next request go back to the connection, which parses them after this response, and
 * the watch ends.
 *
 * <p>The read interest must be withdrawn before the response completes (Jetty aborts a connection
 * that is still read-interested when it completes a request), so the handler's callback goes through
 * {@link #completing(Callback)}.
 */
final class DisconnectWatch implements Callback {

    /** Enough for what a client could send ahead: a blank line, or the start of a pipelined request. */
    private static final int READ_BYTES = 512;
    private static final Throwable WITHDRAWN = new CancellationException("response completing");

    private enum State { IDLE, WATCHING, DONE }

    private final Connection connection;
    private final AbstractEndPoint endPoint;
    private final Connection.UpgradeTo readBack;
    private State state = State.IDLE; // guarded by this

    private DisconnectWatch(Connection connection, AbstractEndPoint endPoint, Connection.UpgradeTo readBack) {
        this.connection = connection;
        this.endPoint = endPoint;
        this.readBack = readBack;
    }

    /**
     * A watch for {@code request}'s connection, where Jetty gives one: HTTP/1.x on a socket end point.
     * (An HTTP/2 connection reads all the time and fails a request's stream itself.)
     */
    static Optional<DisconnectWatch> of(Request request) {
        HttpVersion version = request.getConnectionMetaData().getHttpVersion();
        Connection connection = request.getConnectionMetaData().getConnection();
        if ((version == HttpVersion.HTTP_1_1 || version == HttpVersion.HTTP_1_0)
                && connection.getEndPoint() instanceof AbstractEndPoint endPoint
                && connection instanceof Connection.UpgradeTo readBack) {
            return Optional.of(new DisconnectWatch(connection, endPoint, readBack));
        }
        return Optional.empty();
    }

    /**
     * {@code callback}, withdrawing this watch before it completes the response. Hand it to whatever
     * completes the response, before {@link #start()}.
     */
    Callback completing(Callback callback) {
        return new Callback() {
            @Override
            public void succeeded() {
                stop();
                callback.succeeded();
            }

            @Override
            public void failed(Throwable failure) {
                stop();
                callback.failed(failure);
            }

            @Override
            public InvocationType getInvocationType() {
                return callback.getInvocationType();
            }
        };
    }

    /**
     * Starts watching; call once the request's body has been read to its end. Does nothing when the
     * response has completed already.
     */
    synchronized void start() {
        if (state != State.IDLE) {
            return;
        }
        state = State.WATCHING;
        // under the lock, so that stop() cannot run between the state and the registration
        if (!endPoint.tryFillInterested(this)) {
            state = State.DONE; // someone reads already
        }
    }

    private void stop() {
        boolean withdraw;
        synchronized (this) {
            withdraw = state == State.WATCHING;
            state = State.DONE;
        }
        if (withdraw) {
            // fails this callback if the interest is still registered (failed() then finds DONE)
            endPoint.getFillInterest().onFail(WITHDRAWN);
        }
    }

    // ---- fill interest callback: the socket is readable ----

    @Override
    public void succeeded() {
        Throwable gone = null;
        synchronized (this) {
            // Under the lock: once stop() returns, the connection may read again, and no byte may be taken.
            if (state != State.WATCHING) {
                return;
            }
            ByteBuffer buffer = BufferUtil.allocate(READ_BYTES);
            try {
                int read = endPoint.fill(buffer);
                if (read < 0) {
                    gone = new EofException("the client closed its connection");
                } else if (read == 0) {
                    if (!endPoint.tryFillInterested(this)) {
                        state = State.DONE;
                    }
                    return;
                } else {
                    readBack.onUpgradeTo(buffer);
                }
            } catch (IOException e) {
                gone = e;
            }
            state = State.DONE;
        }
        if (gone != null) {
            abandon(gone);
        }
    }

    /**
     * Closes the socket, then the connection: the connection's close fails the request, and the socket
     * goes first so that failure cannot answer a client that has left with an error page.
     */
    private void abandon(Throwable cause) {
        endPoint.close(cause);
        connection.close();
    }

    @Override
    public void failed(Throwable failure) {
        boolean broken;
        synchronized (this) {
            broken = state == State.WATCHING;
            state = State.DONE;
        }
        if (broken) {
            // not withdrawn by stop(): the end point closed or broke; make sure the request learns of it
            abandon(failure);
        }
    }

    @Override
    public InvocationType getInvocationType() {
        // closing runs the request's failure path, which is the pool's work, not the selector's
        return InvocationType.BLOCKING;
    }
}
