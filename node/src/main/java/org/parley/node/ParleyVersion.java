package org.parley.node;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * The node's version, from the Maven build, and the identify agent string {@code parley/<version>}
 * derived from it. Stateless.
 */
public final class ParleyVersion implements IVersionProvider {

    private static final String VERSION = load();

    /** The project version, for example {@code 0.1.0-SNAPSHOT}. */
    public static String version() {
        return VERSION;
    }

    /** What identify announces as agentVersion: {@code parley/<version>}. */
    public static String agentVersion() {
        return "parley/" + VERSION;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"parley " + VERSION, "Java " + Runtime.version()};
    }

    private static String load() {
        try (InputStream in = ParleyVersion.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                throw new IllegalStateException("version.properties is missing from the node jar: a broken build");
            }
            Properties props = new Properties();
            props.load(in);
            return props.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
