package org.parley.node.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.parley.dht.DhtConfig.ModePolicy;
import org.parley.node.nat.RelayServicePolicy;

/**
 * Reads a node's settings file: JSON ({@code config.json}) or, for a name ending in
 * {@code .properties}, Java properties. Both use the same setting names:
 *
 * <pre>
 * { "listen": ["/ip4/0.0.0.0/tcp/4001"], "bootstrap": ["/ip4/.../tcp/4001/p2p/12D3..."],
 *   "apiPort": 7701, "dhtMode": "auto", "passphraseFile": "/home/me/.parley-passphrase", "relayService": "auto",
 *   "stun": ["stun:stun.example.org:3478"],
 *   "unsafeVersions": "https://example.org/unsafe-versions.json", "unsafeVersionsKey": "12D3KooW...",
 *   "syncInterval": "5m", "coverTraffic": "off" }
 *
 * listen=/ip4/0.0.0.0/tcp/4001
 * bootstrap=/ip4/10.0.0.1/tcp/4001/p2p/12D3..., /ip4/10.0.0.2/tcp/4001/p2p/12D3...
 * apiPort=7701
 * dhtMode=auto
 * passphraseFile=/home/me/.parley-passphrase
 * relayService=auto
 * stun=stun:stun.example.org:3478
 * unsafeVersions=/etc/parley/unsafe-versions.json
 * unsafeVersionsKey=12D3KooW...
 * syncInterval=5m
 * coverTraffic=off
 * </pre>
 *
 * <p>Unknown names are refused, so a misspelt setting is not silently ignored. Stateless.
 */
public final class ConfigFile {

    /** A settings file is a few lines; anything this large is not one. */
    public static final long MAX_FILE_BYTES = 1024 * 1024;

    static final String LISTEN = "listen";
    static final String BOOTSTRAP = "bootstrap";
    static final String API_PORT = "apiPort";
    static final String DHT_MODE = "dhtMode";
    static final String PASSPHRASE_FILE = "passphraseFile";
    static final String RELAY_SERVICE = "relayService";
    static final String STUN = "stun";
    static final String UNSAFE_VERSIONS = "unsafeVersions";
    static final String UNSAFE_VERSIONS_KEY = "unsafeVersionsKey";
    static final String SYNC_INTERVAL = "syncInterval";
    static final String COVER_TRAFFIC = "coverTraffic";
    private static final List<String> KNOWN_ORDERED = List.of(LISTEN, BOOTSTRAP, API_PORT, DHT_MODE, PASSPHRASE_FILE,
            RELAY_SERVICE, STUN, UNSAFE_VERSIONS, UNSAFE_VERSIONS_KEY, SYNC_INTERVAL, COVER_TRAFFIC);
    private static final Set<String> KNOWN = Set.copyOf(KNOWN_ORDERED);
    private static final String KNOWN_LIST = String.join(", ", KNOWN_ORDERED);

    private static final ObjectMapper JSON = new ObjectMapper();

    private ConfigFile() {}

    /** Reads {@code file}; a missing file is an error (the user named it). */
    public static NodeConfig read(Path file) throws ConfigException {
        String text;
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw new ConfigException(file + " is " + size + " bytes; a config file is at most "
                        + MAX_FILE_BYTES + " bytes");
            }
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException("config file " + file + " does not exist", e);
        } catch (CharacterCodingException e) {
            // The decoder's own message ("Input length = 1") tells a user nothing.
            throw new ConfigException("config file " + file + " is not UTF-8 text, so it is no settings file;"
                    + " write it as JSON like {\"apiPort\": 7701}, or delete it to use the defaults", e);
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage(), e);
        }
        return file.getFileName().toString().endsWith(".properties")
                ? parseProperties(text, file.toString())
                : parseJson(text, file.toString());
    }

    /** Reads {@code file} if it exists, else gives {@link NodeConfig#EMPTY}. */
    public static NodeConfig readIfPresent(Path file) throws ConfigException {
        return Files.exists(file) ? read(file) : NodeConfig.EMPTY;
    }

    static NodeConfig parseJson(String text, String source) throws ConfigException {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new ConfigException(source + " is not valid JSON: " + e.getOriginalMessage()
                    + " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr(), e);
        }
        if (root == null || root.isMissingNode()) {
            return NodeConfig.EMPTY;
        }
        if (!root.isObject()) {
            throw new ConfigException(source + " must hold a JSON object like {\"listen\": [...]}");
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            checkKnown(names.next(), source);
        }
        try {
            return new NodeConfig(
                    jsonList(root, LISTEN, source),
                    jsonList(root, BOOTSTRAP, source),
                    jsonPort(root, source),
                    root.has(DHT_MODE) ? ModePolicy.parse(jsonText(root.get(DHT_MODE), DHT_MODE, source)) : null,
                    root.has(PASSPHRASE_FILE) ? jsonText(root.get(PASSPHRASE_FILE), PASSPHRASE_FILE, source) : null,
                    root.has(RELAY_SERVICE)
                            ? RelayServicePolicy.parse(jsonText(root.get(RELAY_SERVICE), RELAY_SERVICE, source))
                            : null,
                    jsonList(root, STUN, source),
                    root.has(UNSAFE_VERSIONS) ? jsonText(root.get(UNSAFE_VERSIONS), UNSAFE_VERSIONS, source) : null,
                    root.has(UNSAFE_VERSIONS_KEY)
                            ? jsonText(root.get(UNSAFE_VERSIONS_KEY), UNSAFE_VERSIONS_KEY, source) : null,
                    jsonSyncInterval(root),
                    jsonCoverTraffic(root.get(COVER_TRAFFIC), source));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(source + ": " + e.getMessage(), e);
        }
    }

    static NodeConfig parseProperties(String text, String source) throws ConfigException {
        Properties props = new Properties();
        try (Reader reader = new StringReader(text)) {
            props.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException(source + " is not a valid properties file: " + e.getMessage(), e);
        }
        for (Map.Entry<Object, Object> entry : props.entrySet()) {
            checkKnown((String) entry.getKey(), source);
        }
        try {
            return new NodeConfig(
                    propertyList(props.getProperty(LISTEN)),
                    propertyList(props.getProperty(BOOTSTRAP)),
                    props.containsKey(API_PORT) ? parsePort(props.getProperty(API_PORT).strip()) : null,
                    props.containsKey(DHT_MODE) ? ModePolicy.parse(props.getProperty(DHT_MODE)) : null,
                    props.containsKey(PASSPHRASE_FILE) ? props.getProperty(PASSPHRASE_FILE).strip() : null,
                    props.containsKey(RELAY_SERVICE) ? RelayServicePolicy.parse(props.getProperty(RELAY_SERVICE))
                            : null,
                    propertyList(props.getProperty(STUN)),
                    props.containsKey(UNSAFE_VERSIONS) ? props.getProperty(UNSAFE_VERSIONS).strip() : null,
                    props.containsKey(UNSAFE_VERSIONS_KEY) ? props.getProperty(UNSAFE_VERSIONS_KEY).strip() : null,
                    props.containsKey(SYNC_INTERVAL) ? SyncInterval.parse(props.getProperty(SYNC_INTERVAL)) : null,
                    props.containsKey(COVER_TRAFFIC) ? CoverTraffic.parse(props.getProperty(COVER_TRAFFIC)) : null);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(source + ": " + e.getMessage(), e);
        }
    }

    private static void checkKnown(String name, String source) throws ConfigException {
        if (!KNOWN.contains(name)) {
            throw new ConfigException(source + ": unknown setting '" + name + "'; known settings: " + KNOWN_LIST);
        }
    }

    private static List<String> jsonList(JsonNode root, String name, String source) throws ConfigException {
        JsonNode node = root.get(name);
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isTextual()) {
            return List.of(node.asText());
        }
        if (!node.isArray()) {
            throw new ConfigException(source + ": '" + name + "' must be a list, got " + node.getNodeType());
        }
        List<String> values = new ArrayList<>();
        for (JsonNode item : node) {
            values.add(jsonText(item, name, source));
        }
        return values;
    }

    /** {@code "off"}, {@code "on"} or a number of envelopes a minute, as text or a JSON number. */
    private static CoverTraffic jsonCoverTraffic(JsonNode node, String source) throws ConfigException {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isIntegralNumber() && node.canConvertToInt()) {
            return new CoverTraffic(node.intValue());
        }
        return CoverTraffic.parse(jsonText(node, COVER_TRAFFIC, source));
    }

    private static Integer jsonPort(JsonNode root, String source) throws ConfigException {
        JsonNode node = root.get(API_PORT);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.canConvertToInt() || !node.isIntegralNumber()) {
            throw new ConfigException(source + ": '" + API_PORT + "' must be a port number, got " + node);
        }
        return checkPort(node.intValue());
    }

    /** {@code "5m"}, or a bare number of seconds. */
    private static Duration jsonSyncInterval(JsonNode root) {
        JsonNode node = root.get(SYNC_INTERVAL);
        if (node == null || node.isNull()) {
            return null;
        }
        return SyncInterval.parse(node.isIntegralNumber() ? node.asText() : node.isTextual() ? node.asText()
                : node.toString());
    }

    private static String jsonText(JsonNode node, String name, String source) throws ConfigException {
        if (!node.isTextual()) {
            throw new ConfigException(source + ": '" + name + "' entries must be strings, got " + node);
        }
        return node.asText();
    }

    private static List<String> propertyList(String value) {
        if (value == null) {
            return null;
        }
        return Arrays.stream(value.split("[,\\s]+")).filter(s -> !s.isEmpty()).toList();
    }

    private static int parsePort(String text) {
        try {
            return checkPort(Integer.parseInt(text));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + API_PORT + "' must be a port number, got '" + text + "'", e);
        }
    }

    private static int checkPort(int port) {
        if (port < 0 || port > NodeConfig.MAX_PORT) {
            throw new IllegalArgumentException("'" + API_PORT + "' " + port + " is outside 0.." + NodeConfig.MAX_PORT);
        }
        return port;
    }
}
