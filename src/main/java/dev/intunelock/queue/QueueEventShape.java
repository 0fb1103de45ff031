package dev.intunelock.queue;

import java.io.IOException;
import java.util.Map;

import jakarta.inject.Singleton;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.ResolvableDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.BeanSerializerModifier;

import io.quarkus.jackson.ObjectMapperCustomizer;

/**
 * Lets the HTTP-only function take work from an SQS event source mapping. The Lambda HTTP extension reads every
 * event as an API Gateway v2 event and answers with an HTTP response; an SQS event ({@code Records} of
 * {@code aws:sqs}) is read instead as a POST of the whole event to {@value #PATH} (a path with no API route, like
 * the retry sweep's), and that route's answer, marked by {@value #RAW_ANSWER}, goes back to Lambda as its bare JSON
 * body, the {@code batchItemFailures} the mapping expects. Every other event and answer passes unchanged.
 */
@Singleton
public class QueueEventShape implements ObjectMapperCustomizer {

    public static final String PATH = "/internal/queue";
    /** The header by which the queue route asks for its body to be the invocation's whole answer. */
    public static final String RAW_ANSWER = "x-intune-lock-raw-answer";

    @Override
    public void customize(ObjectMapper mapper) {
        SimpleModule module = new SimpleModule("queue-event-shape");
        module.setDeserializerModifier(new BeanDeserializerModifier() {
            @Override
            public JsonDeserializer<?> modifyDeserializer(DeserializationConfig config, BeanDescription bean,
                    JsonDeserializer<?> deserializer) {
                return bean.getBeanClass() == APIGatewayV2HTTPEvent.class
                        ? new QueueEventAsRequest((JsonDeserializer<APIGatewayV2HTTPEvent>) deserializer)
                        : deserializer;
            }
        });
        module.setSerializerModifier(new BeanSerializerModifier() {
            @Override
            public JsonSerializer<?> modifySerializer(SerializationConfig config, BeanDescription bean,
                    JsonSerializer<?> serializer) {
                return bean.getBeanClass() == APIGatewayV2HTTPResponse.class
                        ? new RawAnswerWhenAsked((JsonSerializer<APIGatewayV2HTTPResponse>) serializer)
                        : serializer;
            }
        });
        mapper.registerModule(module);
    }

    /** An SQS event, if that is what Lambda handed over. */
    static boolean isQueueEvent(JsonNode event) {
        JsonNode records = event.path("Records");
        return records.isArray() && !records.isEmpty() && "aws:sqs".equals(records.get(0).path("eventSource").asText());
    }

    private static final class QueueEventAsRequest extends JsonDeserializer<APIGatewayV2HTTPEvent>
            implements ResolvableDeserializer {

        private final JsonDeserializer<APIGatewayV2HTTPEvent> http;

        QueueEventAsRequest(JsonDeserializer<APIGatewayV2HTTPEvent> http) {
            this.http = http;
        }

        @Override
        public void resolve(DeserializationContext context) throws com.fasterxml.jackson.databind.JsonMappingException {
            if (http instanceof ResolvableDeserializer resolvable) {
                resolvable.resolve(context);
            }
        }

        @Override
        public APIGatewayV2HTTPEvent deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            JsonNode event = parser.readValueAsTree();
            if (!isQueueEvent(event)) {
                try (JsonParser again = event.traverse(parser.getCodec())) {
                    again.nextToken();
                    return http.deserialize(again, context);
                }
            }
            return APIGatewayV2HTTPEvent.builder()
                    .withVersion("2.0")
                    .withRouteKey("$default")
                    .withRawPath(PATH)
                    .withRawQueryString("")
                    .withHeaders(Map.of("content-type", "application/json"))
                    .withBody(event.toString())
                    .withIsBase64Encoded(false)
                    .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                            .withRouteKey("$default")
                            .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                                    .withMethod("POST").withPath(PATH).withProtocol("HTTP/1.1")
                                    .withSourceIp("127.0.0.1").withUserAgent("sqs-event-source").build())
                            .build())
                    .build();
        }
    }

    private static final class RawAnswerWhenAsked extends JsonSerializer<APIGatewayV2HTTPResponse> {

        private final JsonSerializer<APIGatewayV2HTTPResponse> http;

        RawAnswerWhenAsked(JsonSerializer<APIGatewayV2HTTPResponse> http) {
            this.http = http;
        }

        @Override
        public void serialize(APIGatewayV2HTTPResponse response, JsonGenerator generator, SerializerProvider provider)
                throws IOException {
            Map<String, String> headers = response.getHeaders();
            if (headers != null && headers.keySet().stream().anyMatch(RAW_ANSWER::equalsIgnoreCase)
                    && response.getStatusCode() == 200 && response.getBody() != null && !response.getIsBase64Encoded()) {
                generator.writeRawValue(response.getBody());
                return;
            }
            http.serialize(response, generator, provider);
        }
    }
}
