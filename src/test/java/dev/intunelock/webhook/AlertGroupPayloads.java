package dev.intunelock.webhook;

import java.nio.charset.StandardCharsets;

/** Grafana Alerting and Alertmanager group payloads, after the examples in their docs. */
final class AlertGroupPayloads {

    private AlertGroupPayloads() {
    }

    static String label(WebhookContractTest.Kind kind) {
        return switch (kind) {
            case INTUNE_ID -> "intune_device_id";
            case SERIAL -> "serial_number";
            case NAME -> "device_name";
        };
    }

    /** One alert as both senders shape it; the fingerprint is the alert id. */
    static String alert(String fingerprint, WebhookContractTest.Kind kind, String value, boolean firing) {
        return """
                {"status":"%s",
                 "labels":{"alertname":"DeviceCompromised","severity":"critical","team":"secops","%s":"%s"},
                 "annotations":{"summary":"EDR reports a compromised device","runbook_url":"https://wiki.example/lock"},
                 "startsAt":"2026-11-25T09:51:03.157076+01:00","endsAt":"%s",
                 "generatorURL":"http://grafana.example/alerting/grafana/abc/view","fingerprint":"%s"}"""
                .formatted(firing ? "firing" : "resolved", label(kind), value,
                        firing ? "0001-01-01T00:00:00Z" : "2026-11-25T10:51:03Z", fingerprint);
    }

    static byte[] grafana(String alerts, boolean firing) {
        return """
                {"receiver":"intune-lock","status":"%s","orgId":1,"alerts":[%s],
                 "groupLabels":{"alertname":"DeviceCompromised"},"commonLabels":{"alertname":"DeviceCompromised"},
                 "commonAnnotations":{},"externalURL":"http://grafana.example/","version":"1",
                 "groupKey":"{}:{alertname=\\"DeviceCompromised\\"}","truncatedAlerts":0,
                 "title":"[FIRING:1] DeviceCompromised","state":"alerting","message":"Device compromised"}"""
                .formatted(firing ? "firing" : "resolved", alerts).getBytes(StandardCharsets.UTF_8);
    }

    static byte[] alertmanager(String alerts, boolean firing) {
        return """
                {"version":"4","groupKey":"{}:{alertname=\\"DeviceCompromised\\"}","truncatedAlerts":0,
                 "status":"%s","receiver":"intune-lock","groupLabels":{"alertname":"DeviceCompromised"},
                 "commonLabels":{"alertname":"DeviceCompromised"},"commonAnnotations":{},
                 "externalURL":"http://alertmanager.example:9093","alerts":[%s]}"""
                .formatted(firing ? "firing" : "resolved", alerts).getBytes(StandardCharsets.UTF_8);
    }
}
