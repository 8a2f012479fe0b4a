package dev.schedbench.sim;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Asks Linux for a short time slice on the calling thread, so that when it wakes it preempts a
 * thread that has run longer instead of waiting for that thread's slice to end. The live simulator's
 * pacing threads (its engine and its response writers) do this: each runs for microseconds per step
 * but must run at the step's end, while request parsing, the garbage collector's helpers, the JIT and
 * a co-located benchmark client run for milliseconds at a time.
 *
 * <p>This is the EEVDF scheduler's custom slice (Linux 6.12 and later): {@code sched_setattr} with
 * {@code sched_runtime} set and the policy and nice value left as they are. It needs no privilege and
 * changes nothing else about the thread. Elsewhere (another OS, an older kernel, native access denied)
 * the request is declined and the thread runs as before.
 */
public final class ShortTimeSlice {

    private static final long SYS_SCHED_GETATTR_X86_64 = 315;
    private static final long SYS_SCHED_SETATTR_X86_64 = 314;
    private static final long SYS_SCHED_GETATTR_AARCH64 = 275;
    private static final long SYS_SCHED_SETATTR_AARCH64 = 274;
    /** {@code struct sched_attr} up to {@code sched_period} (SCHED_ATTR_SIZE_VER0). */
    private static final int ATTR_SIZE = 48;
    private static final long RUNTIME_OFFSET = 24;

    /** The slice the live simulator's pacing threads ask for: the shortest the kernel grants. */
    public static final Duration PACING = Duration.ofNanos(100_000);

    private static final Optional<Syscalls> SYSCALLS = Syscalls.find();

    private ShortTimeSlice() {
    }

    /**
     * Whether this host grants a pacing thread its slice: asks on a short-lived platform thread.
     *
     * @return why it would be declined, empty when it is granted
     */
    public static Optional<String> probe() {
        AtomicReference<Optional<String>> outcome = new AtomicReference<>();
        Thread thread = Thread.ofPlatform().name("time-slice-probe").start(
                () -> outcome.set(requestForCurrentThread(PACING)));
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        }
        return outcome.get();
    }

    /**
     * Requests {@code slice} for the calling thread, which must be a platform thread (a virtual
     * thread's request would change whichever carrier it runs on); the kernel clamps it to 0.1–100 ms.
     *
     * @return why the request was declined, empty when it was granted
     */
    public static Optional<String> requestForCurrentThread(Duration slice) {
        if (Thread.currentThread().isVirtual()) {
            throw new IllegalStateException("a time slice is a platform thread's; this one is virtual");
        }
        if (SYSCALLS.isEmpty()) {
            return Optional.of("custom time slices need Linux on x86-64 or aarch64 with native access");
        }
        Syscalls calls = SYSCALLS.get();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = arena.allocate(ATTR_SIZE, 8);
            int got = (int) calls.syscall.invokeExact(calls.getattr, 0L, attr, (long) ATTR_SIZE, 0L);
            if (got != 0) {
                return Optional.of("sched_getattr failed");
            }
            attr.set(ValueLayout.JAVA_LONG, RUNTIME_OFFSET, slice.toNanos());
            int set = (int) calls.syscall.invokeExact(calls.setattr, 0L, attr, 0L, 0L);
            if (set != 0) {
                return Optional.of("sched_setattr refused a custom slice");
            }
            // a kernel before 6.12 accepts the call and ignores the runtime; 6.12 and later report the slice
            attr.fill((byte) 0);
            int check = (int) calls.syscall.invokeExact(calls.getattr, 0L, attr, (long) ATTR_SIZE, 0L);
            return check == 0 && attr.get(ValueLayout.JAVA_LONG, RUNTIME_OFFSET) > 0
                    ? Optional.empty()
                    : Optional.of("this kernel has no custom time slices (Linux 6.12 and later have them)");
        } catch (Throwable e) {
            return Optional.of("sched_setattr could not be called: " + e);
        }
    }

    private record Syscalls(MethodHandle syscall, long getattr, long setattr) {

        static Optional<Syscalls> find() {
            if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
                return Optional.empty();
            }
            String arch = System.getProperty("os.arch", "");
            long getattr;
            long setattr;
            switch (arch) {
                case "amd64", "x86_64" -> {
                    getattr = SYS_SCHED_GETATTR_X86_64;
                    setattr = SYS_SCHED_SETATTR_X86_64;
                }
                case "aarch64" -> {
                    getattr = SYS_SCHED_GETATTR_AARCH64;
                    setattr = SYS_SCHED_SETATTR_AARCH64;
                }
                default -> {
                    return Optional.empty();
                }
            }
            try {
                Linker linker = Linker.nativeLinker();
                MethodHandle syscall = linker.downcallHandle(
                        linker.defaultLookup().find("syscall").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                                ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG),
                        Linker.Option.firstVariadicArg(1));
                return Optional.of(new Syscalls(syscall, getattr, setattr));
            } catch (RuntimeException e) {
                return Optional.empty();
            }
        }
    }
}
