package dev.intunelock.pin;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.intunelock.auth.Callers;
import dev.intunelock.auth.Roles;
import dev.intunelock.request.DeviceIds;
import io.quarkus.security.Authenticated;

@Path("/v1/devices/{deviceId}/pin")
@Produces(MediaType.APPLICATION_JSON)
public class PinResource {

    @Inject
    PinRequests pins;

    @Inject
    Callers callers;

    /** Any signed-in caller reaches this, so that refusals for want of Pins.Read are audited too. */
    @GET
    @Authenticated
    public Response read(@PathParam("deviceId") String deviceId) {
        return Response.ok(pins.read(DeviceIds.validated(deviceId), callers.current()))
                .header("Cache-Control", "no-store").header("Pragma", "no-cache").build();
    }

    @POST
    @Path("/unlocked")
    @RolesAllowed(Roles.LOCK_DEVICES)
    public Response confirmUnlocked(@PathParam("deviceId") String deviceId) {
        pins.confirmUnlocked(DeviceIds.validated(deviceId), callers.current());
        return Response.noContent().build();
    }
}
