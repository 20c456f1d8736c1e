package org.parley.node.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiEndpointTest {

    @TempDir
    Path dir;

    @Test
    void writesAnOwnerOnlyFileAndReadsItBack() throws Exception {
        ApiEndpoint endpoint = new ApiEndpoint(7701, "secret", 4242, "12D3KooWX");
        Path file = dir.resolve("api.json");

        endpoint.write(file);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(ApiEndpoint.read(file)).isEqualTo(endpoint);
        assertThat(endpoint.webUri().toString()).isEqualTo("http://127.0.0.1:7701/?token=secret");
    }

    @Test
    void replacesAStaleFile() throws Exception {
        Path file = dir.resolve("api.json");
        new ApiEndpoint(1, "old", 1, "a").write(file);

        new ApiEndpoint(2, "new", 2, "b").write(file);

        assertThat(ApiEndpoint.read(file).token()).isEqualTo("new");
        assertThat(Files.list(dir)).containsExactly(file);
    }

    @Test
    void saysWhatToDoWithAFileThatIsNotAnApiJson() throws Exception {
        Path file = Files.writeString(dir.resolve("api.json"), "{\"port\": 7701}");

        assertThatThrownBy(() -> ApiEndpoint.read(file))
                .hasMessage(file + " lacks a port or token; delete it if no node is running");
    }

    @Test
    void namesNoJavaClassForAFileWithAnUnknownField() throws Exception {
        Path file = Files.writeString(dir.resolve("api.json"), "{\"port\": 7701, \"colour\": \"red\"}");

        assertThatThrownBy(() -> ApiEndpoint.read(file))
                .hasMessageStartingWith(file + " is not a valid api.json (unreadable at line 1, column ")
                .hasMessageEndingWith("); delete it if no node is running")
                .hasMessageNotContainingAny("java", "ApiEndpoint", "colour");
    }

    @Test
    void namesNoJavaClassForBinaryGarbage() throws Exception {
        Path file = Files.write(dir.resolve("api.json"), new byte[] {(byte) 0xff, 0x00, (byte) 0x81});

        assertThatThrownBy(() -> ApiEndpoint.read(file))
                .hasMessageStartingWith(file + " is not a valid api.json (unreadable")
                .hasMessageNotContainingAny("java", "ApiEndpoint", "`");
    }
}
