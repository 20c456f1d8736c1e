package org.parley.node.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.dht.DhtConfig;
import org.parley.dht.DhtConfig.ModePolicy;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.peer.PeerId;
import org.parley.node.DataDir;
import org.parley.node.NodeSettings;
import org.parley.node.config.ConfigException;
import org.parley.node.nat.RelayServicePolicy;
import picocli.CommandLine;

class ParleyCommandTest {

    @TempDir
    Path dir;

    private final String peer = PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey()).toBase58();
    private final StringWriter err = new StringWriter();

    @Test
    void parsesEveryNodeOption() throws Exception {
        NodeSettings settings = settings(
                "--data-dir", dir.toString(),
                "--listen", "/ip4/127.0.0.1/tcp/4101",
                "--listen", "/ip4/127.0.0.1/tcp/4102",
                "--bootstrap", "/ip4/127.0.0.1/tcp/4001/p2p/" + peer,
                "--api-port", "0",
                "--dht-mode", "server",
                "--relay-service", "off",
                "--stun", "stun:stun.example.org:3478",
                "--stun", "stun:10.0.0.1:3478");

        assertThat(settings.stun()).containsExactly("stun:stun.example.org:3478", "stun:10.0.0.1:3478");
        assertThat(settings.dataDir()).isEqualTo(new DataDir(dir));
        assertThat(settings.listen()).containsExactly(
                Multiaddr.parse("/ip4/127.0.0.1/tcp/4101"), Multiaddr.parse("/ip4/127.0.0.1/tcp/4102"));
        assertThat(settings.bootstrap()).containsExactly(Multiaddr.parse("/ip4/127.0.0.1/tcp/4001/p2p/" + peer));
        assertThat(settings.apiPort()).isZero();
        assertThat(settings.dhtMode()).isEqualTo(ModePolicy.SERVER);
        assertThat(settings.relayService()).isEqualTo(RelayServicePolicy.OFF);
    }

    @Test
    void usesDefaultsWithoutOptionsOrConfigFile() throws Exception {
        NodeSettings settings = settings("--data-dir", dir.toString());

        assertThat(settings.listen()).containsExactly(Multiaddr.parse("/ip4/0.0.0.0/tcp/4001"));
        assertThat(settings.bootstrap()).isEmpty();
        assertThat(settings.apiPort()).isEqualTo(7701);
        assertThat(settings.dhtMode()).isEqualTo(ModePolicy.AUTO);
        assertThat(settings.relayService()).isEqualTo(RelayServicePolicy.AUTO);
        assertThat(settings.stun()).as("no STUN server unless one is named").isEmpty();
    }

    @Test
    void aStunServerThatIsNoStunUrlIsRefusedWithAnExample() {
        ParleyCommand command = parse("--data-dir", dir.toString(), "--stun", "stun.example.org");

        assertThatThrownBy(command::settings)
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("stun:HOST:PORT")
                .hasMessageContaining("stun.example.org");
    }

    @Test
    void defaultDataDirIsDotParleyInTheHomeDirectory() {
        ParleyCommand command = parse();

        assertThat(command.dataDir().root()).isEqualTo(Path.of(System.getProperty("user.home"), ".parley"));
    }

    @Test
    void readsConfigJsonFromTheDataDirAndLetsOptionsOverrideIt() throws Exception {
        Files.writeString(dir.resolve("config.json"), """
                {"listen": ["/ip4/127.0.0.1/tcp/5001"], "apiPort": 7800, "dhtMode": "client",
                 "bootstrap": ["/ip4/127.0.0.1/tcp/4001/p2p/%s"]}
                """.formatted(peer));

        NodeSettings settings = settings("--data-dir", dir.toString(), "--api-port", "7900");

        assertThat(settings.listen()).containsExactly(Multiaddr.parse("/ip4/127.0.0.1/tcp/5001"));
        assertThat(settings.bootstrap()).hasSize(1);
        assertThat(settings.apiPort()).isEqualTo(7900);
        assertThat(settings.dhtMode()).isEqualTo(ModePolicy.CLIENT);
    }

    @Test
    void anExplicitConfigFileReplacesTheDataDirOne() throws Exception {
        Files.writeString(dir.resolve("config.json"), "{\"apiPort\": 7800}");
        Path other = Files.writeString(dir.resolve("other.properties"), "apiPort=7801\n");

        NodeSettings settings = settings("--data-dir", dir.toString(), "--config", other.toString());

        assertThat(settings.apiPort()).isEqualTo(7801);
    }

    @Test
    void refusesABootstrapAddressWithoutPeerId() {
        assertThatThrownBy(() -> settings("--data-dir", dir.toString(), "--bootstrap", "/ip4/127.0.0.1/tcp/4001"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("bootstrap address /ip4/127.0.0.1/tcp/4001 must end in /p2p/<PeerId>, so the node can"
                        + " check whom it reached; copy the full 'listen:' line the other node printed");
    }

    @Test
    void acceptsADnsaddrBootstrapAddress() throws Exception {
        String peer = "/p2p/QmNnooDu7bfjPFoTZYxMNLWUQJyrVwtbZg5gBMjTezGAJN";
        NodeSettings settings = settings("--data-dir", dir.toString(), "--bootstrap", "/dnsaddr/bootstrap.libp2p.io" + peer);

        assertThat(settings.bootstrap()).extracting(Object::toString).containsExactly("/dnsaddr/bootstrap.libp2p.io" + peer);
    }

    @Test
    void acceptsEveryPublicBootstrapAddress() throws Exception {
        List<String> args = new ArrayList<>(List.of("--data-dir", dir.toString()));
        for (String address : DhtConfig.PUBLIC_BOOTSTRAP) {
            args.add("--bootstrap");
            args.add(address);
        }

        assertThat(settings(args.toArray(String[]::new)).bootstrap()).extracting(Object::toString)
                .containsExactlyElementsOf(DhtConfig.PUBLIC_BOOTSTRAP);
    }

    @Test
    void refusesADnsaddrBootstrapAddressWithATransport() {
        String address = "/dnsaddr/bootstrap.libp2p.io/tcp/4001/p2p/QmNnooDu7bfjPFoTZYxMNLWUQJyrVwtbZg5gBMjTezGAJN";
        assertThatThrownBy(() -> settings("--data-dir", dir.toString(), "--bootstrap", address))
                .isInstanceOf(ConfigException.class)
                .hasMessage("bootstrap address " + address + " must be /dnsaddr/<host>/p2p/<PeerId>: the DNS records"
                        + " name the transport, so nothing goes between the host and /p2p/");
    }

    @Test
    void namesTheBadListenAddress() {
        assertThatThrownBy(() -> settings("--data-dir", dir.toString(), "--listen", "/ip4/127.0.0.1/tpc/1"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("bad listen address '/ip4/127.0.0.1/tpc/1': ");
    }

    @Test
    void unknownDhtModeIsAUsageError() {
        int exit = execute("--dht-mode", "sometimes");

        assertThat(exit).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString()).contains("unknown DHT mode 'sometimes'; expected one of auto, server, client");
    }

    @Test
    void unknownRelayServiceIsAUsageError() {
        int exit = execute("--relay-service", "sometimes");

        assertThat(exit).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString()).contains("relay service must be on, off or auto, not 'sometimes'");
    }

    @Test
    void apiPortOutOfRangeIsAUsageError() {
        ParleyCommand command = parse("--data-dir", dir.toString(), "--api-port", "65536");

        assertThatThrownBy(command::settings)
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessage("--api-port 65536 is outside 0..65535");
    }

    @Test
    void unknownOptionIsAUsageError() {
        assertThat(execute("--lisen", "/ip4/127.0.0.1/tcp/1")).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString()).contains("Unknown options: '--lisen', '/ip4/127.0.0.1/tcp/1'")
                .contains("Possible solutions: --listen");
    }

    @Test
    void subcommandMissingItsArgumentIsAUsageError() {
        assertThat(execute("ping")).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString()).contains("Missing required parameter: 'PEER'");
    }

    private NodeSettings settings(String... args) throws ConfigException {
        return parse(args).settings();
    }

    private static ParleyCommand parse(String... args) {
        CommandLine commandLine = ParleyCommand.commandLine();
        commandLine.parseArgs(args);
        return commandLine.getCommand();
    }

    private int execute(String... args) {
        CommandLine commandLine = ParleyCommand.commandLine();
        commandLine.setErr(new PrintWriter(err, true));
        commandLine.setOut(new PrintWriter(new StringWriter(), true));
        return commandLine.execute(args);
    }
}
