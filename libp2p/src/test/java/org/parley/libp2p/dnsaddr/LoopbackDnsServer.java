package org.parley.libp2p.dnsaddr;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * A tiny authoritative DNS server on 127.0.0.1 for tests: answers TXT queries from the records the
 * test gives it, NXDOMAIN for any other name, and nothing at all for names set to be silent. Over
 * UDP an answer larger than the query allows (512 bytes, or its EDNS size) is truncated with the TC
 * bit, and the same port serves TCP for the client's retry, as a real server does. Counts the
 * queries it receives. Thread safe; one thread per transport serves.
 */
public final class LoopbackDnsServer implements AutoCloseable {

    /** A UDP DNS message is at most 512 bytes without EDNS. */
    private static final int PLAIN_UDP_LIMIT = 512;
    /** Receive buffer: a query with EDNS is far below this. */
    private static final int MAX_PACKET = 4096;
    /** A DNS message over TCP is at most 65535 bytes (two-byte length prefix). */
    private static final int MAX_TCP_MESSAGE = 65_535;
    private static final long TTL_SECONDS = 60;

    private final DatagramSocket socket;
    private final ServerSocket tcp;
    private final Map<Name, List<List<String>>> txt = new ConcurrentHashMap<>();
    private final Set<Name> silent = ConcurrentHashMap.newKeySet();
    private final List<Name> queried = new CopyOnWriteArrayList<>();
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private final Thread tcpThread;

    private LoopbackDnsServer(ServerSocket tcp, DatagramSocket socket) {
        this.tcp = tcp;
        this.socket = socket;
        this.thread = Thread.ofPlatform().daemon().name("loopback-dns-udp").start(this::serve);
        this.tcpThread = Thread.ofPlatform().daemon().name("loopback-dns-tcp").start(this::serveTcp);
    }

    /** Binds TCP and UDP on one free loopback port. */
    public static LoopbackDnsServer start() throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        for (int attempt = 0; ; attempt++) {
            ServerSocket tcp = new ServerSocket(0, 50, loopback);
            try {
                return new LoopbackDnsServer(tcp, new DatagramSocket(new InetSocketAddress(loopback, tcp.getLocalPort())));
            } catch (SocketException e) {
                tcp.close();
                if (attempt == 10) {
                    throw e;
                }
            }
        }
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    /** Adds one TXT record at {@code name} holding {@code value} as a single character-string. */
    public LoopbackDnsServer txt(String name, String value) {
        return txtStrings(name, List.of(value));
    }

    /** Adds one TXT record at {@code name} made of several character-strings. */
    public LoopbackDnsServer txtStrings(String name, List<String> strings) {
        txt.computeIfAbsent(absolute(name), n -> new CopyOnWriteArrayList<>()).add(List.copyOf(strings));
        return this;
    }

    /** Never answers queries for {@code name}, as a lost packet or a dead server would. */
    public LoopbackDnsServer silent(String name) {
        silent.add(absolute(name));
        return this;
    }

    /** Queries received so far (a UDP query retried over TCP counts twice). */
    public int queries() {
        return queried.size();
    }

    /** The distinct names asked about so far. */
    public Set<Name> namesQueried() {
        return Set.copyOf(queried);
    }

    /** Errors the serving thread met (malformed queries); a test may assert there were none. */
    public List<Throwable> failures() {
        return List.copyOf(failures);
    }

    private void serve() {
        byte[] buffer = new byte[MAX_PACKET];
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
            } catch (IOException e) {
                return;
            }
            try {
                Message query = new Message(Arrays.copyOf(packet.getData(), packet.getLength()));
                Message answer = answer(query);
                if (answer != null) {
                    int limit = query.getOPT() != null ? Math.max(PLAIN_UDP_LIMIT, query.getOPT().getPayloadSize())
                            : PLAIN_UDP_LIMIT;
                    // toWire(limit) drops the records that do not fit and sets TC.
                    byte[] out = answer.toWire(limit);
                    socket.send(new DatagramPacket(out, out.length, packet.getSocketAddress()));
                }
            } catch (IOException | RuntimeException e) {
                failures.add(e);
            }
        }
    }

    private void serveTcp() {
        while (!tcp.isClosed()) {
            try (Socket client = tcp.accept()) {
                DataInputStream in = new DataInputStream(client.getInputStream());
                DataOutputStream out = new DataOutputStream(client.getOutputStream());
                byte[] request = new byte[in.readUnsignedShort()];
                in.readFully(request);
                    Message answer = answer(new Message(request));
                if (answer != null) {
                    byte[] bytes = answer.toWire(MAX_TCP_MESSAGE);
                    out.writeShort(bytes.length);
                    out.write(bytes);
                    out.flush();
                }
            } catch (IOException | RuntimeException e) {
                if (!tcp.isClosed()) {
                    failures.add(e);
                }
            }
        }
    }

    private Message answer(Message query) {
        Record question = query.getQuestion();
        queried.add(question.getName());
        if (silent.contains(question.getName())) {
            return null;
        }
        Message answer = new Message(query.getHeader().getID());
        answer.getHeader().setFlag(Flags.QR);
        answer.getHeader().setFlag(Flags.AA);
        answer.addRecord(question, Section.QUESTION);
        List<List<String>> records = txt.get(question.getName());
        if (records == null) {
            answer.getHeader().setRcode(Rcode.NXDOMAIN);
        } else if (question.getType() == Type.TXT) {
            for (List<String> strings : records) {
                answer.addRecord(new TXTRecord(question.getName(), DClass.IN, TTL_SECONDS, strings), Section.ANSWER);
            }
        }
        return answer;
    }

    private static Name absolute(String name) {
        try {
            return Name.fromString(name, Name.root);
        } catch (TextParseException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        socket.close();
        tcp.close();
        thread.join();
        tcpThread.join();
    }
}
