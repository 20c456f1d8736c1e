package org.parley.node.api.dto;

/**
 * The fields of device requests: {@code identity} (optional: user ID or display name) and
 * {@code device} (a PeerId or device number, for revoke). Names only; bodies are read as JSON trees.
 */
public final class DeviceRequest {

    public static final String IDENTITY = "identity";
    public static final String DEVICE = "device";
    /** The query parameter of {@code GET /api/devices/link/qr}: a link code. */
    public static final String CODE = "code";

    private DeviceRequest() {}
}
