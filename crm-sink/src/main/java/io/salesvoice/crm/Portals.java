package io.salesvoice.crm;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.MeterRegistry;
import io.salesvoice.crm.bitrix.Bitrix24;
import io.salesvoice.crm.bitrix.CoalescingBitrix24;
import io.salesvoice.crm.bitrix.WebClientBitrix24;
import io.salesvoice.crm.domain.CommandRejected;
import io.salesvoice.platform.resilience.ResilienceDefaults;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.springframework.web.reactive.function.client.WebClient;

/** The configured Bitrix24 portals by name, each with its own bucket, budget and breaker (limits are per portal). */
public final class Portals implements Function<String, Bitrix24> {

  public static final String DEFAULT = "default";

  private final Map<String, CoalescingBitrix24> clients = new LinkedHashMap<>();

  public Portals(CrmProperties properties, WebClient.Builder webClient, MeterRegistry meters) {
    add(DEFAULT, properties.bitrix24(), webClient, meters);
    properties.portals().forEach((name, portal) -> add(name, portal, webClient, meters));
  }

  private void add(String name, CrmProperties.Portal portal, WebClient.Builder webClient, MeterRegistry meters) {
    if (portal != null && portal.configured()) {
      WebClientBitrix24 client = new WebClientBitrix24(name, portal.webhookUrl(), webClient.clone(), portal.limits(),
          ResilienceDefaults.circuitBreaker(Duration.ofSeconds(10)), meters, System::nanoTime);
      clients.put(name, new CoalescingBitrix24(client, portal.maxBatch(), portal.maxInFlight(), meters));
    }
  }

  /** True when the default portal has a webhook: without it nothing can be written. */
  public boolean defaultConfigured() {
    return clients.containsKey(DEFAULT);
  }

  @Override
  public Bitrix24 apply(String name) {
    CoalescingBitrix24 client = clients.get(name == null || name.isBlank() ? DEFAULT : name);
    if (client == null) {
      throw new CommandRejected("UNKNOWN_PORTAL", "no Bitrix24 portal named '" + name + "' is configured");
    }
    return client;
  }

  /** Circuit state per portal, for health. */
  public Map<String, CircuitBreaker.State> circuits() {
    Map<String, CircuitBreaker.State> states = new LinkedHashMap<>();
    clients.forEach((name, c) -> states.put(name, c.portal().circuitBreaker().getState()));
    return states;
  }
}
