#!/usr/bin/env bash
# `npm run test:faults`: the fault suite (test/faults) against the local infrastructure, with the services as
# processes: crashes and a broker restart under load, duplicates, a broker outage, poison messages.
# FAULT_DOSSIERS sets the crash and poison runs' scale (default 1000, the messaging issue's figure);
# FAULT_NOTIFICATIONS the notification run's (default 200; its issue's figure is 1000).
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
source "$LT_ROOT/deploy/local/lib/toolchain.sh"
source "$LT_ROOT/deploy/local/lib/services.sh"
lt_node_ready
lt_deps_ready
bash "$LT_ROOT/deploy/local/infra.sh" up
lt_build
lt_service_env
cd "$LT_ROOT" && exec npx jest -c jest.faults.config.js --ci "$@"
