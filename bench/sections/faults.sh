#!/usr/bin/env bash
# Prints the "Faults" section of docs/benchmarks.md: runs e2e's FaultSuiteTest — the whole pipeline, each worker in its
# own JVM on a broker and registry of its own, with a campaign of simulated calls per scenario — and renders the
# figures it writes to e2e/target/faults. About 45 minutes on 2 cores.
#   SVA_FAULTS_LEADS          calls per scenario's campaign (default 5)
#   SVA_FAULTS_PORTAL_DOWN_S  how long the simulated Bitrix24 portal is unreachable (default 120)
#   SVA_FAULTS_MVN_FLAGS      extra Maven flags, e.g. -o
set -euo pipefail
cd "$(dirname "$0")/../.."

# shellcheck source=../exec-jars.sh
. bench/exec-jars.sh ${SVA_FAULTS_MVN_FLAGS:-}
rm -rf e2e/target/faults
started=$(date +%s)
# A scenario that loses or duplicates a record fails the suite but not the run: the section reports it.
./mvnw -q -B -ntp ${SVA_FAULTS_MVN_FLAGS:-} -pl simulators,e2e verify -Dfaults -Dtest=FaultSuiteTest \
  -Dsurefire.failIfNoSpecifiedTests=false -Dmaven.test.failure.ignore=true \
  -Dsva.faults.leads="${SVA_FAULTS_LEADS:-5}" -Dsva.faults.portal-down-s="${SVA_FAULTS_PORTAL_DOWN_S:-120}" \
  >&2 || true
took=$(( $(date +%s) - started ))

cat <<MD
## Faults

The whole pipeline (every worker from its exec jar in its own JVM, the simulated carrier and Bitrix24 portal) on a
broker and registry of its own, a campaign of ${SVA_FAULTS_LEADS:-5} simulated calls (3 at once) per scenario, the
fault injected while calls are in conversation. Run by \`bench/sections/faults.sh\` (e2e's \`FaultSuiteTest\`) in
$((took / 60)) min $((took % 60)) s on $(nproc) cores, $(date -u +%Y-%m-%d). In CI, \`WorkerCrashEndToEndTest\` kills
dialog-worker and crm-sink mid-call and fails on any record lost or duplicated.

- **calls affected**: calls live when the fault hit, plus calls that ended on an error or on a callee who hung up on
  a silent agent.
- **records lost** (must be 0): a final transcript no turn answered although the caller stayed on the line
  30 s after it; a CRM command without a result on \`sva.crm.results\`; a connected call without
  \`CallEnded\`.
- **duplicates** (must be 0): a turn the callee heard to its end twice (the edge's Twilio \`mark\` per turn id), two
  turns answering one utterance, an idempotency key \`APPLIED\` twice in \`sva.crm.applied\`, an entity twice in the
  simulated portal (a comment or to-do the campaign created that no \`APPLIED\` ledger entry names, two leads sharing a
  phone), a lead attempt requested twice.
- **time to recover**: for a kill, until the killed instance's consumer groups are stable again without it (a second
  instance owns its partitions) or until the restarted process is live; for the portal, from its return until every
  CRM command has its result; for the broker, from the stop until every consumer group is stable again.

MD
if [ -f e2e/target/faults/faults.md ]; then
  cat e2e/target/faults/faults.md
else
  echo "No figures were written: the suite did not run (see the build output)."
fi
cat <<'MD'

Recovery after a SIGKILL is bounded by the consumer session timeout (10 s, heartbeats every 3 s, set in platform's
`KafkaSettings`; kafka-clients' own default is 45 s): until the group coordinator gives the dead member up, nobody owns
its partitions. A simulated callee waits 10 s for a silent agent, repeats itself once and hangs up, so calls on those
partitions may end early (counted as affected, nothing lost: their transcripts, CRM wrap-up and `CallEnded` are
processed once the survivor takes over). `session.timeout.ms` in `sva.kafka.properties` changes it per deployment.

Bug this suite found, fixed with the failing case as a test: crm-sink's applied-ledger reader stopped for good when the
broker did not answer a metadata request within 10 s (eight JVMs starting at once on two cores), and the sink then
waited for ever for a ledger that never became ready — every CRM command of the campaign stayed unapplied while
crm-sink reported UP (`KafkaLedgerStartUpTest`; the reader now asks again, also when end offsets time out during a
broker restart).

Bug the suite found earlier (run of 2026-11-25), fixed: when ingest-audio was killed, the calls whose media sockets it
carried ended at the carrier but no `CallEnded` was ever written for them (only the edge that carried a call ends it),
and the campaign stalled. The dialer now ends a started call with no end after `max-call-duration` (30 min by default;
6 min in the e2e pipeline), writing its `CallEnded` in the transaction that settles the lead.

Kafka Streams builds its own consumers: `AnalyticsStreams` passes them platform's session timeout and heartbeat
(before it did, on 2026-12-03, a killed analytics-stream took 45 s to recover, where the workers take about 10 s);
`sva.analytics.streams.[consumer.session.timeout.ms]` overrides them.
MD
