package org.parley.node.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrowserOpenerTest {

    @Test
    void prefersTheDesktopIntegration() {
        assertThat(BrowserOpener.choose(true, true, Map.of("DISPLAY", ":0"))).isEqualTo(BrowserOpener.Way.DESKTOP);
    }

    @Test
    void usesXdgOpenInAGraphicalSession() {
        assertThat(BrowserOpener.choose(false, true, Map.of("DISPLAY", ":0"))).isEqualTo(BrowserOpener.Way.XDG_OPEN);
        assertThat(BrowserOpener.choose(false, true, Map.of("WAYLAND_DISPLAY", "wayland-0")))
                .isEqualTo(BrowserOpener.Way.XDG_OPEN);
    }

    @Test
    void doesNotRunXdgOpenWithoutAGraphicalSession() {
        // xdg-open would start a text browser on the node's terminal.
        assertThat(BrowserOpener.choose(false, true, Map.of())).isEqualTo(BrowserOpener.Way.NONE);
        assertThat(BrowserOpener.choose(false, true, Map.of("DISPLAY", " "))).isEqualTo(BrowserOpener.Way.NONE);
    }

    @Test
    void opensNothingWithoutDesktopOrXdgOpen() {
        assertThat(BrowserOpener.choose(false, false, Map.of("DISPLAY", ":0"))).isEqualTo(BrowserOpener.Way.NONE);
    }

    @Test
    void findsAnExecutableOnThePath(@TempDir Path dir) throws IOException {
        Path empty = Files.createDirectory(dir.resolve("empty"));
        Path bin = Files.createDirectory(dir.resolve("bin"));
        Path tool = Files.createFile(bin.resolve("xdg-open"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.createFile(empty.resolve("not-executable"));

        assertThat(BrowserOpener.findOnPath("xdg-open", empty + ":" + bin)).hasValue(tool);
        assertThat(BrowserOpener.findOnPath("xdg-open", empty.toString())).isEmpty();
        assertThat(BrowserOpener.findOnPath("not-executable", empty.toString())).isEmpty();
        assertThat(BrowserOpener.findOnPath("xdg-open", null)).isEmpty();
    }
}
