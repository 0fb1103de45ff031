package dev.intunelock.testing;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/** Every recovery PIN the tests hand to the Graph stand-in, so the last test can prove none reached a log line. */
public final class TestPins {

    private static final Set<String> ISSUED = ConcurrentHashMap.newKeySet();

    private TestPins() {
    }

    /** A fresh 6-digit PIN, always with a leading zero (the case most easily lost). */
    public static String next() {
        return remember(String.format("0%05d", ThreadLocalRandom.current().nextInt(100_000)));
    }

    public static String remember(String pin) {
        ISSUED.add(pin);
        return pin;
    }

    public static Set<String> issued() {
        return Set.copyOf(ISSUED);
    }

    /** The PIN as a word of a text (a log line): not merely six digits inside a longer number or id. */
    public static Pattern asAWord(String pin) {
        return Pattern.compile("(?<![0-9A-Za-z])" + pin + "(?![0-9A-Za-z])");
    }
}
