package dev.intunelock.problem;

import java.io.ByteArrayInputStream;
import java.io.IOException;

import jakarta.ws.rs.ConstrainedTo;
import jakarta.ws.rs.RuntimeType;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;

/**
 * The JSON API's body limit ({@link BodySizeLimit}), applied while the body is read, for bodies that came without a
 * {@code Content-Length} (chunked) and so passed {@link BodySizeLimit}. Webhooks read raw bytes and check their own
 * limit.
 * <p>
 * Server only: the REST client registers every {@code @Provider} it finds for itself as well, where this limit cut off
 * Graph's answers over 16 KiB (a user's 20 devices) and turned them into failed calls.
 */
@Provider
@ConstrainedTo(RuntimeType.SERVER)
public class BodyReadLimit implements ReaderInterceptor {

    /** A body went past the limit while being read. */
    public static final class BodyTooLarge extends RuntimeException {
        private final long limit;

        BodyTooLarge(long limit) {
            super("Request body over " + limit + " bytes");
            this.limit = limit;
        }

        public long limit() {
            return limit;
        }
    }

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        if (context.getType() != byte[].class) {
            // Read ahead (the body is at most the limit and already in memory): over the limit, nothing parses it.
            long limit = context.getProperty(BodySizeLimit.LIMIT_PROPERTY) instanceof Long set ? set
                    : BodySizeLimit.MAX_BODY_BYTES;
            byte[] body = context.getInputStream().readNBytes((int) limit + 1);
            if (body.length > limit) {
                throw new BodyTooLarge(limit);
            }
            context.setInputStream(new ByteArrayInputStream(body));
        }
        return context.proceed();
    }
}
