package org.parley.libp2p.yamux;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.HexFormat;
import org.parley.libp2p.transport.memory.MemoryPipe;

/**
 * The far end of a session under test, driven by the test frame by frame: it writes the hex a
 * real peer would send and checks the frames the session writes back.
 */
final class ScriptedYamuxPeer implements AutoCloseable {

    private static final HexFormat HEX = HexFormat.of();

    private final MemoryPipe.End end;

    ScriptedYamuxPeer(MemoryPipe.End end) {
        this.end = end;
    }

    /** Sends bytes given as hex; spaces are ignored, so the spec's layout can be kept. */
    void send(String hex) throws IOException {
        end.out().write(bytes(hex));
    }

    void send(YamuxFrame frame) throws IOException {
        end.out().write(YamuxFrameCodec.encode(frame));
    }

    /** The next frame the session wrote, payload included. */
    YamuxFrame read() throws IOException {
        YamuxFrame frame = YamuxFrameCodec.read(end.in(), YamuxConfig.DEFAULT_MAX_STREAM_WINDOW);
        assertThat(frame).as("a frame from the session").isNotNull();
        return frame;
    }

    /** Checks that the next frame the session wrote is exactly {@code hex}. */
    void expect(String hex) throws IOException {
        assertThat(HEX.formatHex(YamuxFrameCodec.encode(read()))).isEqualTo(HEX.formatHex(bytes(hex)));
    }

    /** Checks that the session closed the connection after its last frame. */
    void expectEndOfStream() throws IOException {
        assertThat(YamuxFrameCodec.read(end.in(), YamuxConfig.DEFAULT_MAX_STREAM_WINDOW)).isNull();
    }

    /** Sends a ping and waits for its answer: everything sent before it has been handled. */
    void sync() throws IOException {
        send("00 02 0001 00000000 7fffffff");
        expect("00 02 0002 00000000 7fffffff");
    }

    static byte[] bytes(String hex) {
        return HEX.parseHex(hex.replace(" ", ""));
    }

    @Override
    public void close() {
        end.close();
    }
}
