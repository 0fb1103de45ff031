package dev.intunelock.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.Test;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

/** A listed webhook source that cannot be used stops the start, naming the variable to fix. */
class WebhookSourcesTest {

    @Test
    void aSourceWithoutSecretsIsRefusedNamingItsSecretsVariable() {
        Exception refused = assertThrows(WebhookSources.MisconfiguredSource.class,
                () -> WebhookSources.read("siem", config(Map.of("webhook.siem.format", "generic"))));
        assertTrue(refused.getMessage().contains("WEBHOOK_SIEM_SECRETS"), refused.getMessage());
    }

    @Test
    void anUnknownFormatIsRefusedNamingItsFormatVariableAndTheKnownFormats() {
        Exception refused = assertThrows(WebhookSources.MisconfiguredSource.class,
                () -> WebhookSources.read("soc-2", config(Map.of("webhook.soc-2.format", "splunk",
                        "webhook.soc-2.secrets", "s"))));
        assertTrue(refused.getMessage().contains("WEBHOOK_SOC_2_FORMAT is 'splunk'"), refused.getMessage());
        assertTrue(refused.getMessage().contains("generic, grafana, alertmanager, pagerduty"), refused.getMessage());
    }

    @Test
    void aMissingFormatAndAnUnknownSeverityAreRefusedToo() {
        assertTrue(assertThrows(WebhookSources.MisconfiguredSource.class,
                () -> WebhookSources.read("siem", config(Map.of("webhook.siem.secrets", "s")))).getMessage()
                .contains("WEBHOOK_SIEM_FORMAT is not set"));
        assertTrue(assertThrows(WebhookSources.MisconfiguredSource.class,
                () -> WebhookSources.read("siem", config(Map.of("webhook.siem.format", "generic",
                        "webhook.siem.secrets", "s", "webhook.siem.min-severity", "urgent")))).getMessage()
                .contains("WEBHOOK_SIEM_MIN_SEVERITY is 'urgent'"));
    }

    @Test
    void theStartStopsWithEveryProblemOfEveryListedSource() {
        WebhookSources sources = new WebhookSources(config(Map.of("webhook.sources", "good,bad,Bad Name",
                "webhook.good.format", "grafana", "webhook.good.secrets", "s", "webhook.bad.format", "generic")));
        Exception refused = assertThrows(WebhookSources.MisconfiguredSource.class, () -> sources.checkAtStart(null));
        assertTrue(refused.getMessage().contains("WEBHOOK_BAD_SECRETS"), refused.getMessage());
        assertTrue(refused.getMessage().contains("'Bad Name'"), refused.getMessage());
        assertTrue(!refused.getMessage().contains("WEBHOOK_GOOD"), refused.getMessage());
    }

    @Test
    void aWellConfiguredSourceIsRead() {
        WebhookSource source = WebhookSources.read("grafana", config(Map.of("webhook.grafana.format", "Grafana",
                "webhook.grafana.secrets", "a, b", "webhook.grafana.min-severity", "high")));
        assertEquals(WebhookFormat.GRAFANA, source.format());
        assertEquals(java.util.List.of("a", "b"), source.current());
        assertEquals(Severity.HIGH, source.minimumSeverity().orElseThrow());
    }

    private static Config config(Map<String, String> values) {
        return new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(values, "test", 100)).build();
    }
}
