package org.parley.node.web;

import java.awt.Desktop;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Opens the web UI in the default browser for {@code --open}: through the desktop integration of
 * the JDK when it has one, else with {@code xdg-open} when it is on the PATH and a graphical
 * session is running, else it prints one line asking the user to open the printed URL. Stateless.
 */
public final class BrowserOpener {

    /** How the page was (or was not) opened. */
    public enum Way { DESKTOP, XDG_OPEN, NONE }

    private static final String XDG_OPEN = "xdg-open";

    private BrowserOpener() {}

    /**
     * Opens {@code uri}; failures are reported on {@code err} in one line, never thrown: the node
     * runs on without a browser.
     */
    public static Way open(URI uri, PrintWriter err) {
        Map<String, String> env = System.getenv();
        Way way = choose(desktopCanBrowse(), findOnPath(XDG_OPEN, env.get("PATH")).isPresent(), env);
        try {
            switch (way) {
                case DESKTOP -> Desktop.getDesktop().browse(uri);
                case XDG_OPEN -> new ProcessBuilder(findOnPath(XDG_OPEN, env.get("PATH")).orElseThrow().toString(),
                        uri.toString())
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectError(ProcessBuilder.Redirect.DISCARD)
                        .start();
                case NONE -> err.println("parley: no browser to open here; open the api: URL printed above in a"
                        + " browser on this machine");
            }
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            err.println("parley: opening the browser failed (" + e.getMessage() + "); open the api: URL printed"
                    + " above in a browser on this machine");
            way = Way.NONE;
        }
        err.flush();
        return way;
    }

    /**
     * The way to open a page: the JDK's desktop integration first; {@code xdg-open} only in a
     * graphical session, since without one it starts a text browser that would take over the
     * node's terminal.
     */
    static Way choose(boolean desktopCanBrowse, boolean xdgOpenOnPath, Map<String, String> env) {
        if (desktopCanBrowse) {
            return Way.DESKTOP;
        }
        boolean graphical = isSet(env.get("DISPLAY")) || isSet(env.get("WAYLAND_DISPLAY"));
        return xdgOpenOnPath && graphical ? Way.XDG_OPEN : Way.NONE;
    }

    /** The executable {@code name} in one of the directories of {@code pathVariable}, if any. */
    static Optional<Path> findOnPath(String name, String pathVariable) {
        if (pathVariable == null) {
            return Optional.empty();
        }
        for (String dir : pathVariable.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static boolean desktopCanBrowse() {
        try {
            return Desktop.isDesktopSupported() && Desktop.getDesktop().isSupported(Desktop.Action.BROWSE);
        } catch (RuntimeException | LinkageError e) {
            // A JDK without java.desktop, or a headless one: no desktop integration.
            return false;
        }
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }
}
