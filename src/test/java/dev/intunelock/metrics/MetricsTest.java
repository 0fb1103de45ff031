package dev.intunelock.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Each metric is one CloudWatch Embedded Metric Format line that CloudWatch Logs can turn into a metric. */
class MetricsTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void aCounterWithADimensionIsAnEmfLineNamingItsNamespaceDimensionAndValue() throws Exception {
        JsonNode line = json.readTree(Metrics.line(Metrics.LOCKS, "Count", 1, "Status", "UNCONFIRMED", 1_700_000_000_000L));

        JsonNode directive = line.path("_aws").path("CloudWatchMetrics").get(0);
        assertEquals(1_700_000_000_000L, line.path("_aws").path("Timestamp").asLong());
        assertEquals("IntuneLock", directive.path("Namespace").asText());
        assertEquals("Status", directive.path("Dimensions").get(0).get(0).asText());
        assertEquals("Locks", directive.path("Metrics").get(0).path("Name").asText());
        assertEquals("Count", directive.path("Metrics").get(0).path("Unit").asText());
        assertEquals("UNCONFIRMED", line.path("Status").asText());
        assertEquals(1, line.path("Locks").asLong());
    }

    @Test
    void aValueWithoutDimensionsHasAnEmptyDimensionSet() throws Exception {
        JsonNode line = json.readTree(Metrics.line(Metrics.OLDEST_PENDING_LOCK_AGE, "Seconds", 600, null, null, 1L));

        JsonNode directive = line.path("_aws").path("CloudWatchMetrics").get(0);
        assertEquals(0, directive.path("Dimensions").get(0).size());
        assertEquals("Seconds", directive.path("Metrics").get(0).path("Unit").asText());
        assertEquals(600, line.path(Metrics.OLDEST_PENDING_LOCK_AGE).asLong());
    }
}
