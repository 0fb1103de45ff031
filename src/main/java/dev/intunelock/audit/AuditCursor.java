package dev.intunelock.audit;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The opaque cursor of an audit page: the key of the event the previous page ended with (its device and sort key),
 * which only this class reads.
 */
final class AuditCursor {

    private static final Pattern EVENT_KEY = Pattern.compile(
            "([^\\n]{1,128})\\n(\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{9}Z#[0-9a-f-]{36})");

    /** Where a page ended: the event's device and its sort key. */
    record Position(String deviceId, String sortKey) {
    }

    private AuditCursor() {
    }

    static String of(Position position) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(
                (position.deviceId() + "\n" + position.sortKey()).getBytes(StandardCharsets.UTF_8));
    }

    /** The position a cursor stands for; {@link IllegalArgumentException} for anything this class did not make. */
    static Position position(String cursor) {
        String key;
        try {
            key = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notBase64) {
            throw new IllegalArgumentException("not a cursor of this API");
        }
        Matcher parts = EVENT_KEY.matcher(key);
        if (!parts.matches()) {
            throw new IllegalArgumentException("not a cursor of this API");
        }
        return new Position(parts.group(1), parts.group(2));
    }
}
