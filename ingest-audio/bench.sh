#!/usr/bin/env bash
# Benchmark of the telephony edge: N concurrent simulated calls stream 20 ms PCM frames into one ingest instance on
# the in-process broker; prints one Markdown table row per run (also usable as bench/sections/ingest-audio.sh).
#   ingest-audio/bench.sh                 runs 50, 200 and 1000 calls for 15 s each
#   ingest-audio/bench.sh 100 300 -- 30   runs 100 and 300 calls for 30 s each
set -euo pipefail
cd "$(dirname "$0")/.."
calls=(50 200 1000); seconds=15
if [ $# -gt 0 ]; then
  calls=(); while [ $# -gt 0 ] && [ "$1" != "--" ]; do calls+=("$1"); shift; done
  [ "${1:-}" = "--" ] && seconds="${2:-15}"
fi
echo "## ingest-audio: concurrent calls into one instance"
echo
echo "\`ingest-audio/bench.sh\` — PCM WebSocket clients (8 kHz, 20 ms frames) → one ingest instance → in-process broker;"
echo "latency is frame receipt → broker ack (\`sva.ingest.publish.latency\`). Load generator, broker and ingest share the JVM."
echo
echo "| calls | live | frames/s | target frames/s | mean ms | p50 ms | p99 ms | max ms | CPU cores (JVM) | heap/call KiB |"
echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for n in "${calls[@]}"; do
  line=$(./mvnw -q -B -ntp -o -pl ingest-audio test -Dtest=IngestBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
    -Dsva.bench.calls="$n" -Dsva.bench.seconds="$seconds" 2>&1 | grep '^BENCH' || true)
  if [ -z "$line" ]; then echo "| $n | run failed | | | | | | | | |"; continue; fi
  v() { sed -E "s/.*$1=([0-9.]+|NaN).*/\\1/" <<<"$line"; }
  echo "| $n | $(v live) | $(v 'frames\/s') | $((n * 50)) | $(v mean) | $(v p50) | $(v p99) | $(v max) | $(v cpu) | $(v 'heap\/call') |"
done
