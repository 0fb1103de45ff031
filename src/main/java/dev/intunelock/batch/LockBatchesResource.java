package dev.intunelock.batch;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.intunelock.auth.Callers;
import dev.intunelock.auth.Roles;
import dev.intunelock.batch.BatchRejections.BatchNotFound;
import dev.intunelock.request.Guids;

@Path("/v1/lock-batches")
@Produces(MediaType.APPLICATION_JSON)
public class LockBatchesResource {

    @Inject
    LockBatches batches;

    @Inject
    Callers callers;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.LOCK_DEVICES)
    public Response start(LockBatchRequest body) {
        LockBatchView batch = batches.start(LockBatchRequest.validated(body), callers.current());
        return Response.accepted(batch).header("Location", "/v1/lock-batches/" + batch.batchId()).build();
    }

    @GET
    @Path("/{batchId}")
    @RolesAllowed(Roles.LOCK_DEVICES)
    public LockBatchView get(@PathParam("batchId") String batchId) {
        if (!Guids.isGuid(batchId)) {
            throw new BatchNotFound();
        }
        return batches.view(batchId);
    }
}
