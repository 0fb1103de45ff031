package dev.intunelock.webhook;

/** The senders this function understands, each with its own payload and proof of origin. */
public enum WebhookFormat {
    /** Our documented JSON, signed like Stripe ({@code X-Signature-256: t=…,v1=…}). */
    GENERIC,
    /** Grafana Alerting's webhook contact point, with its HMAC signature. */
    GRAFANA,
    /** Prometheus Alertmanager's webhook (version 4), with a bearer secret from its http_config. */
    ALERTMANAGER,
    /** PagerDuty V3 webhooks ({@code X-PagerDuty-Signature: v1=…}). */
    PAGERDUTY
}
