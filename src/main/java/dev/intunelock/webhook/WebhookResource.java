package dev.intunelock.webhook;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.intunelock.problem.BodySizeLimit;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** Senders prove themselves with their own signatures, not with a caller token. */
@Path("/v1/webhooks/{source}")
public class WebhookResource {

    @Inject
    WebhookService webhooks;

    /** One result per alert; when the sender left alerts out of its group, how many and what to do about it. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DeliveryView(String source, List<AlertOutcome> results, Integer truncatedAlerts, String warning) {

        static DeliveryView of(String source, WebhookService.DeliveryResult result) {
            if (result.truncatedAlerts() == 0) {
                return new DeliveryView(source, result.outcomes(), null, null);
            }
            return new DeliveryView(source, result.outcomes(), result.truncatedAlerts(), "The sender left out "
                    + result.truncatedAlerts() + " alert(s) of this group, which were not evaluated: allow all alerts "
                    + "in a delivery (Alertmanager: max_alerts: 0 in the webhook receiver) or split the group.");
        }
    }

    @POST
    @PermitAll
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response deliver(@PathParam("source") String source, @Context HttpHeaders headers, byte[] body) {
        if (body != null && body.length > BodySizeLimit.MAX_WEBHOOK_BODY_BYTES) {
            return BodySizeLimit.tooLarge(BodySizeLimit.MAX_WEBHOOK_BODY_BYTES);
        }
        Map<String, String> lowerCase = new HashMap<>();
        headers.getRequestHeaders().forEach((name, values) -> {
            if (!values.isEmpty()) {
                lowerCase.put(name.toLowerCase(Locale.ROOT), String.join(",", values));
            }
        });
        WebhookService.DeliveryResult result = webhooks.deliver(source, lowerCase, body == null ? new byte[0] : body);
        return Response.accepted(DeliveryView.of(source, result)).build();
    }
}
