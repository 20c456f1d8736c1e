package org.parley.libp2p.interop;

import static org.assertj.core.api.Assertions.assertThat;

/** The js peer dials the Java host: Java is Noise responder and yamux server. */
class JsDialsJavaInteropTest extends HostJsInteropContract {

    @Override
    void connect() {
        assertThat(js.dial(javaAddr).path("peer").asText()).isEqualTo(host.peerId().toString());
    }

    @Override
    boolean javaDials() {
        return false;
    }
}
