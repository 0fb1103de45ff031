package dev.intunelock.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** Audit events sort by time, even within one second and at whole seconds. */
class AuditOrderTest {

    @Test
    void sortKeysOrderEventsByTimeWithinOneSecond() {
        Instant wholeSecond = Instant.parse("2026-11-25T10:15:30Z");
        List<Instant> times = List.of(wholeSecond, wholeSecond.plusNanos(1), wholeSecond.plusMillis(50),
                wholeSecond.plusMillis(500), wholeSecond.plusMillis(999), wholeSecond.plusSeconds(1));

        List<Instant> byKey = times.stream().sorted((a, b) -> AuditTrail.sortKey(a).compareTo(AuditTrail.sortKey(b)))
                .toList();

        assertEquals(times, byKey);
        assertTrue(Stream.of(wholeSecond.toString(), wholeSecond.plusMillis(50).toString()).sorted().findFirst()
                .orElseThrow().contains(".050"), "Instant.toString() alone sorts a whole second after its fractions");
    }

    @Test
    void theSortKeyHasAFixedWidth() {
        assertEquals("2026-11-25T10:15:30.000000000Z", AuditTrail.sortKey(Instant.parse("2026-11-25T10:15:30Z")));
        assertEquals("2026-11-25T10:15:30.050000000Z", AuditTrail.sortKey(Instant.parse("2026-11-25T10:15:30.05Z")));
    }
}
