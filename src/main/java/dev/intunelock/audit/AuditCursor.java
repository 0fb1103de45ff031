package dev.intunelock.audit;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Pattern;

/** The opaque cursor of an audit page: where the previous page ended, which only this class reads. */
final class AuditCursor {

    private static final Pattern SORT_KEY = Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{9}Z#[0-9a-f-]{36}");

    private AuditCursor() {
    }

    static String of(String sortKey) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sortKey.getBytes(StandardCharsets.UTF_8));
    }

    /** The sort key a cursor stands for; {@link IllegalArgumentException} for anything this class did not make. */
    static String sortKey(String cursor) {
        String sortKey;
        try {
            sortKey = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notBase64) {
            throw new IllegalArgumentException("not a cursor of this API");
        }
        if (!SORT_KEY.matcher(sortKey).matches()) {
            throw new IllegalArgumentException("not a cursor of this API");
        }
        return sortKey;
    }
}
