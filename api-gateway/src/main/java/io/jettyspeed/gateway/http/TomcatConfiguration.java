package io.jettyspeed.gateway.http;

import jakarta.servlet.ServletException;
import java.io.IOException;
import java.util.function.IntSupplier;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.ActionCode;
import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What the gateway changes in its embedded Tomcat:
 * <ul>
 *   <li>the host's error report valve is {@link ProblemErrorReportValve}: errors Tomcat answers
 *       itself, before any filter runs (a malformed request line, a bad {@code Content-Length},
 *       headers too large, broken chunked encoding, {@code %00} in the path, an invalid
 *       {@code Host}), are problem documents like every other error, not Tomcat's HTML page;
 *   <li>a context valve ({@link ConnectionControlValve}) lets the filters close a connection
 *       without reading the rest of a refused body ({@link Connections});
 *   <li>{@code 100 Continue} is sent as soon as the headers are read (Tomcat's default is on the
 *       first blocking read, which the non-blocking body reading never does), so clients that send
 *       {@code Expect: 100-continue} (curl does for bodies over 1 KiB) do not wait a second for it.
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
class TomcatConfiguration {

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemTomcat() {
        return factory -> {
            factory.addContextCustomizers(context -> {
                if (context.getParent() instanceof StandardHost host) {
                    host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
                }
            });
            factory.addContextValves(new ConnectionControlValve());
            factory.addProtocolHandlerCustomizers(handler -> {
                if (handler instanceof AbstractHttp11Protocol<?> http) {
                    http.setContinueResponseTiming("immediately");
                }
            });
        };
    }

    /**
     * Puts two handles on each request. One tells Tomcat not to read ("swallow") the rest of its body.
     * Tomcat's way to do that also marks the response as an error that still needs an error page;
     * the filter that calls it has written its own problem document, so the error is marked as
     * reported (else Tomcat would append its error page to the answer). The other reads body bytes
     * that have reached the socket without blocking ({@link Connections#READ_ARRIVED}): a servlet's
     * {@code available()} counts only what Tomcat has buffered (8 KB at a time), so without it every
     * body larger than that was read through an async cycle and a second dispatch, although all of it
     * had arrived.
     */
    static final class ConnectionControlValve extends ValveBase {

        ConnectionControlValve() {
            super(true);
        }

        @Override
        public void invoke(Request request, Response response) throws IOException, ServletException {
            request.setAttribute(Connections.DISABLE_SWALLOW, (Runnable) () -> {
                request.getCoyoteRequest().action(ActionCode.DISABLE_SWALLOW_INPUT, null);
                response.setErrorReported();
            });
            request.setAttribute(Connections.READ_ARRIVED, (IntSupplier) () -> {
                org.apache.coyote.Request coyote = request.getCoyoteRequest();
                coyote.action(ActionCode.AVAILABLE, Boolean.TRUE);
                return coyote.getAvailable();
            });
            getNext().invoke(request, response);
        }
    }
}
