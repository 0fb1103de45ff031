package dev.intunelock.pin;

import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.intunelock.pin.PinRejections.NoPinServed;
import dev.intunelock.pin.PinRejections.PinReadNotAllowed;
import dev.intunelock.pin.PinRejections.PinRecordBusy;
import dev.intunelock.problem.Problem;
import dev.intunelock.vault.VaultExceptions.VaultUnavailable;

/** PIN refusals as {@code application/problem+json}; none of them carries a PIN. */
public class PinProblems {

    private static final Logger LOG = Logger.getLogger(PinProblems.class);

    @ServerExceptionMapper
    public Response noPinServed(NoPinServed e) {
        String title = switch (e.status()) {
            case EXPIRED -> "The recovery PIN has expired";
            case AWAITING -> "The recovery PIN has not been reported yet";
            case UNAVAILABLE -> "The recovery PIN is unavailable";
            default -> "No recovery PIN is held for this device";
        };
        return Problem.of(404, "no-pin", title).detail(e.getMessage())
                .with("deviceId", e.deviceId()).with("lockId", e.lockId()).with("pinStatus", e.status())
                .header("Cache-Control", "no-store").toResponse();
    }

    @ServerExceptionMapper
    public Response pinReadNotAllowed(PinReadNotAllowed e) {
        return Problem.of(403, "forbidden", "Missing role")
                .detail("Reading recovery PINs needs the Pins.Read role. This refusal has been recorded.")
                .toResponse();
    }

    @ServerExceptionMapper
    public Response pinRecordBusy(PinRecordBusy e) {
        return Problem.of(503, "pin-record-busy", "The recovery PIN record is being changed")
                .detail(e.getMessage() + "; nothing was changed by this request. Try again in a few seconds.")
                .header("Retry-After", "2").toResponse();
    }

    @ServerExceptionMapper
    public Response pinVaultUnavailable(VaultUnavailable e) {
        LOG.warnf("PIN vault unavailable: %s", e.getMessage());
        return Problem.of(503, "pin-vault-unavailable", "The recovery PIN cannot be decrypted right now")
                .detail("The key service that protects recovery PINs did not answer. Nothing was changed, and a PIN "
                        + "not yet captured stays awaited; try again shortly.")
                .header("Retry-After", "5").header("Cache-Control", "no-store").toResponse();
    }
}
