#!/usr/bin/env bash
# `npm start`: the whole system in the foreground. Installs what is missing, starts the infrastructure and the four
# services, prints the URLs, and on Ctrl-C stops the services (gracefully) and the infrastructure it started
# (infrastructure that was already running stays up).
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
source "$LT_ROOT/deploy/local/lib/toolchain.sh"
source "$LT_ROOT/deploy/local/lib/services.sh"

lt_node_ready
lt_deps_ready
# Infrastructure that was already running (e.g. `npm run infra -- up`) is left running on exit.
infra_was_up=0
bash "$LT_ROOT/deploy/local/infra.sh" status >/dev/null 2>&1 && infra_was_up=1
bash "$LT_ROOT/deploy/local/infra.sh" up
lt_build
lt_service_env

stopping=0
stop_all() {
  ((stopping)) && return; stopping=1
  log "stopping the services and the infrastructure"
  lt_services_stop "${LT_SERVICES[@]}"
  lt_sandboxes_down
  ((infra_was_up)) || bash "$LT_ROOT/deploy/local/infra.sh" down
}
trap 'stop_all; exit 130' INT TERM
trap stop_all EXIT

lt_sandboxes_up
for s in "${LT_SERVICES[@]}"; do lt_service_start "$s"; done
for s in "${LT_SERVICES[@]}"; do lt_service_wait "$s"; done
lt_print_urls
log "following the service logs; press Ctrl-C to stop everything"
logs=(); for s in "${LT_SERVICES[@]}"; do logs+=("$LT_RUN/logs/$s.log"); done
tail -n 0 -F "${logs[@]}" 2>/dev/null &
wait
