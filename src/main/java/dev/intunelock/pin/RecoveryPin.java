package dev.intunelock.pin;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A Mac's 6-digit recovery PIN, kept exactly as Intune gave it ({@code "004217"} stays {@code "004217"}).
 * {@link #toString()} never shows it, so it cannot slip into a log line or an exception message.
 */
public final class RecoveryPin {

    private static final Pattern SIX_DIGITS = Pattern.compile("[0-9]{6}");

    private final String digits;

    private RecoveryPin(String digits) {
        this.digits = digits;
    }

    /** Empty unless {@code value} is exactly six ASCII digits. */
    public static Optional<RecoveryPin> parse(String value) {
        return value != null && SIX_DIGITS.matcher(value).matches() ? Optional.of(new RecoveryPin(value))
                : Optional.empty();
    }

    /** The digits, for the one response that serves them and the one item that stores them. */
    public String digits() {
        return digits;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RecoveryPin pin && pin.digits.equals(digits);
    }

    @Override
    public int hashCode() {
        return digits.hashCode();
    }

    @Override
    public String toString() {
        return "RecoveryPin[******]";
    }
}
