#!/usr/bin/env bash
# `npm run bench [-- --quick] [-- --only=K2a,S2]`: brings the local infrastructure and sandboxes up if needed, then
# runs the calibration baselines and the scenarios back to back (test/bench/src/main.ts). Results go to
# test/bench/results/<timestamp>.json and .md. Stop an `npm start` stack first: the scenarios' services join the same
# consumer groups. Not part of `npm test`.
source "$(dirname "${BASH_SOURCE[0]}")/../../deploy/local/lib/common.sh"
source "$LT_ROOT/deploy/local/lib/toolchain.sh"
source "$LT_ROOT/deploy/local/lib/services.sh"
lt_node_ready
lt_deps_ready
# `--summarize=<results .json>` only rewrites a summary: no infrastructure.
if [[ "${1:-}" == --summarize=* ]]; then
  lt_build
  cd "$LT_ROOT" && exec node --enable-source-maps dist/test/bench/src/main.js "$@"
fi
bash "$LT_ROOT/deploy/local/infra.sh" up
lt_build
lt_service_env
lt_sandboxes_up
export LT_KAFKA_VERSION LT_FERRETDB_VERSION
cd "$LT_ROOT" && exec node --enable-source-maps --disable-warning=TimeoutNegativeWarning dist/test/bench/src/main.js "$@"
