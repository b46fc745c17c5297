package dev.triage.config;

import java.util.Collection;
import java.util.Optional;

/**
 * The known key a typo most likely meant: {@code rmp} for {@code rpm}, {@code timout} for {@code timeout}. Edits
 * are insertions, deletions, substitutions and swaps of two neighbours; a key is suggested only when it is at most
 * two edits away and fewer than half its length, so that unrelated LiteLLM keys are not "corrected".
 */
final class NearestKey {

    private NearestKey() {
    }

    static Optional<String> to(String typed, Collection<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int distance = distance(typed, candidate);
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        if (best == null || bestDistance > 2 || bestDistance * 2 >= best.length()) return Optional.empty();
        return Optional.of(best);
    }

    /** Optimal string alignment distance. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) d[i][0] = i;
        for (int j = 0; j <= b.length(); j++) d[0][j] = j;
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
