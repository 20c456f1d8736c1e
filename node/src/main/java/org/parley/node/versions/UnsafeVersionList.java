package org.parley.node.versions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The client versions a maintainer flags as unsafe, each a client name, a version range and the
 * reason shown to users:
 *
 * <pre>
 * {"entries": [{"name": "parley", "from": "0.1.0", "below": "0.1.4", "reason": "..."}]}
 * </pre>
 *
 * {@code from} (inclusive) and {@code below} (exclusive) are optional; an entry with neither flags
 * every version of that client. Names compare exactly; versions in {@link VersionOrder}. Immutable.
 */
public record UnsafeVersionList(List<Entry> entries) {

    /** A list is read by every node that pins its key: a few hundred entries say everything. */
    public static final int MAX_ENTRIES = 1000;
    /** A client name or a version is a short word; longer is a mistake or an attack. */
    public static final int MAX_WORD_CHARS = 64;
    /** A reason is shown beside a contact, like an intro: the same 280 characters. */
    public static final int MAX_REASON_CHARS = 280;

    public static final UnsafeVersionList EMPTY = new UnsafeVersionList(List.of());

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One flagged range: client {@code name}, versions from {@code from} (if any) and below {@code below} (if any). */
    public record Entry(String name, Optional<String> from, Optional<String> below, String reason) {

        boolean flags(AgentVersion agent) {
            if (!agent.name().equals(name)) {
                return false;
            }
            return from.map(f -> VersionOrder.compare(agent.version(), f) >= 0).orElse(true)
                    && below.map(b -> VersionOrder.compare(agent.version(), b) < 0).orElse(true);
        }
    }

    public UnsafeVersionList {
        entries = List.copyOf(entries);
    }

    /** The first entry that flags {@code agentVersion} (identify's agent string), if any. */
    public Optional<Entry> flagging(String agentVersion) {
        AgentVersion agent = AgentVersion.parse(agentVersion);
        return entries.stream().filter(entry -> entry.flags(agent)).findFirst();
    }

    /** Parses the list's JSON text, checking every limit. */
    public static UnsafeVersionList parse(String json) throws InvalidVersionListException {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidVersionListException("the list is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject() || !root.path("entries").isArray()) {
            throw new InvalidVersionListException("the list must be a JSON object like {\"entries\": [...]}");
        }
        JsonNode array = root.get("entries");
        if (array.size() > MAX_ENTRIES) {
            throw new InvalidVersionListException("the list has " + array.size() + " entries; at most " + MAX_ENTRIES);
        }
        List<Entry> entries = new ArrayList<>();
        for (JsonNode item : array) {
            if (!item.isObject()) {
                throw new InvalidVersionListException("entry " + (entries.size() + 1) + " is not a JSON object");
            }
            String where = "entry " + (entries.size() + 1);
            String name = text(item, "name", MAX_WORD_CHARS, where).orElseThrow(
                    () -> new InvalidVersionListException(where + " has no \"name\""));
            String reason = text(item, "reason", MAX_REASON_CHARS, where).orElseThrow(
                    () -> new InvalidVersionListException(where + " has no \"reason\""));
            entries.add(new Entry(name, text(item, "from", MAX_WORD_CHARS, where),
                    text(item, "below", MAX_WORD_CHARS, where), reason));
        }
        return new UnsafeVersionList(entries);
    }

    private static Optional<String> text(JsonNode item, String field, int maxChars, String where)
            throws InvalidVersionListException {
        JsonNode node = item.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isTextual() || node.asText().isBlank()) {
            throw new InvalidVersionListException(where + ": \"" + field + "\" must be a non-empty string");
        }
        if (node.asText().length() > maxChars) {
            throw new InvalidVersionListException(where + ": \"" + field + "\" is over " + maxChars + " characters");
        }
        return Optional.of(node.asText());
    }
}
