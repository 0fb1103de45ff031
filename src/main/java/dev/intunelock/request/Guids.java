package dev.intunelock.request;

import java.util.regex.Pattern;

/** GUIDs, the shape of Intune device ids and Entra object ids, checked before they reach a URL, a key or a query. */
public final class Guids {

    private static final Pattern GUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private Guids() {
    }

    public static boolean isGuid(String value) {
        return value != null && GUID.matcher(value).matches();
    }
}
