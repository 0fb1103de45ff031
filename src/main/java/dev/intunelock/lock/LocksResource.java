package dev.intunelock.lock;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.intunelock.auth.Callers;
import dev.intunelock.auth.Roles;
import dev.intunelock.lock.LockRejections.LockNotFound;
import dev.intunelock.lock.LockService.LockResult;

@Path("/v1/locks")
@Produces(MediaType.APPLICATION_JSON)
public class LocksResource {

    static final String SOURCE = "api";

    @Inject
    LockService locks;

    @Inject
    Callers callers;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.LOCK_DEVICES)
    public Response lock(LockRequest body, @HeaderParam("Idempotency-Key") String idempotencyKey) {
        LockRequest request = LockRequest.validated(body, idempotencyKey);
        LockResult result = locks.requestLock(request, idempotencyKey, SOURCE, callers.current());
        Response.ResponseBuilder response = Response.accepted(LockView.of(result.lock(), result.pin()))
                .header("Location", "/v1/locks/" + result.lock().lockId());
        if (result.replayed()) {
            response.header("Idempotent-Replayed", "true");
        }
        return response.build();
    }

    @GET
    @Path("/{lockId}")
    @RolesAllowed(Roles.LOCK_DEVICES)
    public LockView get(@PathParam("lockId") String lockId) {
        if (!LockIds.isWellFormed(lockId)) {
            throw new LockNotFound(lockId);
        }
        LockResult result = locks.getLock(lockId);
        return LockView.of(result.lock(), result.pin());
    }
}
