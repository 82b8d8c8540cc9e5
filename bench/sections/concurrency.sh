#!/usr/bin/env bash
# Prints the "Whole pipeline: concurrent simulated calls" section of docs/benchmarks.md: runs e2e's concurrency sweep —
# every worker in its own JVM, campaigns of simulated calls at rising concurrency — and renders the table it writes to
# e2e/target/concurrency-sweep.md. About 15 minutes on 2 cores.
#   SVA_SWEEP_LEVELS      calls at once, one campaign each (default 1,2,4,8)
#   SVA_SWEEP_MVN_FLAGS   extra Maven flags, e.g. -o
set -euo pipefail
cd "$(dirname "$0")/../.."

# shellcheck source=../exec-jars.sh
. bench/exec-jars.sh ${SVA_SWEEP_MVN_FLAGS:-}
rm -f e2e/target/concurrency-sweep.md
started=$(date +%s)
./mvnw -q -B -ntp ${SVA_SWEEP_MVN_FLAGS:-} -pl simulators,e2e verify -Dsweep -Dtest=ConcurrencySweepBenchmarkTest \
  -Dsurefire.failIfNoSpecifiedTests=false -Dsweep.levels="${SVA_SWEEP_LEVELS:-1,2,4,8}" >&2 || true
took=$(( $(date +%s) - started ))

cat <<MD
## Whole pipeline: concurrent simulated calls

How many calls the whole local stack holds at once on this machine with the embedded engines: every worker from its
exec jar in its own JVM (e2e's \`ConcurrencySweepBenchmarkTest\`), the in-process broker, the registry, the simulated
carrier as callees (Festival's SLT voice over \`/media/twilio\`, 8 kHz mu-law) and the simulated Bitrix24 portal; one
campaign per level with three leads per concurrent call (the demo's persona mix, so some calls are voicemail, no answer
or busy). Run by \`bench/sections/concurrency.sh\` in $((took / 60)) min $((took % 60)) s on $(nproc) cores,
$(date -u +%Y-%m-%d). Voice to voice = end of the callee's line → first agent audio frame it received, as the callee
heard it, end-of-turn silence (600 ms) included; goals p50 < 500 ms and p95 < 800 ms. Machine CPU busy and the cores
each process used are averages over the level's campaign, read from \`/proc\`; the stage latencies are analytics'
p90 for the campaign.

MD
if [ -f e2e/target/concurrency-sweep.md ]; then
  cat e2e/target/concurrency-sweep.md
else
  echo "The sweep did not finish; see the Maven output of \`bench/sections/concurrency.sh\`."
fi
cat <<'MD'

What saturates first is read off the table: the level at which the machine's CPU nears 100 % is where the tail of
voice to voice leaves the goal, and the cores column names the processes that used most. Alone:
`./mvnw -pl simulators,e2e verify -Dsweep -Dtest=ConcurrencySweepBenchmarkTest -Dsurefire.failIfNoSpecifiedTests=false`
(`-Dsweep.levels=1,2,4,8`).
MD
