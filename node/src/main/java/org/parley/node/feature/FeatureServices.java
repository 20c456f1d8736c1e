package org.parley.node.feature;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Services one feature offers the features started after it (the devices feature's device list
 * to history sync, say), by type. Features start in order, so a feature finds only what an
 * earlier one put; a later one's service is looked up when used, not at start. Thread safe.
 */
public final class FeatureServices {

    private final Map<Class<?>, Object> services = new ConcurrentHashMap<>();

    /** Offers {@code service} as the node's one {@code type}; a second offer of the same type replaces the first. */
    public <T> void put(Class<T> type, T service) {
        services.put(type, type.cast(service));
    }

    /** The node's {@code type}, if a started feature offered one. */
    public <T> Optional<T> get(Class<T> type) {
        return Optional.ofNullable(services.get(type)).map(type::cast);
    }
}
