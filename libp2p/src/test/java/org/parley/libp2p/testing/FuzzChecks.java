package org.parley.libp2p.testing;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks shared by the {@code @FuzzTest} targets of every module. A fuzz target catches only the
 * typed exceptions its parser documents and hands them here; anything else escapes and Jazzer
 * reports it as a finding. Stateless.
 *
 * <p>How the targets run: during {@code ./mvnw test} every {@code @FuzzTest} replays only its seed
 * inputs from {@code src/test/resources/<package>/<TestClass>Inputs/<method>/} (regression mode,
 * a few milliseconds each). A fuzzing campaign runs one target at a time with {@code JAZZER_FUZZ=1},
 * for example
 *
 * <pre>
 *   JAZZER_FUZZ=1 ./mvnw -Dparley.build.suffix=-x -pl libp2p test \
 *       -Dtest='MultiaddrFuzzTest#fromBytes' -Djazzer.max_duration=2m
 * </pre>
 *
 * Jazzer writes an input that fails into that seed directory (crash-&lt;sha1&gt;), so it replays in
 * every later build; its working corpus goes to {@code .cifuzz-corpus/} in the module directory.
 */
public final class FuzzChecks {

    private FuzzChecks() {}

    /** A typed error a parser threw on bad input must say what was wrong. */
    public static void requireClearMessage(Exception e) {
        assertThat(e.getMessage()).as("message of %s", e.getClass().getName()).isNotBlank();
    }
}
