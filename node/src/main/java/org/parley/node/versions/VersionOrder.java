package org.parley.node.versions;

import java.util.Comparator;

/**
 * The order of dotted version numbers such as {@code 1.10.0} and {@code 0.2.0-SNAPSHOT}: numeric
 * parts compare as numbers (a missing part is 0), a part with letters compares as text, and a
 * pre-release (anything after the first {@code -}) comes before its release. Stateless.
 */
final class VersionOrder {

    static final Comparator<String> ORDER = VersionOrder::compare;

    private VersionOrder() {}

    static int compare(String a, String b) {
        String[] left = split(a);
        String[] right = split(b);
        int release = compareRelease(left[0], right[0]);
        if (release != 0) {
            return release;
        }
        if (left[1] == null || right[1] == null) {
            // A release (no suffix) is after any of its pre-releases.
            return left[1] == null ? (right[1] == null ? 0 : 1) : -1;
        }
        return compareRelease(left[1], right[1]);
    }

    private static String[] split(String version) {
        int dash = version.indexOf('-');
        return dash < 0 ? new String[] {version, null} : new String[] {version.substring(0, dash), version.substring(dash + 1)};
    }

    private static int compareRelease(String a, String b) {
        String[] left = a.split("\\.", -1);
        String[] right = b.split("\\.", -1);
        for (int i = 0; i < Math.max(left.length, right.length); i++) {
            String l = i < left.length ? left[i] : "0";
            String r = i < right.length ? right[i] : "0";
            int order = comparePart(l, r);
            if (order != 0) {
                return order;
            }
        }
        return 0;
    }

    private static int comparePart(String a, String b) {
        boolean numericA = !a.isEmpty() && a.chars().allMatch(Character::isDigit);
        boolean numericB = !b.isEmpty() && b.chars().allMatch(Character::isDigit);
        if (numericA && numericB) {
            String x = a.replaceFirst("^0+(?=.)", "");
            String y = b.replaceFirst("^0+(?=.)", "");
            return x.length() != y.length() ? Integer.compare(x.length(), y.length()) : x.compareTo(y);
        }
        if (numericA != numericB) {
            // A number sorts before a word (1.0.1 before 1.0.beta): an arbitrary, fixed choice.
            return numericA ? -1 : 1;
        }
        return a.compareTo(b);
    }
}
