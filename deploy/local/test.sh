#!/usr/bin/env bash
# `npm test`: every test, from a fresh clone. Installs the toolchain and dependencies, checks lint and types, starts
# the infrastructure if it is not up, then runs unit, integration and journey tests and prints a summary.
# Exits non-zero if any stage fails. Infrastructure started here is stopped again at the end.
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
source "$LT_ROOT/deploy/local/lib/toolchain.sh"
source "$LT_ROOT/deploy/local/lib/services.sh"
set +e  # each stage is recorded; the summary decides the exit code

export NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false CI="${CI:-true}"
started=$SECONDS
results_dir="$LT_CACHE/test-results"
rm -rf "$results_dir"; mkdir -p "$results_dir"
declare -a names results durations

stage() {
  local name="$1"; shift
  local t0=$SECONDS
  log "── $name"
  "$@"
  local rc=$?
  names+=("$name"); results+=("$rc"); durations+=("$((SECONDS - t0))")
  return $rc
}

lt_node_ready || exit 1
lt_deps_ready || exit 1

infra_was_up=0
bash "$LT_ROOT/deploy/local/infra.sh" status >/dev/null 2>&1 && infra_was_up=1
# Start the infrastructure in the background while lint and the unit tests use the CPU.
if ((infra_was_up == 0)); then
  bash "$LT_ROOT/deploy/local/infra.sh" up >"$LT_CACHE/infra-up.log" 2>&1 &
  infra_pid=$!
fi

stage "lint" npx nx run-many -t lint --output-style=stream-without-prefixes
stage "typecheck" npx tsc -p tsconfig.json --noEmit
stage "unit" npx jest -c jest.unit.config.js --ci --json --outputFile="$results_dir/unit.json"
stage "build" node tools/build.mjs

if ((infra_was_up == 0)); then
  if ! wait "$infra_pid"; then cat "$LT_CACHE/infra-up.log" >&2; fi
  names+=("infrastructure up"); results+=("$(bash "$LT_ROOT/deploy/local/infra.sh" status >/dev/null 2>&1; echo $?)"); durations+=("-")
fi
lt_service_env
# The sandboxes of the external systems, as the journeys' services expect them (already running ones are kept).
sandboxes_started=()
for s in "${LT_SANDBOXES[@]}"; do lt_service_pid "sandbox-$s" >/dev/null || sandboxes_started+=("$s"); done
stage "sandboxes" bash -c 'source "$LT_ROOT/deploy/local/lib/common.sh"; source "$LT_ROOT/deploy/local/lib/services.sh"; lt_sandboxes_up' 
# The headless browser of the console journey (Debian's chromium; installed once).
stage "browser" bash "$LT_ROOT/deploy/local/browser.sh"
stage "integration" npx jest -c jest.integration.config.js --ci --json --outputFile="$results_dir/integration.json"
stage "journey" npx jest -c jest.journey.config.js --ci --json --outputFile="$results_dir/journey.json"
# Last, because it restarts and stops the broker: crashes, outages, duplicates and poison messages.
stage "faults" npx jest -c jest.faults.config.js --ci --json --outputFile="$results_dir/faults.json"
lt_sandboxes_down "${sandboxes_started[@]}"

if ((infra_was_up == 0)) && [[ "${LT_KEEP_INFRA:-0}" != 1 ]]; then
  bash "$LT_ROOT/deploy/local/infra.sh" down >/dev/null 2>&1
fi

passed=0; failed=0
echo
echo "Test summary"
for i in "${!names[@]}"; do
  if [[ "${results[$i]}" == 0 ]]; then status=PASS; passed=$((passed + 1)); else status=FAIL; failed=$((failed + 1)); fi
  printf '  %-4s %-20s %s s\n' "$status" "${names[$i]}" "${durations[$i]}"
done
echo "  total $((SECONDS - started)) s"
echo "  stages: $passed passed, $failed failed"
# One closing line with the test counts of every Jest tier that ran.
node -e '
  const fs = require("fs"); let p = 0, f = 0;
  for (const file of fs.readdirSync(process.argv[1])) {
    const r = JSON.parse(fs.readFileSync(process.argv[1] + "/" + file, "utf8"));
    p += r.numPassedTests; f += r.numFailedTests + (r.numRuntimeErrorTestSuites || 0);
  }
  console.log(`tests: ${p} passed, ${f} failed`);
' "$results_dir"
((failed == 0))
