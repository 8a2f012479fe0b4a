package dev.schedbench.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The pacing threads' request for a short time slice, checked against what the kernel reports. */
class ShortTimeSliceTest {

    private static final Path THREAD_SCHED = Path.of("/proc/thread-self/sched");

    @Test
    void aGrantedSliceIsTheOneTheKernelSchedulesWith() throws Exception {
        AtomicReference<Optional<String>> outcome = new AtomicReference<>();
        AtomicReference<Long> sliceAfter = new AtomicReference<>(-1L);
        Thread thread = Thread.ofPlatform().start(() -> {
            outcome.set(ShortTimeSlice.requestForCurrentThread(Duration.ofNanos(300_000)));
            if (kernelHasCustomSlices()) {
                sliceAfter.set(kernelSliceNanos());
            }
        });
        thread.join();
        if (kernelHasCustomSlices()) {
            // Linux 6.12 and later (the development and CI machines): custom slices exist and need no privilege
            assertEquals(Optional.empty(), outcome.get(), "granted");
            assertEquals(300_000L, sliceAfter.get(), "the kernel's own record of the thread's slice");
        } else {
            assertTrue(outcome.get().isPresent(), "declined with a reason where the kernel has no custom slices");
        }
    }

    @Test
    void theProbeAgreesWithARequestAndLeavesTheCallingThreadAlone() {
        long before = kernelHasCustomSlices() ? kernelSliceNanos() : -1;
        Optional<String> probe = ShortTimeSlice.probe();
        assertEquals(kernelHasCustomSlices(), probe.isEmpty(), "probe: " + probe);
        if (kernelHasCustomSlices()) {
            assertEquals(before, kernelSliceNanos(), "the probe asks on a thread of its own");
        }
    }

    @Test
    void aVirtualThreadMayNotAskForItsCarrier() throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread.ofVirtual().start(() -> {
            try {
                ShortTimeSlice.requestForCurrentThread(ShortTimeSlice.PACING);
            } catch (IllegalStateException e) {
                failure.set(e);
            }
        }).join();
        assertTrue(failure.get() instanceof IllegalStateException, "refused: " + failure.get());
    }

    /** Linux 6.12 or later, where the kernel also reports each thread's slice in /proc. */
    private static boolean kernelHasCustomSlices() {
        Matcher version = Pattern.compile("^(\\d+)\\.(\\d+)").matcher(System.getProperty("os.version", ""));
        if (!System.getProperty("os.name", "").equals("Linux") || !version.find() || !Files.isReadable(THREAD_SCHED)) {
            return false;
        }
        int major = Integer.parseInt(version.group(1));
        int minor = Integer.parseInt(version.group(2));
        return major > 6 || major == 6 && minor >= 12;
    }

    private static long kernelSliceNanos() {
        return Long.parseLong(sliceLine().orElseThrow().split(":")[1].trim());
    }

    private static Optional<String> sliceLine() {
        try {
            return Files.readAllLines(THREAD_SCHED).stream().filter(l -> l.startsWith("se.slice")).findFirst();
        } catch (java.io.IOException e) {
            return Optional.empty();
        }
    }
}
