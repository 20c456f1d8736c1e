package org.parley.dht.sim;

/** Lets tests in other packages arm a simulated peer with a behaviour. */
public final class SimTestAccess {

    private SimTestAccess() {}

    public static void setBehaviour(SimNetwork.Endpoint endpoint, SimBehaviour behaviour) {
        endpoint.setBehaviour(behaviour);
    }
}
