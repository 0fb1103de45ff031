package dev.intunelock.request;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Intune managed-device ids are GUIDs; anything else is refused before it reaches a URL or a key. */
public final class DeviceIds {

    public static final String RULE = "deviceId must be an Intune managed device id (a GUID).";

    private static final Pattern INTUNE_ID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private DeviceIds() {
    }

    public static boolean isIntuneId(String value) {
        return value != null && INTUNE_ID.matcher(value).matches();
    }

    /** The id in canonical (lower) case, or {@link InvalidRequest}. */
    public static String validated(String value) {
        if (!isIntuneId(value)) {
            throw new InvalidRequest(List.of(RULE));
        }
        return value.toLowerCase(Locale.ROOT);
    }
}
