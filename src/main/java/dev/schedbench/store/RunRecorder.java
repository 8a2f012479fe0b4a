package dev.schedbench.store;

import dev.schedbench.model.RunEvent;
import dev.schedbench.model.RunListener;
import dev.schedbench.model.UserError;
import dev.schedbench.model.Workspace;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Records runs into the database as their events arrive, without slowing the run down.
 *
 * <p>{@link #on} only appends the event (stamped with the wall clock) to a lock-free queue: no lock,
 * no system call, no waking of another thread. An encoder thread wakes itself every
 * {@value #WAKE_MILLIS} ms, drains what arrived (at most {@value #MAX_BATCH} events at a time) and
 * encodes the requests' inter-token latencies; the one writer thread writes each encoded batch in
 * one transaction. The two work in a pipeline: while SQLite inserts one batch, the next is being
 * encoded; a burst of requests landed in about 30% less time than with one thread doing both
 * (docs/benchmarks.md, "Run database"). Overflow policy:
 * the queue holds {@value #QUEUE_CAPACITY} events, many seconds of the fastest run, so {@code on}
 * returns at once unless the disk has stalled that long; then it waits until there is room, because
 * a lost request would silently bias every statistic while a late send is itself measured (each
 * request records its send lag). {@link #blockedEvents()} counts how often that happened. If writing
 * fails (disk full), the recorder stops writing, drops further events without waiting, and
 * {@link #close()} reports the failure.
 *
 * <p>A {@code Started} event inserts the run as {@code running} with this process's pid and host;
 * requests and samples follow in batches; {@code Finished} stores the result document and marks it
 * {@code finished}; {@code Failed} marks it {@code failed} or {@code interrupted}. If the process
 * dies first, the next {@link Database#open} finds the run's owner gone and marks it interrupted,
 * keeping every committed request. Several runs may follow one another through one recorder.
 */
public final class RunRecorder implements RunListener, AutoCloseable {

    public static final int QUEUE_CAPACITY = 65_536;
    /**
     * Events encoded and committed together. Small enough that encoding and inserting overlap for
     * most of a burst, large enough that a transaction's fixed costs do not matter.
     */
    static final int MAX_BATCH = 4_096;
    /**
     * Encoded batches waiting for the writer; the encoder waits when they are this many. Two keep
     * both threads busy; with the batch being encoded and the one being written, at most
     * 4 x {@value #MAX_BATCH} events are in flight beside the queue, as many as one batch held before
     * encoding had a thread of its own.
     */
    private static final int ENCODED_BATCHES = 2;
    /** How often the encoder looks for events: about the most a committed row lags behind its event. */
    static final long WAKE_MILLIS = 10;
    private static final long WAKE_NANOS = TimeUnit.MILLISECONDS.toNanos(WAKE_MILLIS);
    private static final long ROOM_WAIT_NANOS = TimeUnit.MICROSECONDS.toNanos(200);

    private record Entry(RunEvent event, long wallMs) {}

    /** Events drained together, with the encoded inter-token latencies of their requests (null for other events). */
    private record Batch(List<Entry> entries, byte[][] encodedItls) {}

    /** Handed to the writer after the last batch: nothing more will come. */
    private static final Batch END = new Batch(List.of(), new byte[0][]);

    private final Database database;
    private final Optional<Database> owned;
    private final Connection connection;
    private final RunWriter rows;
    private final Queue<Entry> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong blocked = new AtomicLong();
    private final BlockingQueue<Batch> encoded = new ArrayBlockingQueue<>(ENCODED_BATCHES);
    private final Thread writer;
    private final Thread encoder;
    private final List<Long> recorded = new ArrayList<>();
    /** Runs inserted by the transaction being written; touched by the writer thread only. */
    private final List<Long> startedInBatch = new ArrayList<>();
    private volatile boolean closed;
    private volatile Optional<Exception> failure = Optional.empty();
    private volatile long writerCpuNanos;
    private volatile long encoderCpuNanos;

    // Owned by the writer thread.
    private Optional<Long> current = Optional.empty();
    private int sampleSeq;
    private int serverSampleSeq;

    private RunRecorder(Database database, Optional<Database> owned) {
        this.database = database;
        this.owned = owned;
        try {
            this.connection = database.newConnection();
            this.rows = new RunWriter(connection);
        } catch (SQLException e) {
            owned.ifPresent(Database::close);
            throw new UserError("cannot write to the run database " + database.file() + ": " + e.getMessage(), e);
        }
        this.writer = Thread.ofPlatform().name("run-recorder").daemon(true).start(this::writeBatches);
        this.encoder = Thread.ofPlatform().name("run-recorder-encoder").daemon(true).start(this::drain);
    }

    /** A recorder into the workspace's database, which it opens (migrating it) and closes with itself. */
    public static RunRecorder open(Workspace workspace) {
        Database db = Database.open(workspace);
        return new RunRecorder(db, Optional.of(db));
    }

    /** A recorder into an open database, which stays open after the recorder closes. */
    public static RunRecorder open(Database database) {
        return new RunRecorder(database, Optional.empty());
    }

    @Override
    public void on(RunEvent event) {
        switch (event) {
            case RunEvent.Progress p -> { }
            case RunEvent.Log l -> { }
            case RunEvent.Started s -> enqueue(event);
            case RunEvent.RequestFinished r -> enqueue(event);
            case RunEvent.Snapshot s -> enqueue(event);
            case RunEvent.ServerState s -> enqueue(event);
            case RunEvent.Finished f -> enqueue(event);
            case RunEvent.Failed f -> enqueue(event);
        }
    }

    private void enqueue(RunEvent event) {
        if (closed || failure.isPresent()) {
            return;
        }
        Entry entry = new Entry(event, System.currentTimeMillis());
        if (queued.incrementAndGet() > QUEUE_CAPACITY) {
            blocked.incrementAndGet();
            while (queued.get() > QUEUE_CAPACITY && failure.isEmpty() && encoder.isAlive()) {
                LockSupport.parkNanos(ROOM_WAIT_NANOS);
            }
        }
        queue.add(entry);
    }

    /** How many events found the queue full and had to wait. */
    public long blockedEvents() {
        return blocked.get();
    }

    /** Ids of the runs this recorder has inserted so far, in order. */
    public List<Long> runIds() {
        synchronized (recorded) {
            return List.copyOf(recorded);
        }
    }

    public Database database() {
        return database;
    }

    /** The encoder thread: drains the queue, encodes, hands batches to the writer, and finally {@link #END}. */
    private void drain() {
        ItlCodec.Encoder codec = new ItlCodec.Encoder();
        try {
            while (true) {
                // Read the flag before draining: once closed, everything enqueued is already in the queue.
                boolean last = closed;
                List<Entry> batch = new ArrayList<>();
                Entry next;
                while (batch.size() < MAX_BATCH && (next = queue.poll()) != null) {
                    batch.add(next);
                }
                if (!batch.isEmpty()) {
                    queued.addAndGet(-batch.size());
                    if (failure.isEmpty()) {
                        handOver(encode(codec, batch));
                    }
                    continue;
                }
                if (last) {
                    break;
                }
                LockSupport.parkNanos(this, WAKE_NANOS);
            }
        } catch (RuntimeException e) {
            failure = failure.or(() -> Optional.of(e));
        } finally {
            handOver(END);
            encoderCpuNanos = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        }
    }

    private static Batch encode(ItlCodec.Encoder codec, List<Entry> entries) {
        byte[][] itls = new byte[entries.size()][];
        for (int i = 0; i < itls.length; i++) {
            if (entries.get(i).event() instanceof RunEvent.RequestFinished r) {
                itls[i] = codec.encode(r.request().itlNanos());
            }
        }
        return new Batch(entries, itls);
    }

    /** Waits for room among the encoded batches, unless the writer is gone. */
    private void handOver(Batch batch) {
        try {
            while (!encoded.offer(batch, WAKE_MILLIS, TimeUnit.MILLISECONDS)) {
                if (!writer.isAlive()) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The writer thread: one transaction per encoded batch, until {@link #END}. */
    private void writeBatches() {
        try {
            while (true) {
                Batch batch = encoded.take();
                if (batch == END) {
                    break;
                }
                if (failure.isEmpty()) {
                    write(batch);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writerCpuNanos = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    /** Processor time the writer thread used, known once the recorder is closed (for benchmarks). */
    public long writerCpuNanos() {
        return writerCpuNanos;
    }

    /** Processor time the encoder thread used, known once the recorder is closed (for benchmarks). */
    public long encoderCpuNanos() {
        return encoderCpuNanos;
    }

    private void write(Batch batch) {
        startedInBatch.clear();
        try {
            Transactions.write(connection, () -> {
                long lastWall = 0;
                List<Entry> entries = batch.entries();
                for (int i = 0; i < entries.size(); i++) {
                    apply(entries.get(i), batch.encodedItls()[i]);
                    lastWall = entries.get(i).wallMs();
                }
                rows.flush();
                if (current.isPresent() && lastWall > 0) {
                    RunWriter.touch(connection, current.get(), lastWall);
                }
                return null;
            });
            // named only once committed: another connection can see them, and a rolled-back run is never named
            synchronized (recorded) {
                recorded.addAll(startedInBatch);
            }
        } catch (SQLException | RuntimeException e) {
            failure = Optional.of(e);
            try {
                rows.discard();
            } catch (SQLException ignored) {
                // the statements are unusable anyway; the failure above is what close() reports
            }
        }
    }

    private void apply(Entry entry, byte[] encodedItls) throws SQLException {
        Instant wall = Instant.ofEpochMilli(entry.wallMs());
        switch (entry.event()) {
            case RunEvent.Started s -> {
                if (current.isPresent()) {
                    RunWriter.finish(connection, current.get(), RunStatus.INTERRUPTED, wall,
                            "a new run started through the same recorder before this one ended", RunResult.NONE);
                }
                long id = RunWriter.insertRun(connection, RunHeader.started(s.info(), s.startedAt()),
                        Optional.of(ProcessOwner.current()), Optional.empty(), entry.wallMs());
                current = Optional.of(id);
                sampleSeq = 0;
                serverSampleSeq = 0;
                startedInBatch.add(id);
            }
            case RunEvent.RequestFinished r -> {
                if (current.isPresent()) {
                    rows.addRequest(current.get(), r.request(), encodedItls);
                }
            }
            case RunEvent.Snapshot s -> {
                if (current.isPresent()) {
                    rows.addSample(current.get(), sampleSeq++, s);
                }
            }
            case RunEvent.ServerState s -> {
                if (current.isPresent()) {
                    rows.addServerSample(current.get(), serverSampleSeq++, s);
                }
            }
            case RunEvent.Finished f -> {
                if (current.isPresent()) {
                    RunResult result;
                    String message = "";
                    try {
                        result = RunResult.of(f.result(), f.extra());
                    } catch (IllegalArgumentException e) {
                        result = RunResult.NONE;
                        message = "the result document could not be stored: " + e.getMessage();
                    }
                    RunWriter.finish(connection, current.get(), RunStatus.FINISHED, wall, message, result);
                    current = Optional.empty();
                }
            }
            case RunEvent.Failed f -> {
                if (current.isPresent()) {
                    RunStatus status = f.interrupted() ? RunStatus.INTERRUPTED : RunStatus.FAILED;
                    RunWriter.finish(connection, current.get(), status, wall, f.message(), RunResult.NONE);
                    current = Optional.empty();
                }
            }
            case RunEvent.Progress p -> { }
            case RunEvent.Log l -> { }
        }
    }

    /**
     * Writes everything queued, marks a run that never ended as interrupted, and releases the
     * database. Throws if any write failed, naming the database.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        LockSupport.unpark(encoder);
        try {
            encoder.join();
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            if (failure.isEmpty() && current.isPresent()) {
                long id = current.get();
                Transactions.write(connection, () -> {
                    RunWriter.finish(connection, id, RunStatus.INTERRUPTED, Instant.now(),
                            "recording stopped before the run ended", RunResult.NONE);
                    return null;
                });
                current = Optional.empty();
            }
            rows.close();
            connection.close();
        } catch (SQLException e) {
            failure = failure.or(() -> Optional.of(e));
        } finally {
            owned.ifPresent(Database::close);
        }
        failure.ifPresent(e -> {
            throw new UserError("could not record the run into " + database.file() + ": " + e.getMessage(), e);
        });
    }
}
