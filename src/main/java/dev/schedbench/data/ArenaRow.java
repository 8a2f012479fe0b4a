package dev.schedbench.data;

/** One row of a {@code /rows} page, reduced to what {@code download-queries} keeps. */
public record ArenaRow(long rowIdx, FirstTurn firstTurn) {}
