package dev.intunelock.problem;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import dev.intunelock.lock.LockRejections.DeviceNotFound;
import dev.intunelock.lock.LockRejections.IdempotencyKeyReused;
import dev.intunelock.lock.LockRejections.LockInFlight;
import dev.intunelock.lock.LockRejections.LockNotFound;
import dev.intunelock.lock.LockRejections.PlatformNotLockable;
import dev.intunelock.lock.LockRejections.ForceNotAllowed;
import dev.intunelock.lock.LockRejections.MacPinOutstanding;
import dev.intunelock.pin.PinStatus;
import dev.intunelock.request.InvalidRequest;
import dev.intunelock.storage.StorageUnavailableException;
import dev.intunelock.webhook.UnreadablePayload;
import dev.intunelock.webhook.WebhookRejections.IntuneUnavailable;
import dev.intunelock.webhook.WebhookRejections.SenderNotAuthenticated;
import dev.intunelock.webhook.WebhookRejections.UnknownSource;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;

/** Every refusal the API makes, as {@code application/problem+json}. No stack trace ever leaves the function. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response invalid(InvalidRequest e) {
        return Problem.of(400, "invalid-request", "The request is not valid")
                .detail(e.getMessage()).with("violations", e.violations()).toResponse();
    }

    @ServerExceptionMapper
    public Response deviceNotFound(DeviceNotFound e) {
        return Problem.of(404, "device-not-found", "Device not found in Intune")
                .detail("Intune has no managed device with id " + e.lock().deviceId() + ".")
                .with("deviceId", e.lock().deviceId()).with("lockId", e.lock().lockId()).toResponse();
    }

    @ServerExceptionMapper
    public Response platformNotLockable(PlatformNotLockable e) {
        return Problem.of(422, "platform-not-lockable", "This device cannot be remotely locked")
                .detail(e.getMessage()).with("deviceId", e.lock().deviceId())
                .with("platform", e.lock().platform()).with("lockId", e.lock().lockId()).toResponse();
    }

    @ServerExceptionMapper
    public Response inFlight(LockInFlight e) {
        return Problem.of(409, "lock-in-flight", "A lock for this device is already in flight")
                .detail("Lock " + e.lockId() + " for this device has not finished yet; follow it at /v1/locks/"
                        + e.lockId() + " instead of sending another.")
                .with("deviceId", e.deviceId()).with("lockId", e.lockId()).toResponse();
    }

    @ServerExceptionMapper
    public Response macPinOutstanding(MacPinOutstanding e) {
        String deviceId = e.lock().deviceId();
        return Problem.of(409, "mac-pin-outstanding", "This Mac's recovery PIN has not been used yet")
                .detail("Lock " + e.lock().lockId() + " set a recovery PIN on this Mac at " + e.lock().sentAt()
                        + " and it has not been used. Locking the Mac again would make that PIN useless and the Mac "
                        + "could be lost for good. Unlock the Mac with that PIN ("
                        + (e.pin().status() == PinStatus.UNAVAILABLE
                                ? "this service does not hold it: read it in the Intune admin center, Devices > the Mac"
                                        + " > Overview"
                                : "GET /v1/devices/" + deviceId + "/pin")
                        + "), then confirm with POST /v1/devices/" + deviceId + "/pin/unlocked. The PIN is held "
                        + "until " + e.pin().expiresAt() + ". A Locks.Admin can override with \"force\": true.")
                .with("deviceId", deviceId).with("lockId", e.lock().lockId())
                .with("lockedAt", e.lock().sentAt()).with("expiresAt", e.pin().expiresAt())
                .with("pinStatus", e.pin().status()).toResponse();
    }

    @ServerExceptionMapper
    public Response forceNotAllowed(ForceNotAllowed e) {
        return Problem.of(403, "force-not-allowed", "Forcing a lock needs the Locks.Admin role")
                .detail("\"force\": true overrides the re-lock guard of a Mac and makes its recovery PIN useless; "
                        + "only a Locks.Admin may ask for it.").toResponse();
    }

    @ServerExceptionMapper
    public Response unknownWebhookSource(UnknownSource e) {
        return Problem.of(404, "unknown-source", "No such webhook source")
                .detail("Webhook sources are configured by name; this one is not.").toResponse();
    }

    @ServerExceptionMapper
    public Response senderNotAuthenticated(SenderNotAuthenticated e) {
        return Problem.of(401, "sender-not-authenticated", "Unauthorized").toResponse();
    }

    @ServerExceptionMapper
    public Response intuneUnavailableForDelivery(IntuneUnavailable e) {
        return Problem.of(503, "intune-unavailable", "Intune could not be reached")
                .detail(e.getMessage() + ". Redeliver: alerts already answered keep their answer.")
                .header("Retry-After", "30").toResponse();
    }

    @ServerExceptionMapper
    public Response intuneNotAnswering(IntuneNotAnswering e) {
        return Problem.of(503, "intune-unavailable", "Intune is not answering").detail(e.detail())
                .header("Retry-After", Long.toString(e.retryAfterSeconds())).toResponse();
    }

    @ServerExceptionMapper
    public Response unreadablePayload(UnreadablePayload e) {
        return Problem.of(400, "unreadable-payload", "The payload cannot be read").detail(e.getMessage())
                .toResponse();
    }

    @ServerExceptionMapper
    public Response lockNotFound(LockNotFound e) {
        return Problem.of(404, "lock-not-found", "Lock not found").detail("There is no lock with this id.")
                .toResponse();
    }

    @ServerExceptionMapper
    public Response idempotencyKeyReused(IdempotencyKeyReused e) {
        return Problem.of(422, "idempotency-key-reused", "Idempotency-Key already used for another request")
                .detail(e.getMessage() + "; use a new key for a new request.")
                .with("lockId", e.original().lockId()).toResponse();
    }

    @ServerExceptionMapper
    public Response storageUnavailable(StorageUnavailableException e) {
        LOG.error("Lock store unavailable", e);
        return Problem.of(503, "store-unavailable", "The lock store is unavailable")
                .detail("The request could not be recorded, so nothing was sent to Intune. Try again shortly.")
                .header("Retry-After", "5").toResponse();
    }

    @ServerExceptionMapper
    public Response unknownField(UnrecognizedPropertyException e) {
        return Problem.of(400, "invalid-request", "The lock request is not valid")
                .detail("Unknown field '" + e.getPropertyName() + "'.").toResponse();
    }

    @ServerExceptionMapper
    public Response bodyTooLarge(BodyReadLimit.BodyTooLarge e) {
        return BodySizeLimit.tooLarge(e.limit());
    }

    @ServerExceptionMapper({ JsonParseException.class, JsonMappingException.class, MismatchedInputException.class })
    public Response unreadableJson(Exception e) {
        return Problem.of(400, "invalid-json", "The body is not valid JSON of the expected shape")
                .detail("The request body could not be read as the JSON object this endpoint expects.")
                .toResponse();
    }

    @ServerExceptionMapper({ UnauthorizedException.class, AuthenticationFailedException.class })
    public Response unauthenticated(RuntimeException e) {
        return Problem.of(401, "unauthenticated", "A valid bearer token is required")
                .detail("Send a valid Entra ID access token in the Authorization header.")
                .header("WWW-Authenticate", "Bearer").toResponse();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return Problem.of(403, "forbidden", "Missing role")
                .detail("The token does not carry an app role that allows this.").toResponse();
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (e.getCause() instanceof UnrecognizedPropertyException unknown) {
            return unknownField(unknown);
        }
        if (e.getCause() instanceof JsonProcessingException unreadable) {
            return unreadableJson(unreadable);
        }
        if (status >= 500) {
            return unexpected(e);
        }
        String reason = Response.Status.fromStatusCode(status) == null ? "Request refused"
                : Response.Status.fromStatusCode(status).getReasonPhrase();
        return Problem.of(status, "http-" + status, reason).detail(reason + ".").toResponse();
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        LOG.error("Unexpected failure", e);
        return Problem.of(500, "internal-error", "Internal error")
                .detail("The request failed unexpectedly; it has been logged.").toResponse();
    }
}
