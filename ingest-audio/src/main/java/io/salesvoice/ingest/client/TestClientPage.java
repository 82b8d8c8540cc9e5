package io.salesvoice.ingest.client;

import java.net.URI;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.WebFilter;

/**
 * Serves the browser test client ({@code /client/}, static files under {@code classpath:/static/client/}) with headers
 * that keep it self-contained: scripts, styles and connections only from this origin, no referrer, no framing.
 */
@Configuration(proxyBeanMethods = false)
public class TestClientPage {

  static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
      + "img-src 'self' data:; connect-src 'self' ws: wss:; media-src 'self' blob:; object-src 'none'; "
      + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  @Bean
  RouterFunction<ServerResponse> testClientRoutes() {
    ClassPathResource index = new ClassPathResource("static/client/index.html");
    return RouterFunctions.route()
        .GET("/client", r -> ServerResponse.permanentRedirect(URI.create("/client/")).build())
        .GET("/client/", r -> ServerResponse.ok().contentType(MediaType.TEXT_HTML).bodyValue(index))
        .build();
  }

  @Bean
  WebFilter testClientHeaders() {
    return (exchange, chain) -> {
      if (exchange.getRequest().getPath().pathWithinApplication().value().startsWith("/client")) {
        HttpHeaders h = exchange.getResponse().getHeaders();
        h.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        h.set("Referrer-Policy", "no-referrer");
        h.set("X-Content-Type-Options", "nosniff");
        h.set(HttpHeaders.CACHE_CONTROL, "no-cache");
      }
      return chain.filter(exchange);
    };
  }
}
