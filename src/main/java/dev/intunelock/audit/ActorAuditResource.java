package dev.intunelock.audit;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.intunelock.auth.Roles;
import dev.intunelock.request.Guids;
import dev.intunelock.request.InvalidRequest;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** What one account did, newest first, for {@code Audit.Read}: "what did this account do last week?" in one call. */
@Path("/v1/audit")
@Produces(MediaType.APPLICATION_JSON)
public class ActorAuditResource {

    @Inject
    AuditTrail audit;

    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ActorPage(String actor, Instant since, List<AuditView.Event> events, String next) {
    }

    @GET
    @RolesAllowed(Roles.AUDIT_READ)
    public Response byActor(@QueryParam("actor") String actor, @QueryParam("since") String since,
            @QueryParam("limit") @DefaultValue("50") int limit, @QueryParam("cursor") String cursor) {
        if (!Guids.isGuid(actor)) { // an Entra object id
            throw new InvalidRequest(List.of("actor must be the Entra object id (a GUID) of the account."));
        }
        Instant from = since(since);
        AuditView.checkLimit(limit);
        AuditTrail.EventPage page;
        try {
            page = audit.ofActor(actor.toLowerCase(), from, limit, cursor);
        } catch (IllegalArgumentException foreign) {
            throw AuditView.foreignCursor();
        }
        return Response.ok(new ActorPage(actor.toLowerCase(), from, AuditView.events(page), page.next()))
                .header("Cache-Control", "no-store").build();
    }

    /** From when: an ISO-8601 instant; without one, everything the trail still keeps (a year). */
    private static Instant since(String since) {
        if (since == null) {
            return Instant.EPOCH;
        }
        try {
            return Instant.parse(since);
        } catch (DateTimeParseException notAnInstant) {
            throw new InvalidRequest(List.of("since must be an instant such as 2026-11-19T00:00:00Z."));
        }
    }
}
