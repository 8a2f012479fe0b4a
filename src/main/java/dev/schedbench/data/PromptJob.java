package dev.schedbench.data;

/** A prompt to generate for, with its position in the queries file. */
public record PromptJob(int index, String prompt) {}
