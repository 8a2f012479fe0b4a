package dev.schedbench.data;

/** What a Chatbot Arena row's {@code conversation_a[0]} holds. */
public sealed interface FirstTurn {

    /** A user turn with text: the query kept (possibly empty, as the seed keeps empty prompts). */
    record UserText(String text) implements FirstTurn {}

    /** A row that gives no query, and why (no turns, a first turn by the assistant, no text). */
    record Unusable(String reason) implements FirstTurn {}

    /** The server shortened the cell to fit its page; the row must be fetched on its own. */
    record Truncated() implements FirstTurn {}
}
