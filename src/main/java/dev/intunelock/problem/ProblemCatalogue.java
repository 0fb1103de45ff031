package dev.intunelock.problem;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASModelReader;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.media.Schema;

/**
 * Every problem type the API answers with, for the OpenAPI document written at build time (smallrye-open-api's
 * Maven plugin calls this; the function never loads it). {@code OpenApiDocumentTest} keeps it equal to the types
 * the code uses.
 */
public class ProblemCatalogue implements OASModelReader {

    record Entry(int status, String meaning) {
    }

    static final Map<String, Entry> TYPES = new TreeMap<>(Map.ofEntries(
            Map.entry("invalid-json", new Entry(400,
                    "The body is not JSON of the expected shape (unknown fields too).")),
            Map.entry("invalid-request", new Entry(400, "A field is missing or malformed; `violations` lists which.")),
            Map.entry("unreadable-payload", new Entry(400, "An alert sender's payload cannot be read.")),
            Map.entry("unauthenticated", new Entry(401, "No valid Entra ID bearer token.")),
            Map.entry("sender-not-authenticated", new Entry(401,
                    "An alert whose signature or shared secret matches none of the source's secrets.")),
            Map.entry("forbidden", new Entry(403, "The token lacks the app role the operation needs.")),
            Map.entry("bulk-role-required", new Entry(403,
                    "A batch of more than 10 devices needs the Locks.Bulk role; `devices` says how many.")),
            Map.entry("force-not-allowed", new Entry(403, "Forcing a Mac re-lock needs the Locks.Admin role.")),
            Map.entry("not-your-device", new Entry(403, "Self-service: the device is not registered to the caller.")),
            Map.entry("device-not-found", new Entry(404, "Intune does not know the device.")),
            Map.entry("batch-not-found", new Entry(404, "No lock batch with that id.")),
            Map.entry("no-devices-for-user", new Entry(404, "Intune lists no managed device for the batch's user.")),
            Map.entry("lock-not-found", new Entry(404, "No lock with that id.")),
            Map.entry("no-pin", new Entry(404, "No recovery PIN is held for the device (none captured, expired or "
                    + "used).")),
            Map.entry("unknown-source", new Entry(404, "No alert sender of that name is configured.")),
            Map.entry("lock-in-flight", new Entry(409, "Another lock of the device is being sent; `lockId` names it.")),
            Map.entry("mac-pin-outstanding", new Entry(409, "The re-lock guard: the Mac's recovery PIN from its last "
                    + "lock has not been used; `lockId`, `lockedAt` and `pinExpiresAt` say which.")),
            Map.entry("body-too-large", new Entry(413, "The request body is larger than the API accepts.")),
            Map.entry("idempotency-key-reused", new Entry(422,
                    "The Idempotency-Key was used before for a different request.")),
            Map.entry("platform-not-lockable", new Entry(422, "The platform gate: Intune cannot remotely lock this "
                    + "device (Windows desktops, unknown platforms); `platform` names it.")),
            Map.entry("too-many-devices", new Entry(422, "Self-service: Intune registers more devices to the caller "
                    + "than the page lists (1,000); `most` says how many.")),
            Map.entry("self-service-lock-limit", new Entry(429,
                    "Self-service: the hourly lock allowance is used up; `Retry-After` says when it frees.")),
            Map.entry("internal-error", new Entry(500, "Unexpected; the lock, if recorded, stays retryable.")),
            Map.entry("intune-unavailable", new Entry(503,
                    "Graph did not answer; the lock stays recorded and is retried.")),
            Map.entry("pin-record-busy", new Entry(503, "The PIN record is being changed; retry shortly.")),
            Map.entry("pin-vault-unavailable", new Entry(503, "KMS cannot decrypt the PIN right now; `Retry-After`.")),
            Map.entry("secret-unavailable", new Entry(503, "A secret the request needs cannot be read.")),
            Map.entry("store-unavailable", new Entry(503, "DynamoDB is unavailable; nothing was sent to Intune."))));

    static final String TYPE_BASE = "https://intune-lock.dev/problems/";

    @Override
    public OpenAPI buildModel() {
        StringBuilder table = new StringBuilder("Every error is `application/problem+json` (RFC 9457). Its `type`:\n\n"
                + "| type | status | meaning |\n|---|---|---|\n");
        TYPES.forEach((type, entry) -> table.append("| `").append(TYPE_BASE).append(type).append("` | ")
                .append(entry.status()).append(" | ").append(entry.meaning()).append(" |\n"));
        Schema problem = OASFactory.createSchema()
                .type(List.of(Schema.SchemaType.OBJECT))
                .description(table.toString())
                .addProperty("type", OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING))
                        .enumeration(TYPES.keySet().stream().map(type -> (Object) (TYPE_BASE + type)).toList()))
                .addProperty("title", OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING)))
                .addProperty("status", OASFactory.createSchema().type(List.of(Schema.SchemaType.INTEGER)))
                .addProperty("detail", OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING)))
                .required(List.of("type", "title", "status"));
        return OASFactory.createOpenAPI()
                .info(OASFactory.createInfo().title("Intune remote lock").version("1")
                        .description("Remote lock of Intune-managed devices, with Mac recovery PINs kept 30 days. "
                                + "Errors: see the Problem schema."))
                .components(OASFactory.createComponents().addSchema("Problem", problem));
    }
}
