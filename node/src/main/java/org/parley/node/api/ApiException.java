package org.parley.node.api;

import org.parley.node.service.ServiceException;

/**
 * A request failed in a way the API reports to its caller as {@code {"error": code, "message":
 * text}} with an HTTP status. The message says what was wrong and, where possible, what to do.
 */
public final class ApiException extends RuntimeException {

    /** Error codes, the stable part of an error answer that scripts may test. */
    public static final String BAD_REQUEST = "bad_request";
    public static final String UNAUTHORIZED = "unauthorized";
    public static final String FORBIDDEN = "forbidden";
    public static final String NOT_FOUND = "not_found";
    public static final String UNREACHABLE = "unreachable";
    public static final String TIMEOUT = "timeout";
    /** A request body, URI or header block over the API's limits (413, 414, 431). */
    public static final String TOO_LARGE = "too_large";
    public static final String UNAVAILABLE = "unavailable";
    /** The node's state does not allow the request (409), e.g. linking a node that holds a user's data. */
    public static final String CONFLICT = "conflict";
    public static final String INTERNAL = "internal";

    private final int status;
    private final String error;

    public ApiException(int status, String error, String message) {
        super(message);
        this.status = status;
        this.error = error;
    }

    public ApiException(int status, String error, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.error = error;
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, BAD_REQUEST, message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, NOT_FOUND, message);
    }

    /** The answer to a service's refusal: its message, with the status its kind calls for. */
    public static ApiException of(ServiceException e) {
        return switch (e.kind()) {
            case BAD_INPUT -> new ApiException(400, BAD_REQUEST, e.getMessage(), e);
            case NOT_FOUND -> new ApiException(404, NOT_FOUND, e.getMessage(), e);
            case UNREACHABLE -> new ApiException(502, UNREACHABLE, e.getMessage(), e);
            case UNAVAILABLE -> new ApiException(503, UNAVAILABLE, e.getMessage(), e);
        };
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }

    /** The JSON body of this error. */
    public ApiError body() {
        return new ApiError(error, getMessage());
    }
}
