package org.parley.node.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.javalin.http.Context;

/** The one Jackson configuration of the API, shared by the server and the CLI client. Thread safe. */
public final class ApiJson {

    /** Requests carry a multiaddr or a DHT value; a DHT record is at most a few KiB. */
    public static final int MAX_REQUEST_BYTES = 64 * 1024;

    public static final ObjectMapper MAPPER = new ObjectMapper()
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ApiJson() {}

    /**
     * The request body as a JSON object.
     *
     * @throws ApiException 400 if the body is missing or not a JSON object, 413 if it is too large
     */
    public static JsonNode body(Context ctx) {
        // Checked before a byte is read: Javalin's own refusal would answer text, not JSON.
        if (ctx.contentLength() > MAX_REQUEST_BYTES) {
            throw new ApiException(413, ApiException.TOO_LARGE, tooLarge());
        }
        byte[] bytes = ctx.bodyAsBytes();
        if (bytes.length > MAX_REQUEST_BYTES) {
            throw new ApiException(413, ApiException.TOO_LARGE, tooLarge());
        }
        if (bytes.length == 0) {
            throw ApiException.badRequest("request body is empty; expected a JSON object");
        }
        try {
            JsonNode node = MAPPER.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw ApiException.badRequest("request body must be a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("request body is not valid JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw ApiException.badRequest("cannot read request body: " + e.getMessage());
        }
    }

    /** The message for a body over {@link #MAX_REQUEST_BYTES}, also used for Jetty's own 413. */
    static String tooLarge() {
        return "the request body is larger than the API takes (" + MAX_REQUEST_BYTES + " bytes)";
    }

    /**
     * A required string field of {@code body}.
     *
     * @throws ApiException 400 naming the field
     */
    public static String requiredText(JsonNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            throw ApiException.badRequest("missing field '" + field + "'");
        }
        if (!node.isTextual()) {
            throw ApiException.badRequest("field '" + field + "' must be a string");
        }
        return node.asText();
    }

    /** An optional string field of {@code body}, or null. */
    public static String optionalText(JsonNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw ApiException.badRequest("field '" + field + "' must be a string");
        }
        return node.asText();
    }

    /** An optional integer field in {@code [min, max]}, or {@code fallback}. */
    public static int optionalInt(JsonNode body, String field, int fallback, int min, int max) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() < min || node.intValue() > max) {
            throw ApiException.badRequest("field '" + field + "' must be an integer in " + min + ".." + max
                    + ", got " + node);
        }
        return node.intValue();
    }
}
