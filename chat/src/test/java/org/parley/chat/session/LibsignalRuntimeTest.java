package org.parley.chat.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LibsignalRuntimeTest {

    @Test
    void libsignalLoadsOnTheBuildMachine() {
        assertThat(LibsignalRuntime.unavailableReason()).isEmpty();
    }

    @Test
    void reasonNamesThePlatformAndTheRootCause() {
        Error error = new ExceptionInInitializerError(new UnsatisfiedLinkError(
                "/tmp/libsignal_jni.so: /lib/libc.so.6: version `GLIBC_2.34' not found"));
        assertThat(LibsignalRuntime.reasonFor(error, "Linux", "AMD64")).isEqualTo(
                "end-to-end encrypted chat is off: Signal's native library (libsignal) does not load on Linux amd64 "
                        + "(/tmp/libsignal_jni.so: /lib/libc.so.6: version `GLIBC_2.34' not found). Everything else "
                        + "works; chat needs Linux or Windows on x86-64, or macOS, with an up-to-date C library");
    }
}
