package dev.intunelock.batch;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.intunelock.queue.QueueEventShape;
import dev.intunelock.queue.WorkQueue;

/**
 * Where the work queue's messages arrive ({@link QueueEventShape}): each names one device of a batch. Handled in
 * order within the invocation's budget; a device not done (its lock waits for Intune, or there was no time left)
 * is reported in {@code batchItemFailures} and comes back when it is due. Only the event source mapping reaches
 * this path: it has no route in the HTTP API.
 */
@Path(QueueEventShape.PATH)
public class BatchWorkResource {

    private static final Logger LOG = Logger.getLogger(BatchWorkResource.class);
    /** A device is not begun with less than this left of the invocation's budget. */
    static final Duration DEVICE_RESERVE = Duration.ofSeconds(7);

    @Inject
    BatchWork work;

    @Inject
    WorkQueue queue;

    @Inject
    ObjectMapper json;

    @Inject
    Clock clock;

    /** The invocation's own work ends by then (the function's timeout is 29 s). */
    @ConfigProperty(name = "batch.work.budget", defaultValue = "20s")
    Duration budget;

    @POST
    @PermitAll
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response take(JsonNode event) {
        Instant end = clock.instant().plus(budget);
        List<String> notDone = new ArrayList<>();
        BatchWork.BatchesRead batches = new BatchWork.BatchesRead();
        for (JsonNode message : event.path("Records")) {
            String messageId = message.path("messageId").asText();
            String receipt = message.path("receiptHandle").asText();
            Optional<Duration> comeBack = handled(message.path("body").asText(), end, batches);
            if (comeBack.isPresent()) {
                notDone.add(messageId);
                queue.returnAfter(receipt, comeBack.get());
            }
        }
        ObjectNode answer = json.createObjectNode();
        ArrayNode failures = answer.putArray("batchItemFailures");
        notDone.forEach(id -> failures.addObject().put("itemIdentifier", id));
        return Response.ok(answer.toString()).header(QueueEventShape.RAW_ANSWER, "true").build();
    }

    private Optional<Duration> handled(String body, Instant end, BatchWork.BatchesRead batches) {
        if (clock.instant().plus(DEVICE_RESERVE).isAfter(end)) {
            return Optional.of(Duration.ZERO); // no time left in this invocation: the next one takes it
        }
        JsonNode device;
        try {
            device = json.readTree(body);
        } catch (java.io.IOException unreadable) {
            LOG.warnf("A queue message that is not batch work was dropped (%s)", unreadable.getClass().getSimpleName());
            return Optional.empty(); // never put there by this function: coming back would not make it readable
        }
        try {
            return work.work(device.path("batchId").asText(), device.path("key").asText(), end, batches);
        } catch (RuntimeException failure) {
            LOG.warnf("Queued batch work failed (%s: %s); it comes back", failure.getClass().getSimpleName(),
                    failure.getMessage());
            return Optional.of(BatchWork.ASK_AGAIN);
        }
    }
}
