package dev.schedbench.bench;

import java.util.OptionalLong;

/**
 * A request ready to send: its body is serialised before the run so that sending costs nothing.
 *
 * @param priority      the priority put on the wire, if any
 * @param priorityClass the class its statistics are grouped under
 */
record PlannedRequest(int index, int promptTokens, int maxTokens, OptionalLong priority, int priorityClass, byte[] payload) {}
