package dev.intunelock.testing.iam;

/** IAM's wildcards in actions, resources and StringLike values: {@code *} any run of characters, {@code ?} one. */
final class Wildcards {

    private Wildcards() {
    }

    static boolean matches(String pattern, String value, boolean ignoreCase) {
        String p = ignoreCase ? pattern.toLowerCase(java.util.Locale.ROOT) : pattern;
        String v = ignoreCase ? value.toLowerCase(java.util.Locale.ROOT) : value;
        return matches(p, 0, v, 0);
    }

    private static boolean matches(String p, int pi, String v, int vi) {
        while (pi < p.length()) {
            char c = p.charAt(pi);
            if (c == '*') {
                for (int rest = vi; rest <= v.length(); rest++) {
                    if (matches(p, pi + 1, v, rest)) {
                        return true;
                    }
                }
                return false;
            }
            if (vi >= v.length() || (c != '?' && c != v.charAt(vi))) {
                return false;
            }
            pi++;
            vi++;
        }
        return vi == v.length();
    }
}
