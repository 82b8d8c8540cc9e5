package io.salesvoice.ingest.replay;

import java.time.Instant;

/**
 * Progress and outcome of one replay, as {@code GET /api/replays/{id}} reports it.
 *
 * @param state RUNNING, FINISHED or FAILED
 */
public record ReplayStatus(String id, String callId, String state, double speed, int channels, long durationMs,
                           long totalChunks, long chunksSent, Instant startedAt, Instant finishedAt, String error) {
}
