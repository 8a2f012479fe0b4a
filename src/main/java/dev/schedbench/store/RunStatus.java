package dev.schedbench.store;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Where a run stands. Only {@code running} changes; the other three are final. */
public enum RunStatus {
    RUNNING,
    FINISHED,
    FAILED,
    INTERRUPTED;

    /** The spelling stored in the database and shown to users. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RunStatus parse(String text) {
        switch (text) {
            case "running" -> {
                return RUNNING;
            }
            case "finished" -> {
                return FINISHED;
            }
            case "failed" -> {
                return FAILED;
            }
            case "interrupted" -> {
                return INTERRUPTED;
            }
            default -> { }
        }
        for (RunStatus status : values()) {
            if (status.label().equalsIgnoreCase(text.trim())) {
                return status;
            }
        }
        throw new IllegalArgumentException("unknown run status '" + text + "'; expected one of "
                + Arrays.stream(values()).map(RunStatus::label).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return label();
    }
}
