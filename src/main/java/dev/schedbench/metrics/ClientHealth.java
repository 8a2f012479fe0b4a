package dev.schedbench.metrics;

import java.util.OptionalDouble;

/**
 * Whether the load generator kept to its schedule; a run whose sends lagged badly measured the
 * client, not the server.
 *
 * @param requests         requests sent (successful or not)
 * @param sendLagP50Ms     median lag of the actual send behind the scheduled one
 * @param sendLagP99Ms     99th percentile of that lag
 * @param sendLagMaxMs     largest lag
 * @param requestedRateRps the arrival rate asked for; {@link Double#POSITIVE_INFINITY} for all at once
 * @param achievedRateRps  {@code (n − 1) / (last actual send − first actual send)}; empty for fewer than two
 *                         requests or when all were sent at the same instant
 */
public record ClientHealth(
        int requests,
        double sendLagP50Ms,
        double sendLagP99Ms,
        double sendLagMaxMs,
        double requestedRateRps,
        OptionalDouble achievedRateRps) {}
