package dev.intunelock.storage;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * An instant as a key that sorts like time: always nine fraction digits ({@code Instant.toString()} drops them at
 * whole seconds, so {@code …:05Z} would sort after {@code …:05.5Z}).
 */
public final class SortableTime {

    private static final DateTimeFormatter FORMAT = DateTimeFormatter
            .ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

    private SortableTime() {
    }

    public static String of(Instant at) {
        return FORMAT.format(at);
    }
}
