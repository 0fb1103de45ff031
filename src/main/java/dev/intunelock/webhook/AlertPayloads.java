package dev.intunelock.webhook;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.intunelock.webhook.Alert.DeviceRef;
import dev.intunelock.webhook.Alert.IdentityKind;

/** Reads each sender's documented payload into {@link Alert}s. Called only after the sender proved itself. */
final class AlertPayloads {

    private AlertPayloads() {
    }

    /** How many alerts of its group the sender left out ({@code truncatedAlerts} of Grafana and Alertmanager). */
    static int truncatedAlerts(JsonNode root) {
        JsonNode truncated = root == null ? null : root.path("truncatedAlerts");
        return truncated != null && truncated.canConvertToInt() ? Math.max(0, truncated.asInt()) : 0;
    }

    static List<Alert> read(WebhookSource source, JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new UnreadablePayload("The payload must be a JSON object.");
        }
        return switch (source.format()) {
            case GENERIC -> List.of(generic(root));
            case GRAFANA, ALERTMANAGER -> alertGroup(source, root);
            case PAGERDUTY -> List.of(pagerDuty(source, root));
        };
    }

    /**
     * {@code {"id","deviceId"|"serialNumber"|"azureADDeviceId"|"deviceName"|"user","reason","severity","status"?}}; a
     * device named wins over a user.
     */
    private static Alert generic(JsonNode root) {
        String id = text(root, "id");
        if (id == null || id.length() > 200) {
            throw new UnreadablePayload("\"id\" (the sender's alert id, at most 200 characters) is required.");
        }
        DeviceRef device = firstPresent(
                ref(IdentityKind.INTUNE_DEVICE_ID, text(root, "deviceId")),
                ref(IdentityKind.AZURE_AD_DEVICE_ID, text(root, "azureADDeviceId")),
                ref(IdentityKind.SERIAL_NUMBER, text(root, "serialNumber")),
                ref(IdentityKind.DEVICE_NAME, text(root, "deviceName")),
                ref(IdentityKind.USER, text(root, "user")));
        String status = text(root, "status");
        return new Alert(id, "id:" + id, status == null || status.equalsIgnoreCase("firing"),
                text(root, "severity"), device, text(root, "reason"));
    }

    /** Grafana Alerting and Alertmanager (version 4) send a group: {@code {"alerts":[{status,labels,…}]}}. */
    private static List<Alert> alertGroup(WebhookSource source, JsonNode root) {
        JsonNode alerts = root.path("alerts");
        if (!alerts.isArray()) {
            throw new UnreadablePayload("The payload has no \"alerts\" array.");
        }
        if (source.format() == WebhookFormat.ALERTMANAGER && !"4".equals(text(root, "version"))) {
            throw new UnreadablePayload("Only Alertmanager webhook payload version 4 is understood.");
        }
        List<Alert> read = new ArrayList<>();
        for (JsonNode alert : alerts) {
            JsonNode labels = alert.path("labels");
            if (!labels.isObject()) {
                throw new UnreadablePayload("Every alert needs a \"labels\" object.");
            }
            String status = text(alert, "status");
            String fingerprint = text(alert, "fingerprint");
            String identity = (fingerprint != null ? fingerprint : canonical(labels)) + "|" + text(alert, "startsAt")
                    + "|" + status;
            String summary = firstText(alert.path("annotations"), "summary", "description");
            read.add(new Alert(fingerprint != null ? fingerprint : text(labels, "alertname"), "alert:" + sha256(identity),
                    "firing".equalsIgnoreCase(status), text(labels, "severity"), device(source, labels),
                    summary != null ? summary : text(labels, "alertname")));
        }
        return read;
    }

    /** PagerDuty V3: {@code {"event":{"id","event_type","data":{…incident…}}}}; only triggers lock. */
    private static Alert pagerDuty(WebhookSource source, JsonNode root) {
        JsonNode event = root.path("event");
        String id = text(event, "id");
        String type = text(event, "event_type");
        if (id == null || type == null) {
            throw new UnreadablePayload("A PagerDuty V3 payload has \"event\" with \"id\" and \"event_type\".");
        }
        JsonNode incident = event.path("data");
        JsonNode fields = customFields(incident);
        return new Alert(id, "event:" + id, "incident.triggered".equals(type), text(incident, "urgency"),
                device(source, fields), text(incident, "title"));
    }

    /** The incident's own string fields plus its custom fields ({@code [{"name","value"}]}), as one object. */
    private static JsonNode customFields(JsonNode incident) {
        ObjectNode merged = incident.isObject() ? ((ObjectNode) incident).deepCopy()
                : JsonNodeFactory.instance.objectNode();
        for (JsonNode field : incident.path("custom_fields")) {
            String name = text(field, "name");
            if (name != null && field.path("value").isValueNode()) {
                merged.put(name, field.path("value").asText());
            }
        }
        return merged;
    }

    private static DeviceRef device(WebhookSource source, JsonNode fields) {
        WebhookSource.DeviceFields names = source.deviceFields();
        return firstPresent(
                ref(IdentityKind.INTUNE_DEVICE_ID, text(fields, names.intuneDeviceId())),
                ref(IdentityKind.AZURE_AD_DEVICE_ID, text(fields, names.azureADDeviceId())),
                ref(IdentityKind.SERIAL_NUMBER, text(fields, names.serialNumber())),
                ref(IdentityKind.DEVICE_NAME, text(fields, names.deviceName())),
                ref(IdentityKind.USER, text(fields, names.user())));
    }

    private static DeviceRef ref(IdentityKind kind, String value) {
        return value == null || value.isBlank() ? null : new DeviceRef(kind, value.trim());
    }

    private static DeviceRef firstPresent(DeviceRef... refs) {
        for (DeviceRef ref : refs) {
            if (ref != null) {
                return ref;
            }
        }
        return null;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() || value.isNumber() ? value.asText() : null;
    }

    private static String firstText(JsonNode node, String... fields) {
        for (String field : fields) {
            String value = text(node, field);
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }

    private static String canonical(JsonNode labels) {
        Map<String, String> sorted = new TreeMap<>();
        labels.fields().forEachRemaining(entry -> sorted.put(entry.getKey(), entry.getValue().asText()));
        return sorted.toString();
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
