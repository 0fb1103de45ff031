package dev.intunelock.audit;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.intunelock.request.InvalidRequest;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** Audit events as the API shows them (never a PIN: events carry none), and the paging rules both queries share. */
final class AuditView {

    static final int MAX_LIMIT = 100;

    private AuditView() {
    }

    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Event(Instant at, String deviceId, Actor actor, String channel, String action, String outcome,
            String lockId, String reason) {

        static Event of(AuditEvent e) {
            return new Event(e.at(), e.deviceId(), new Actor(e.actor(), e.actorId()), e.channel(), e.action(),
                    e.outcome(), e.lockId(), e.reason());
        }
    }

    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Actor(String name, String objectId) {
    }

    static List<Event> events(AuditTrail.EventPage page) {
        return page.events().stream().map(Event::of).toList();
    }

    static void checkLimit(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidRequest(List.of("limit must be between 1 and " + MAX_LIMIT + "."));
        }
    }

    static InvalidRequest foreignCursor() {
        return new InvalidRequest(List.of("cursor must be the 'next' of a previous page of the same query."));
    }
}
