package dev.schedbench.store;

import java.time.Instant;

/** A free-text remark on a run. */
public record Note(Instant createdAt, String text) {}
