package dev.intunelock.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The OpenAPI document the build writes (target/openapi) describes this API and every problem type it answers. */
class OpenApiDocumentTest {

    static final Path DOCUMENT = Path.of("target", "openapi", "openapi.json");
    /** The copy kept in the repository, for readers who have not built it (the README links to it). */
    static final Path PUBLISHED = Path.of("src", "docs", "openapi.yaml");
    static final Pattern PROBLEM_IN_CODE = Pattern.compile("Problem\\.of\\((\\d{3}),\\s*\"([a-z-]+)\"");

    final JsonNode document = read();

    @Test
    void theDocumentHasEveryPublicRouteAndNeitherGraphsApiNorTheInternalEntries() {
        Set<String> paths = new TreeSet<>();
        document.path("paths").fieldNames().forEachRemaining(paths::add);
        assertEquals(new TreeSet<>(Set.of("/v1/locks", "/v1/locks/{lockId}", "/v1/devices/{deviceId}/pin",
                "/v1/devices/{deviceId}/pin/unlocked", "/v1/devices/{deviceId}/audit", "/v1/audit",
                "/v1/webhooks/{source}", "/v1/self-service/config", "/v1/self-service/devices",
                "/v1/self-service/locks", "/v1/lock-batches", "/v1/lock-batches/{batchId}")), paths);
    }

    @Test
    void everyProblemTypeTheCodeAnswersWithIsDocumentedWithItsStatusAndNoOther() throws IOException {
        Map<String, Integer> inCode = new TreeMap<>();
        try (Stream<Path> sources = Files.walk(Path.of("src", "main", "java"))) {
            for (Path source : sources.filter(path -> path.toString().endsWith(".java")).toList()) {
                Matcher problem = PROBLEM_IN_CODE.matcher(Files.readString(source));
                while (problem.find()) {
                    inCode.put(problem.group(2), Integer.valueOf(problem.group(1)));
                }
            }
        }
        Map<String, Integer> documented = new TreeMap<>();
        ProblemCatalogue.TYPES.forEach((type, entry) -> documented.put(type, entry.status()));
        assertEquals(inCode, documented);

        Set<String> inTheDocument = new HashSet<>();
        document.path("components").path("schemas").path("Problem").path("properties").path("type").path("enum")
                .forEach(type -> inTheDocument.add(type.asText().substring(ProblemCatalogue.TYPE_BASE.length())));
        assertEquals(documented.keySet(), new TreeSet<>(inTheDocument));
    }

    @Test
    void theDocumentInTheRepositoryIsTheOneTheBuildWrites() throws IOException {
        Path built = Path.of("target", "openapi", "openapi.yaml");
        // Line endings aside: a checkout may turn them into CRLF.
        assertEquals(Files.readString(built).replace("\r\n", "\n"), Files.readString(PUBLISHED).replace("\r\n", "\n"),
                "the API changed: copy " + built + " to " + PUBLISHED);
    }

    private static JsonNode read() {
        try {
            return new ObjectMapper().readTree(DOCUMENT.toFile());
        } catch (IOException e) {
            throw new IllegalStateException(DOCUMENT + " is written by the build (process-classes)", e);
        }
    }
}
