package dev.intunelock.audit;

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
import io.quarkus.runtime.annotations.RegisterForReflection;

/** A device's audit trail, newest first, for {@code Audit.Read}: "who read this Mac's PIN?" in one call. */
@Path("/v1/devices/{deviceId}/audit")
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {

    @Inject
    AuditTrail audit;

    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DevicePage(String deviceId, List<AuditView.Event> events, String next) {
    }

    @GET
    @RolesAllowed(Roles.AUDIT_READ)
    public Response trail(@PathParam("deviceId") String deviceId, @QueryParam("limit") @DefaultValue("50") int limit,
            @QueryParam("cursor") String cursor) {
        String device = DeviceIds.validated(deviceId);
        AuditView.checkLimit(limit);
        AuditTrail.EventPage page;
        try {
            page = audit.ofDevice(device, limit, cursor);
        } catch (IllegalArgumentException foreign) {
            throw AuditView.foreignCursor();
        }
        return Response.ok(new DevicePage(device, AuditView.events(page), page.next()))
                .header("Cache-Control", "no-store").build();
    }
}
