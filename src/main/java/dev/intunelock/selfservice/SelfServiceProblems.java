package dev.intunelock.selfservice;

import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.intunelock.problem.Problem;
import dev.intunelock.selfservice.SelfServiceRejections.LockLimitReached;
import dev.intunelock.selfservice.SelfServiceRejections.NotYourDevice;
import dev.intunelock.selfservice.SelfServiceRejections.TooManyDevices;
import dev.intunelock.selfservice.SelfServiceRejections.UnknownDevice;

/** Self-service refusals as {@code application/problem+json}; the lock rules' own refusals keep theirs. */
public class SelfServiceProblems {

    @ServerExceptionMapper
    public Response notYourDevice(NotYourDevice e) {
        return Problem.of(403, "not-your-device", "This device is not registered to you")
                .detail("Self-service locks only the devices Intune registers to you. To have another device "
                        + "locked, contact the helpdesk.")
                .with("deviceId", e.deviceId()).toResponse();
    }

    @ServerExceptionMapper
    public Response unknownDevice(UnknownDevice e) {
        return Problem.of(404, "device-not-found", "Device not found in Intune")
                .detail("Intune has no managed device with id " + e.deviceId() + ".")
                .with("deviceId", e.deviceId()).toResponse();
    }

    @ServerExceptionMapper
    public Response tooManyDevices(TooManyDevices e) {
        return Problem.of(422, "too-many-devices", "Too many devices to list")
                .detail("Intune registers more than " + e.most() + " devices to you, more than this page lists. The "
                        + "helpdesk can lock any of them.")
                .with("most", e.most()).toResponse();
    }

    @ServerExceptionMapper
    public Response lockLimitReached(LockLimitReached e) {
        long seconds = Math.max(1, e.retryAfter().toSeconds());
        return Problem.of(429, "self-service-lock-limit", "Too many self-service locks")
                .detail("You can make " + e.limit() + " self-service lock requests per hour. Try again after "
                        + e.resetsAt() + ", or contact the helpdesk.")
                .with("limit", e.limit()).with("retryAt", e.resetsAt())
                .header("Retry-After", Long.toString(seconds)).toResponse();
    }
}
