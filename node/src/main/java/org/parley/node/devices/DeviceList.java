package org.parley.node.devices;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.peer.PeerId;

/**
 * A user's device list as of one version: the current devices (PeerId, libsignal device number,
 * when added) and the revoked ones (PeerId, device number, when revoked). The identity key signs
 * its {@linkplain #encode() encoding} ({@link SignedDeviceList}); a higher version replaces a
 * lower one. Immutable.
 *
 * <p>Encoding: {@code u8 format=1 ‖ u64 version ‖ u16 n ‖ n × entry ‖ u16 m ‖ m × entry}, an entry
 * being {@code u8 length ‖ PeerId ‖ u32 device number ‖ u64 epoch millis}.
 */
public record DeviceList(long version, List<Device> devices, List<Device> revoked) {

    /** One device of the list; {@code at} is when it was added (current) or revoked (revoked). */
    public record Device(PeerId peer, int number, Instant at) {}

    /** A person's phones, laptops and desktops: 32 is far more than anyone links, and bounds every list we accept. */
    public static final int MAX_DEVICES = 32;

    /** Revoked devices stay listed so contacts keep refusing them; past this the oldest are dropped. */
    public static final int MAX_REVOKED = 256;

    /** The largest encoding {@link #MAX_DEVICES} and {@link #MAX_REVOKED} entries of the longest PeerId give. */
    public static final int MAX_BYTES = 1 + 8 + 2 + 2 + (MAX_DEVICES + MAX_REVOKED) * (1 + PeerId.MAX_INLINE_KEY_BYTES + 4 + 8);

    private static final int FORMAT = 1;

    public DeviceList {
        devices = List.copyOf(devices);
        revoked = List.copyOf(revoked);
        if (version < 1) {
            throw new IllegalArgumentException("a device list version starts at 1");
        }
        if (devices.isEmpty() || devices.size() > MAX_DEVICES || revoked.size() > MAX_REVOKED) {
            throw new IllegalArgumentException("a device list has 1 to " + MAX_DEVICES + " devices and at most "
                    + MAX_REVOKED + " revoked");
        }
        Set<PeerId> peers = new HashSet<>();
        Set<Integer> numbers = new HashSet<>();
        for (Device d : devices) {
            if (!peers.add(d.peer()) || !numbers.add(d.number()) || d.number() < 1) {
                throw new IllegalArgumentException("a device list names each device once, with a number from 1");
            }
        }
        for (Device d : revoked) {
            if (!peers.add(d.peer())) {
                throw new IllegalArgumentException("a revoked device is not also current, nor revoked twice");
            }
        }
    }

    /** The first list of a user: this one device, number 1. */
    public static DeviceList first(PeerId device, int number, Instant now) {
        return new DeviceList(1, List.of(new Device(device, number, now)), List.of());
    }

    /** Whether {@code peer} is a current device. */
    public boolean isCurrent(PeerId peer) {
        return devices.stream().anyMatch(d -> d.peer().equals(peer));
    }

    /** The current device at {@code peer}. */
    public Optional<Device> device(PeerId peer) {
        return devices.stream().filter(d -> d.peer().equals(peer)).findFirst();
    }

    /** The next free device number: above every number used so far, revoked ones too, so none is reused. */
    public int nextNumber() {
        int max = 0;
        for (Device d : devices) {
            max = Math.max(max, d.number());
        }
        for (Device d : revoked) {
            max = Math.max(max, d.number());
        }
        return max + 1;
    }

    /** This list with {@code device} added, one version up. */
    public DeviceList with(Device device) {
        List<Device> next = new ArrayList<>(devices);
        next.add(device);
        return new DeviceList(version + 1, next, revoked);
    }

    /** This list with the device at {@code peer} moved to the revoked ones at {@code now}, one version up. */
    public DeviceList revoke(PeerId peer, Instant now) {
        Device gone = device(peer).orElseThrow(() -> new IllegalArgumentException("not a current device"));
        List<Device> next = new ArrayList<>(devices);
        next.remove(gone);
        List<Device> out = new ArrayList<>(revoked);
        out.add(new Device(gone.peer(), gone.number(), now));
        while (out.size() > MAX_REVOKED) {
            out.removeFirst();
        }
        return new DeviceList(version + 1, next, out);
    }

    /** The bytes the identity key signs. */
    public byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            out.writeLong(version);
            writeAll(out, devices);
            writeAll(out, revoked);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void writeAll(DataOutputStream out, List<Device> list) throws IOException {
        out.writeShort(list.size());
        for (Device d : list) {
            byte[] peer = d.peer().bytes();
            out.writeByte(peer.length);
            out.write(peer);
            out.writeInt(d.number());
            out.writeLong(d.at().toEpochMilli());
        }
    }

    /**
     * Reads an encoding.
     *
     * @throws PeerFaultException for anything malformed, over a limit, or inconsistent
     */
    public static DeviceList decode(byte[] bytes) throws PeerFaultException {
        if (bytes.length > MAX_BYTES) {
            throw new PeerFaultException("a device list of " + bytes.length + " bytes exceeds " + MAX_BYTES);
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            int format = Byte.toUnsignedInt(in.get());
            if (format != FORMAT) {
                throw new PeerFaultException("device list format " + format + " is not " + FORMAT);
            }
            long version = in.getLong();
            List<Device> devices = readAll(in, MAX_DEVICES, "devices");
            List<Device> revoked = readAll(in, MAX_REVOKED, "revoked devices");
            if (in.hasRemaining()) {
                throw new PeerFaultException("a device list has " + in.remaining() + " bytes after its end");
            }
            return new DeviceList(version, devices, revoked);
        } catch (BufferUnderflowException e) {
            throw new PeerFaultException("a device list ends early");
        } catch (IllegalArgumentException e) {
            throw new PeerFaultException("a device list is inconsistent: " + e.getMessage());
        }
    }

    private static List<Device> readAll(ByteBuffer in, int max, String what) throws PeerFaultException {
        int count = Short.toUnsignedInt(in.getShort());
        if (count > max) {
            throw new PeerFaultException("a device list names " + count + " " + what + "; at most " + max);
        }
        List<Device> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int length = Byte.toUnsignedInt(in.get());
            if (length > in.remaining()) {
                throw new BufferUnderflowException();
            }
            byte[] peer = new byte[length];
            in.get(peer);
            int number = in.getInt();
            long at = in.getLong();
            if (at < 0) {
                throw new PeerFaultException("a device list entry has a time before 1970");
            }
            out.add(new Device(PeerId.fromBytes(peer), number, Instant.ofEpochMilli(at)));
        }
        return out;
    }
}
