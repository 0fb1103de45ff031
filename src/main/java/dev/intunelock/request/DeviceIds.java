package dev.intunelock.request;

import java.util.List;
import java.util.Locale;

/** Intune managed-device ids are GUIDs; anything else is refused before it reaches a URL or a key. */
public final class DeviceIds {

    public static final String RULE = "deviceId must be an Intune managed device id (a GUID).";

    private DeviceIds() {
    }

    public static boolean isIntuneId(String value) {
        return Guids.isGuid(value);
    }

    /** The id in canonical (lower) case, or {@link InvalidRequest}. */
    public static String validated(String value) {
        if (!isIntuneId(value)) {
            throw new InvalidRequest(List.of(RULE));
        }
        return value.toLowerCase(Locale.ROOT);
    }
}
