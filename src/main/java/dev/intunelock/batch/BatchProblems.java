package dev.intunelock.batch;

import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.intunelock.auth.Roles;
import dev.intunelock.batch.BatchRejections.BatchNotFound;
import dev.intunelock.batch.BatchRejections.BulkRoleRequired;
import dev.intunelock.batch.BatchRejections.NoDevicesForUser;
import dev.intunelock.problem.Problem;

/** Batch refusals as {@code application/problem+json}. */
public class BatchProblems {

    @ServerExceptionMapper
    public Response bulkRoleRequired(BulkRoleRequired e) {
        return Problem.of(403, "bulk-role-required", "Locking this many devices needs the Locks.Bulk role")
                .detail("This batch holds " + e.devices() + " devices; batches of more than " + Roles.BULK_THRESHOLD
                        + " need the " + Roles.LOCKS_BULK + " role. Nothing was locked.")
                .with("devices", e.devices()).toResponse();
    }

    @ServerExceptionMapper
    public Response batchNotFound(BatchNotFound e) {
        return Problem.of(404, "batch-not-found", "Batch not found").detail("There is no batch with this id.")
                .toResponse();
    }

    @ServerExceptionMapper
    public Response noDevicesForUser(NoDevicesForUser e) {
        return Problem.of(404, "no-devices-for-user", "Intune lists no managed device for this user")
                .detail("Intune has no managed device whose primary user is '" + e.user() + "'. Nothing was locked; "
                        + "check the user principal name or object id.")
                .with("user", e.user()).toResponse();
    }
}
