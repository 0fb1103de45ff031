package dev.intunelock.secret;

import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.intunelock.problem.Problem;

/** A secret that could not be read, as {@code application/problem+json} (never naming its value). */
public class SecretProblems {

    private static final Logger LOG = Logger.getLogger(SecretProblems.class);

    @ServerExceptionMapper
    public Response secretUnavailable(SecretUnavailable e) {
        LOG.errorf("Secret unavailable: %s", e.getMessage());
        return Problem.of(503, "secret-unavailable", "A secret this request needs could not be read")
                .detail("The function could not read a secret it is configured with; nothing was done. Try again "
                        + "(webhook senders: redeliver).")
                .header("Retry-After", "10").toResponse();
    }
}
