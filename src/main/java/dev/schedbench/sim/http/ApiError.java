package dev.schedbench.sim.http;

/**
 * A request the server refuses, answered with vLLM's {@code ErrorResponse}:
 * {@code {"object":"error","message":…,"type":…,"param":null,"code":…}} and the same HTTP status.
 */
final class ApiError extends RuntimeException {

    private final int status;
    private final String type;

    private ApiError(int status, String type, String message) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
    }

    /** vLLM's answer to anything it cannot serve as asked: 400 {@code BadRequestError}. */
    static ApiError badRequest(String message) {
        return new ApiError(400, "BadRequestError", message);
    }

    /** vLLM's answer to a model name it does not serve. */
    static ApiError unknownModel(String model) {
        return new ApiError(404, "NotFoundError", "The model `" + model + "` does not exist.");
    }

    int status() {
        return status;
    }

    String type() {
        return type;
    }
}
