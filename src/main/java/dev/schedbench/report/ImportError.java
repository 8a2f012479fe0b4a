package dev.schedbench.report;

import dev.schedbench.model.UserError;

/** A file that cannot be imported; the message names the file and what is wrong with it. */
public final class ImportError extends UserError {

    public ImportError(String message) {
        super(message);
    }

    public ImportError(String message, Throwable cause) {
        super(message, cause);
    }
}
