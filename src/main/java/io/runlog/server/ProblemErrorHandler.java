package io.runlog.server;

import com.fasterxml.jackson.core.JsonGenerator;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * Internal: the errors Jetty itself answers before {@link SyncHandler} sees a request (an
 * ambiguous path such as {@code %2e%2e}, a malformed {@code Content-Length} or request line) as
 * RFC 9457 problems like every other answer of the protocol ({@code application/problem+json},
 * type {@code bad-request} for a 4xx, {@code internal} otherwise), instead of Jetty's HTML page.
 * The detail is Jetty's reason; no stack trace, no server version.
 */
final class ProblemErrorHandler extends ErrorHandler {
    static final String CONTENT_TYPE = "application/problem+json";

    @Override
    protected void generateResponse(final Request request, final Response response, final int code, final String message,
                                    final Throwable cause, final Callback callback) {
        final String path = request.getHttpURI() == null ? null : request.getHttpURI().getPath();
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, CONTENT_TYPE);
        response.write(true, ByteBuffer.wrap(body(code, message, path)), callback);
    }

    @Override
    public ByteBuffer badMessageError(final int status, final String reason, final HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, CONTENT_TYPE);
        return ByteBuffer.wrap(body(status, reason, null));
    }

    /** The problem JSON of an error Jetty decided, {@code path} its instance (null if the request line was unreadable). */
    static byte[] body(final int code, final String message, final String path) {
        final String reason = HttpStatus.getMessage(code);
        final HttpProblem p = new HttpProblem(code, code >= 400 && code < 500 ? "bad-request" : "internal",
            reason == null ? "Error" : reason, message == null || message.isBlank() ? reason : message);
        final ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (JsonGenerator g = Json.generator(b)) {
            p.write(g, path);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        return b.toByteArray();
    }
}
