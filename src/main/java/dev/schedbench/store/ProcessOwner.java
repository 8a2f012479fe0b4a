package dev.schedbench.store;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.Optional;

/**
 * The process that records a run. A run left {@code running} by a process that no longer exists
 * was cut off (killed, crashed, power lost) and is marked interrupted at the next open.
 *
 * @param pid       operating-system process id
 * @param host      host name the process ran on
 * @param startedMs when the process started (epoch ms), to tell a reused pid from the original
 */
record ProcessOwner(long pid, String host, Optional<Long> startedMs) {

    /** Process start times read at different moments may differ by rounding; a reused pid differs by far more. */
    private static final long START_TOLERANCE_MS = 2_000;

    private static final String LOCAL_HOST = lookUpHostName();

    static ProcessOwner current() {
        ProcessHandle self = ProcessHandle.current();
        return new ProcessOwner(self.pid(), LOCAL_HOST, self.info().startInstant().map(Instant::toEpochMilli));
    }

    static String localHost() {
        return LOCAL_HOST;
    }

    /**
     * Whether this owner is known to be gone. Only decidable on the owner's own host; elsewhere the
     * answer is no, so a run recorded on another machine sharing the folder is never cut short.
     */
    boolean isGone() {
        if (!host.equals(LOCAL_HOST)) {
            return false;
        }
        Optional<ProcessHandle> handle = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (handle.isEmpty()) {
            return true;
        }
        Optional<Long> liveStart = handle.get().info().startInstant().map(Instant::toEpochMilli);
        if (startedMs.isPresent() && liveStart.isPresent()) {
            return Math.abs(liveStart.get() - startedMs.get()) > START_TOLERANCE_MS;
        }
        return false;
    }

    private static String lookUpHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return Optional.ofNullable(System.getenv("HOSTNAME")).filter(h -> !h.isBlank()).orElse("localhost");
        }
    }
}
