package dev.schedbench.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The scheduling policies a server can run. vLLM spells them with underscores, the seed's
 * documents with hyphens; both are accepted everywhere.
 */
public enum Policy {
    FCFS("fcfs", false),
    PRIORITY("priority", true),
    PRIORITY_ROUND_ROBIN("priority-round-robin", true),
    ROUND_ROBIN("round-robin", false),
    PRIORITY_ROUND_ROBIN_REVERSE("priority-round-robin-reverse", true);

    private final String cliName;
    private final boolean priorityAware;

    Policy(String cliName, boolean priorityAware) {
        this.cliName = cliName;
        this.priorityAware = priorityAware;
    }

    /** Hyphenated name, as the command line and the documents spell it. */
    public String cliName() {
        return cliName;
    }

    /** Underscored name, as vLLM's {@code --scheduling-policy} accepts it. */
    public String vllmName() {
        return cliName.replace('-', '_');
    }

    /** Whether requests to a server running this policy carry a {@code priority} field. */
    public boolean priorityAware() {
        return priorityAware;
    }

    public static Policy parse(String text) {
        String wanted = text.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (Policy policy : values()) {
            if (policy.cliName.equals(wanted)) {
                return policy;
            }
        }
        throw new IllegalArgumentException("unknown scheduling policy '" + text + "'; expected one of "
                + Arrays.stream(values()).map(Policy::cliName).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return cliName;
    }
}
