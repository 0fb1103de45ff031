package dev.intunelock.problem;

import java.io.ByteArrayInputStream;
import java.io.IOException;

import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;

/**
 * The 16 KiB limit of the JSON API, applied while the body is read, for bodies that came without a
 * {@code Content-Length} (chunked) and so passed {@link BodySizeLimit}. Webhooks read raw bytes and check their own
 * limit.
 */
@Provider
public class BodyReadLimit implements ReaderInterceptor {

    /** A body went past the limit while being read. */
    public static final class BodyTooLarge extends RuntimeException {
        BodyTooLarge() {
            super("Request body over " + BodySizeLimit.MAX_BODY_BYTES + " bytes");
        }
    }

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        if (context.getType() != byte[].class) {
            // Read ahead (the body is at most the limit and already in memory): over the limit, nothing parses it.
            byte[] body = context.getInputStream().readNBytes((int) BodySizeLimit.MAX_BODY_BYTES + 1);
            if (body.length > BodySizeLimit.MAX_BODY_BYTES) {
                throw new BodyTooLarge();
            }
            context.setInputStream(new ByteArrayInputStream(body));
        }
        return context.proceed();
    }
}
