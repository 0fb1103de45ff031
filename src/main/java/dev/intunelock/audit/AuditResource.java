package dev.intunelock.audit;

import java.time.Instant;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.intunelock.auth.Roles;
import dev.intunelock.request.DeviceIds;
import dev.intunelock.request.InvalidRequest;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** A device's audit trail, newest first, for {@code Audit.Read}: who read its PIN, who confirmed, who forced. */
@Path("/v1/devices/{deviceId}/audit")
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {

    static final int MAX_LIMIT = 100;

    @Inject
    AuditTrail audit;

    /** One event as the API shows it (never a PIN: events carry none). */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record EventView(Instant at, Actor actor, String action, String outcome, String lockId, String detail) {
    }

    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Actor(String name, String objectId) {
    }

    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PageView(String deviceId, List<EventView> events, String next) {
    }

    @GET
    @RolesAllowed(Roles.AUDIT_READ)
    public Response trail(@PathParam("deviceId") String deviceId, @QueryParam("limit") @DefaultValue("50") int limit,
            @QueryParam("cursor") String cursor) {
        String device = DeviceIds.validated(deviceId);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidRequest(List.of("limit must be between 1 and " + MAX_LIMIT + "."));
        }
        AuditTrail.Page page;
        try {
            page = audit.page(device, limit, cursor);
        } catch (IllegalArgumentException foreign) {
            throw new InvalidRequest(List.of("cursor must be the 'next' of a previous page."));
        }
        List<EventView> events = page.events().stream()
                .map(e -> new EventView(e.at(), new Actor(e.actor(), e.actorId()), e.action(), e.outcome(), e.lockId(),
                        e.detail()))
                .toList();
        return Response.ok(new PageView(device, events, page.next())).header("Cache-Control", "no-store").build();
    }
}
