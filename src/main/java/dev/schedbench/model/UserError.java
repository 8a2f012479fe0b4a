package dev.schedbench.model;

/**
 * A problem with what the user gave us (a file, a flag, a server's answer) rather than a bug. Its
 * message is complete on its own: it names the input and says what to do. Shells print just the
 * message.
 */
public class UserError extends RuntimeException {

    public UserError(String message) {
        super(message);
    }

    public UserError(String message, Throwable cause) {
        super(message, cause);
    }
}
