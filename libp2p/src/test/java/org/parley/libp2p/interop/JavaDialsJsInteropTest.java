package org.parley.libp2p.interop;

import java.io.IOException;

/** The Java host dials the js peer: Java is Noise initiator and yamux client. */
class JavaDialsJsInteropTest extends HostJsInteropContract {

    @Override
    void connect() throws IOException {
        host.connect(js.addr());
    }

    @Override
    boolean javaDials() {
        return true;
    }
}
