package org.parley.node.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;

/**
 * Jetty's own error answers (a malformed request, a body, URI or header block over its limits)
 * as the API's JSON error body instead of Jetty's HTML or text, so every answer of the API has the
 * same shape. Stateless.
 */
final class JsonErrorHandler extends ErrorHandler {

    /** Requests Jetty refuses before they reach the API: the request line or headers could not be read. */
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        fields.put(HttpHeader.CACHE_CONTROL, "no-store");
        return ByteBuffer.wrap(json(status));
    }

    /** Errors Jetty raises while it hands a request on (sendError outside the API's own handlers). */
    @Override
    protected void generateAcceptableResponse(Request baseRequest, HttpServletRequest request,
            HttpServletResponse response, int code, String message) throws IOException {
        baseRequest.setHandled(true);
        response.setContentType("application/json");
        response.setHeader(HttpHeader.CACHE_CONTROL.asString(), "no-store");
        response.getOutputStream().write(json(code));
    }

    /** The body for {@code status}; Jetty's reason is not echoed: it can name Java internals. */
    static byte[] json(int status) {
        ApiError error = switch (status) {
            case HttpStatus.PAYLOAD_TOO_LARGE_413 -> new ApiError(ApiException.TOO_LARGE, ApiJson.tooLarge());
            case HttpStatus.URI_TOO_LONG_414 -> new ApiError(ApiException.TOO_LARGE,
                    "the request URI is longer than the API takes; send data in a JSON body");
            case HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE_431 -> new ApiError(ApiException.TOO_LARGE,
                    "the request headers are larger than the API takes (" + ApiServer.MAX_REQUEST_HEADER_BYTES
                            + " bytes)");
            case HttpStatus.BAD_REQUEST_400 -> new ApiError(ApiException.BAD_REQUEST,
                    "the request is not valid HTTP/1.1");
            default -> status >= HttpStatus.INTERNAL_SERVER_ERROR_500
                    ? new ApiError(ApiException.INTERNAL, "the node failed to handle this request")
                    : new ApiError(ApiException.BAD_REQUEST, "the request was refused (HTTP " + status + ")");
        };
        try {
            return ApiJson.MAPPER.writeValueAsBytes(error);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an ApiError always serializes", e);
        }
    }
}
