package io.salesvoice.dialer;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The dialer's settings ({@code sva.dialer.*}).
 *
 * @param apiKey         the admin API's key ({@code SVA_DIALER_API_KEY}); without one every API request is refused
 * @param groupId        consumer group of the dialer instances, and prefix of their transactional ids
 * @param answerMargin   added to a campaign's ring timeout: a request with no call event by then counts as no-answer
 * @param observationTtl how long call events of calls no longer in progress are kept in memory
 * @param maxUploadSize  largest lead list accepted in one upload (413 above)
 * @param maxLeadRows    most lead rows in one upload (413 above)
 * @param maxCallDuration a call still without an end this long after it was requested is ended by the dialer (the
 *                        media edge that carried it died; only that edge writes a call's end)
 */
@ConfigurationProperties("sva.dialer")
public record DialerProperties(
    String apiKey,
    @DefaultValue("sva-dialer") String groupId,
    @DefaultValue("30s") Duration answerMargin,
    @DefaultValue("24h") Duration observationTtl,
    @DefaultValue("10MB") DataSize maxUploadSize,
    @DefaultValue("100000") int maxLeadRows,
    @DefaultValue("30m") Duration maxCallDuration) {
}
