package org.parley.node.feature;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.dht.DhtConfig.ModePolicy;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.node.DataDir;
import org.parley.node.NodeSettings;
import org.parley.node.ParleyNode;
import org.parley.node.api.ApiRoutes;

/** A feature plugs into a whole node without the node knowing it: handlers, routes, closeables, context. */
class FeatureTest {

    private static final String PROTOCOL = "/parley/test-echo/1.0.0";
    private static final Instant FIXED = Instant.parse("2026-03-01T12:00:00Z");

    @TempDir
    Path dir;

    /** A feature as chat or files will be: a protocol, a route, something to close. */
    private static final class EchoFeature implements Feature {
        final AtomicReference<FeatureContext> context = new AtomicReference<>();
        final AtomicBoolean closed = new AtomicBoolean();

        @Override
        public String name() {
            return "echo";
        }

        @Override
        public FeatureParts start(FeatureContext context) {
            this.context.set(context);
            ApiRoutes routes = app -> app.get("/api/echo-time",
                    ctx -> ctx.json(Map.of("now", context.clock().instant().toString())));
            return new FeatureParts(Map.of(PROTOCOL, stream -> stream.close()), List.of(routes),
                    List.of(() -> closed.set(true)));
        }
    }

    @Test
    void aFeatureServesItsProtocolAndRoutesReadsTheInjectedClockAndIsClosedWithTheNode() throws Exception {
        EchoFeature echo = new EchoFeature();
        List<Feature> features = new ArrayList<>(ParleyNode.defaultFeatures());
        features.add(echo);
        InstantSource clock = InstantSource.fixed(FIXED);

        ParleyNode node = ParleyNode.start(new NodeSettings(new DataDir(dir),
                List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")), List.of(), 0, ModePolicy.SERVER), features, clock);
        try {
            assertThat(node.host().protocols()).contains(PROTOCOL);
            assertThat(echo.context.get().host()).isSameAs(node.host());
            assertThat(get(node, "/api/echo-time")).isEqualTo("{\"now\":\"" + FIXED + "\"}");
            assertThat(get(node, "/api/id")).contains(node.host().peerId().toBase58());
            assertThat(echo.closed).isFalse();
        } finally {
            node.close();
        }
        assertThat(echo.closed).isTrue();
    }

    private static String get(ParleyNode node, String path) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.apiEndpoint().port() + path))
                            .header("Authorization", "Bearer " + node.apiEndpoint().token()).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        }
    }
}
