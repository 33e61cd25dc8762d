#!/usr/bin/env bash
# The whole system in the background: infrastructure (infra.sh) plus the four services.
#   npm run stack -- up | down | status | logs [component]
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
source "$LT_ROOT/deploy/local/lib/toolchain.sh"
source "$LT_ROOT/deploy/local/lib/services.sh"

cmd="${1:-status}"; shift || true
case "$cmd" in
  up)
    lt_node_ready
    lt_deps_ready
    bash "$LT_ROOT/deploy/local/infra.sh" up
    lt_build
    lt_service_env
    lt_sandboxes_up
    for s in "${LT_SERVICES[@]}"; do lt_service_start "$s"; done
    for s in "${LT_SERVICES[@]}"; do lt_service_wait "$s"; done
    lt_print_urls
    ;;
  down)
    lt_services_stop "${LT_SERVICES[@]}"
    lt_sandboxes_down
    bash "$LT_ROOT/deploy/local/infra.sh" down
    ;;
  status)
    rc=0
    for s in "${LT_SERVICES[@]}"; do
      if pid="$(lt_service_pid "$s")"; then printf '%-20s running  pid %-7s port %s\n' "$s" "$pid" "$(lt_service_port "$s")"
      else printf '%-20s stopped\n' "$s"; rc=1; fi
    done
    for s in "${LT_SANDBOXES[@]}"; do
      if pid="$(lt_service_pid "sandbox-$s")"; then printf '%-20s running  pid %-7s port %s\n' "sandbox $s" "$pid" "$(lt_sandbox_port "$s")"
      else printf '%-20s stopped\n' "sandbox $s"; rc=1; fi
    done
    bash "$LT_ROOT/deploy/local/infra.sh" status || rc=1
    exit $rc
    ;;
  logs)
    name="${1:-}"
    if [[ -n "$name" && " ${LT_SERVICES[*]} " == *" $name "* ]]; then exec tail -n 200 -F "$LT_RUN/logs/$name.log"; fi
    if [[ -n "$name" && " ${LT_SANDBOXES[*]} " == *" $name "* ]]; then exec tail -n 200 -F "$LT_RUN/logs/sandbox-$name.log"; fi
    exec bash "$LT_ROOT/deploy/local/infra.sh" logs "$@"
    ;;
  *) echo "usage: npm run stack -- up|down|status|logs [component]" >&2; exit 2 ;;
esac
