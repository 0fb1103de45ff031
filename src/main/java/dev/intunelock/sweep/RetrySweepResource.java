package dev.intunelock.sweep;

import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import dev.intunelock.sweep.RetrySweep.Outcome;

/**
 * Entry for the scheduled retry sweep. It has no route in the HTTP API (template.yaml): only the schedule, which
 * invokes the function directly with an HTTP-shaped event, reaches it.
 */
@Path("/internal/retry-sweep")
public class RetrySweepResource {

    @Inject
    RetrySweep sweep;

    @POST
    @PermitAll
    @Produces(MediaType.APPLICATION_JSON)
    public Outcome run() {
        return sweep.run();
    }
}
