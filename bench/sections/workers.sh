#!/usr/bin/env bash
# Prints the worker benchmarks' section of docs/benchmarks.md: where each worker's figures live and how to rerun them.
# Their runs take minutes each (speech engines, Kafka Streams, load drivers), so bench/run links their latest results
# instead of rerunning them; each command below refreshes one.
cat <<'MD'
## Worker benchmarks

Each worker measures its own hot path; the latest figures, the machine and load they ran on, and the command that
reproduces them are in the linked file.

| worker | what is measured | results | rerun |
| --- | --- | --- | --- |
| ingest-audio | frames/s and frame → broker-ack latency for N concurrent Twilio-style calls, heap per call | [ingest-audio/docs/benchmarks.md](../ingest-audio/docs/benchmarks.md) | `ingest-audio/bench.sh` |
| stt-worker | real-time factor, word error rate and end-of-turn → final latency per engine on LibriVox speech; Russian answers picked from a dialog state's expected phrases (Festival's Russian voice, telephone band and wideband) | [stt-worker/README.md](../stt-worker/README.md#benchmark) | see that section |
| tts-worker | time to the first 20 ms frame and real-time factor per engine and language | [tts-worker/README.md](../tts-worker/README.md#benchmark) | see that section |
| dialog-worker | transcript → first turn chunk latency for concurrent calls through the real broker | [dialog-worker/docs/benchmarks.md](../dialog-worker/docs/benchmarks.md) | `./mvnw -pl dialog-worker verify -Dbenchmark` |
| crm-sink | commands/s against a Bitrix24-protocol portal at its real rate limit, lost and duplicated writes | [crm-sink/docs/benchmarks.md](../crm-sink/docs/benchmarks.md) | see that file |
| analytics-stream | events/s the topology sustains and event → queryable freshness | [analytics-stream/README.md](../analytics-stream/README.md#benchmark) | see that section |

The first figures were measured on the 2-core build machine while five other builds ran on it (load average about
20). ingest-audio, dialog-worker and analytics-stream were rerun with the machine to themselves on 2026-12-03; their
goals are still not met there, and each file gives the figures and what limits them.
MD
