#!/usr/bin/env bash
# Prints the "Bad input" section of docs/benchmarks.md: runs every bad-input suite with large iteration counts —
# poison records on each topic a worker consumes, fuzzed media WebSockets and replay uploads of ingest-audio — and
# renders the tallies they write to <module>/target/badinput/*.json. About 6 minutes on 2 cores.
#   SVA_BADINPUT_MUTATIONS  random mutations per topic (default 100)
#   SVA_BADINPUT_FUZZ       fuzzed connections per media protocol; twice as many replay uploads (default 80)
#   SVA_BADINPUT_SEED       seed of the mutations (default 20261125)
#   SVA_BADINPUT_MVN_FLAGS  extra Maven flags, e.g. -o
set -euo pipefail
cd "$(dirname "$0")/../.."

mutations="${SVA_BADINPUT_MUTATIONS:-100}"
fuzz="${SVA_BADINPUT_FUZZ:-80}"
modules=platform,stt-worker,dialog-worker,tts-worker,crm-sink,analytics-stream,ingest-audio
tests=StagePoisonRecordsTest,SttPoisonRecordsTest,DialogPoisonRecordsTest,TtsPoisonRecordsTest
tests+=,CrmSinkPoisonRecordsTest,AnalyticsPoisonRecordsTest,AgentAudioPoisonRecordsTest
tests+=,MediaSocketFuzzTest,ReplayUploadFuzzTest

rm -f platform/target/badinput/*.json */target/badinput/*.json
started=$(date +%s)
# A mishandled input fails its suite but not the run: the section reports it.
./mvnw -q -B -ntp ${SVA_BADINPUT_MVN_FLAGS:-} -T 2 -pl "$modules" -am test -Dtest="$tests" \
  -Dsurefire.failIfNoSpecifiedTests=false -Dmaven.test.failure.ignore=true \
  -Dsva.badinput.mutations="$mutations" -Dsva.badinput.fuzz="$fuzz" -Dsva.badinput.seed="${SVA_BADINPUT_SEED:-20261125}" \
  >&2 || true
took=$(( $(date +%s) - started ))

if [ ! -f bench/target/classpath.txt ]; then
  ./mvnw -q -B -ntp ${SVA_BADINPUT_MVN_FLAGS:-} -pl bench -am package -DskipTests >&2
fi
cp="bench/target/bench-0.1.0-SNAPSHOT.jar:$(cat bench/target/classpath.txt)"

cat <<MD
## Bad input

Every door of the pipeline gets input it did not ask for; each input must be rejected with a clear error (a
dead letter with its reason, a counted skip, a documented close code, a 4xx with a message) or handled normally,
and no consumer may stop. Run by \`bench/sections/badinput.sh\` in $((took / 60)) min $((took % 60)) s, with
$mutations random mutations per topic and $fuzz fuzzed connections per media protocol ($((fuzz * 2)) replay
uploads), seed \`${SVA_BADINPUT_SEED:-20261125}\`; in CI the same suites run with small counts.

- **Poison records** (\`platform\`'s \`PoisonRecords\`: unknown schema id, another schema's id, truncated Avro, wrong
  magic byte, empty value, tombstone, random bytes, a key that is not the value's call id, a value near the 1 MiB
  limit, a declared length of 2^31 bytes, and seeded mutations of a valid value) on every consumed topic, against
  each worker's real stage on the in-process broker and registry; after the poison a valid record on the same
  partition must be processed. Stages dead-letter to \`<topic>.dlq\` with the reason; the playback consumer of
  ingest-audio drops and counts (\`sva.ingest.playback.dropped\`); analytics-stream skips and counts
  (\`sva.analytics.records.skipped\`) and stays RUNNING.
- **Media WebSockets** (Twilio, Voximplant, raw PCM): a valid session, then cut or garbled JSON, wrong types, huge
  numbers, bad base64, odd-length PCM, binary frames on JSON protocols, unknown events, start/media/stop out of
  order, oversized frames, unicode junk, bad query parameters. Each connection must end with a documented close
  code or normally, none may hang, no call may stay live, and a valid call afterwards must stream.
- **Replay uploads** (\`POST /api/replays\`): WAV files with mutated header fields, truncated data, wrong and huge
  declared sizes, random bytes, extra chunks: a 4xx with a message, or 202 and a replay that ends; never a 5xx or a
  hang.

MD
shopt -s nullglob
reports=(platform/target/badinput/*.json */target/badinput/*.json)
if [ ${#reports[@]} -eq 0 ]; then
  echo "No tallies were written: the suites did not run (see the build output)."
else
  java -cp "$cp" io.salesvoice.bench.BadInputSection $(printf '%s\n' "${reports[@]}" | sort -u)
fi
cat <<'MD'

Bugs these suites found, fixed with the failing case as a test: a dead letter too large to write (a value near the
size limit plus the letter's fields) was retried for ever and stalled its partition — now it is written without the
original bytes (`platform` `Stage`); media close reasons that quote client input could exceed the 123 bytes a close
frame allows, so the client saw a corrupt frame instead of 1003/1007 (`ingest-audio`); analytics-stream dropped
tombstones silently and filed an event under a key that was not its call id (now skipped and counted as `no_value`,
`wrong_key`).
MD
