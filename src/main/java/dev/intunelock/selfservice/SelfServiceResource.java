package dev.intunelock.selfservice;

import java.util.List;

import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.intunelock.auth.Caller;
import dev.intunelock.auth.Callers;
import dev.intunelock.lock.LockService.LockResult;
import dev.intunelock.lock.LockView;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.security.Authenticated;
import io.quarkus.security.AuthenticationFailedException;

/** Lost-device self-service for any signed-in employee: no app role, only their own devices. */
@Path("/v1/self-service")
@Produces(MediaType.APPLICATION_JSON)
public class SelfServiceResource {

    @Inject
    SelfService selfService;

    @Inject
    Callers callers;

    @Inject
    SelfServiceSettings settings;

    /** The caller's own devices. */
    @RegisterForReflection
    public record OwnDevices(List<OwnDevice> devices) {
    }

    /** Self-service needs the caller's Entra object id: ownership is decided by it. */
    private Caller employee() {
        Caller caller = callers.current();
        if (caller.objectId() == null || caller.objectId().isBlank()) {
            throw new AuthenticationFailedException("Self-service needs an Entra ID access token with an oid claim");
        }
        return caller;
    }

    @GET
    @Path("/config")
    @PermitAll
    public Response config() {
        return Response.ok(SelfServiceConfig.of(settings)).header("Cache-Control", "max-age=300").build();
    }

    @GET
    @Path("/devices")
    @Authenticated
    public Response devices() {
        return Response.ok(new OwnDevices(selfService.devicesOf(employee())))
                .header("Cache-Control", "no-store").build();
    }

    @POST
    @Path("/locks")
    @Consumes(MediaType.APPLICATION_JSON)
    @Authenticated
    public Response lock(SelfServiceLockRequest body) {
        LockResult result = selfService.lock(SelfServiceLockRequest.validated(body), employee());
        return Response.accepted(LockView.of(result.lock(), result.pin()))
                .header("Location", "/v1/locks/" + result.lock().lockId())
                .header("Cache-Control", "no-store").build();
    }
}
