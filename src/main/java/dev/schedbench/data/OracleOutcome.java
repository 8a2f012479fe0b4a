package dev.schedbench.data;

/** What generating for one prompt gave. */
public sealed interface OracleOutcome {

    int index();

    /**
     * @param outputLen    generated text length in characters (Python's {@code len(str)}: code points)
     * @param outputTokens generated tokens
     */
    record Generated(int index, int outputLen, int outputTokens) implements OracleOutcome {}

    /** The prompt failed for good (after the engine's retries). */
    record Failed(int index, String error) implements OracleOutcome {}

    /** Python's {@code len(text)}: Unicode code points, not UTF-16 units. */
    static int pythonLength(String text) {
        return text.codePointCount(0, text.length());
    }
}
