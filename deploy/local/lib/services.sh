# Starting and stopping the four services as background processes (pid and log files under $LT_RUN).
# Source after common.sh.

LT_SERVICES=(dossier-intake registration-office population-matching notification)
declare -A LT_SERVICE_PORT=([dossier-intake]=3001 [registration-office]=3002 [population-matching]=3003 [notification]=3004)

# Sandboxes of the external systems (deploy/sandboxes/<name>/src/main.ts, built into dist/): real network peers on
# loopback that behave like the population registry, the SMS/Zalo/SMTP gateways and an intake system's webhook
# receiver. Each reads HOST and PORT and answers GET /health when ready. One line per sandbox:
LT_SANDBOXES=()
declare -A LT_SANDBOX_PORT=()
LT_SANDBOXES+=(population-registry); LT_SANDBOX_PORT[population-registry]=3100
LT_SANDBOXES+=(sms-gateway); LT_SANDBOX_PORT[sms-gateway]=3101
LT_SANDBOXES+=(zalo-zns); LT_SANDBOX_PORT[zalo-zns]=3102
# The SMTP sandbox speaks SMTP on SMTP_PORT (3103); its port here is the HTTP inspection API (health, messages).
LT_SANDBOXES+=(smtp); LT_SANDBOX_PORT[smtp]=3104
LT_SANDBOXES+=(intake-webhook-receiver); LT_SANDBOX_PORT[intake-webhook-receiver]=3105

# The environment the services get locally: the infrastructure of deploy/local and spans to Zipkin.
lt_service_env() {
  export KAFKA_BROKERS="${KAFKA_BROKERS:-127.0.0.1:${KAFKA_PORT:-9092}}"
  export MONGO_URL="${MONGO_URL:-mongodb://127.0.0.1:${MONGO_PORT:-27017}}"
  export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:${REDIS_PORT:-6379}}"
  # Documents go to the local object store (SeaweedFS's S3 API; infra.sh writes the same identity into its config).
  export S3_ENDPOINT="${S3_ENDPOINT:-http://127.0.0.1:${S3_PORT:-8333}}"
  export S3_BUCKET="${S3_BUCKET:-$LT_S3_BUCKET}"
  export S3_ACCESS_KEY_ID="${S3_ACCESS_KEY_ID:-$LT_S3_ACCESS_KEY_ID}"
  export S3_SECRET_ACCESS_KEY="${S3_SECRET_ACCESS_KEY:-$LT_S3_SECRET_ACCESS_KEY}"
  export OTEL_TRACES_EXPORTER="${OTEL_TRACES_EXPORTER:-zipkin}"
  export OTEL_EXPORTER_ZIPKIN_ENDPOINT="${OTEL_EXPORTER_ZIPKIN_ENDPOINT:-http://127.0.0.1:${ZIPKIN_PORT:-9411}/api/v2/spans}"
  # Export spans within a second locally, so a trace is complete in Zipkin right after a request.
  export OTEL_BSP_SCHEDULE_DELAY="${OTEL_BSP_SCHEDULE_DELAY:-1000}"
  # dossier-intake reads the procedure catalogue and the working calendar from contracts/reference-data.
  export REFERENCE_DATA_ROOT="${REFERENCE_DATA_ROOT:-$LT_ROOT}"
  # The services require LIENTHONG_ENV (no default, ADR 0010); local runs are development: the generated signing key
  # and issuer, loopback webhook targets and plain-http document URLs on 127.0.0.1.
  export LIENTHONG_ENV="${LIENTHONG_ENV:-development}"
  # notification may call webhooks on loopback locally (the intake-webhook-receiver sandbox); never in production.
  export WEBHOOK_ALLOW_PRIVATE_TARGETS="${WEBHOOK_ALLOW_PRIVATE_TARGETS:-true}"
}

lt_build() {
  log "building the services (swc)"
  (cd "$LT_ROOT" && node tools/build.mjs >/dev/null) || die "build" "transpiling services and libraries failed"
}

lt_service_pid() {
  local pidfile="$LT_RUN/pids/$1.pid"
  [[ -f "$pidfile" ]] && kill -0 "$(cat "$pidfile")" 2>/dev/null && cat "$pidfile"
}

lt_service_port() { lt_port_of "$1" "${LT_SERVICE_PORT[$1]}"; }

# The port of NAME: the <NAME>_PORT variable (dashes as underscores) when set, else DEFAULT.
lt_port_of() {
  local var; var="$(echo "${1}_PORT" | tr 'a-z-' 'A-Z_')"
  echo "${!var:-$2}"
}

# lt_start_node PIDNAME ENTRY PORT: starts a built entry point in the background unless PIDNAME runs already; pid
# and log under $LT_RUN. Descriptors 3-9 are closed so the process never holds a caller's lock or pipe.
lt_start_node() {
  local name="$1" entry="$2" port="$3"
  mkdir -p "$LT_RUN/pids" "$LT_RUN/logs"
  if lt_service_pid "$name" >/dev/null; then log "$name already running"; return 0; fi
  HOST="${HOST:-127.0.0.1}" PORT="$port" setsid node --enable-source-maps "$LT_ROOT/dist/$entry" \
    >>"$LT_RUN/logs/$name.log" 2>&1 </dev/null 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&- &
  echo $! >"$LT_RUN/pids/$name.pid"
}

# lt_await_http PIDNAME URL SECONDS: waits (bounded) until URL answers 2xx; on timeout shows the log and fails.
lt_await_http() {
  local name="$1" url="$2" limit="$3"
  if ! wait_for "$name" "$limit" curl -sf "$url"; then
    tail -n 20 "$LT_RUN/logs/$name.log" >&2 || true
    die "starting $name" "not ready within $limit s at $url (log: $LT_RUN/logs/$name.log)"
  fi
  log "$name ready on ${url%/health*}"
}

# Starts one service in the background unless it runs already; lt_service_wait waits for its readiness endpoint.
lt_service_start() { lt_start_node "$1" "services/$1/src/main.js" "$(lt_service_port "$1")"; }

# Sandboxes start like services (pid and log `sandbox-<name>`, port overridable by <NAME>_PORT) and are ready when
# GET /health answers.
lt_sandbox_start() { lt_start_node "sandbox-$1" "deploy/sandboxes/$1/src/main.js" "$(lt_sandbox_port "$1")"; }

lt_sandbox_port() { lt_port_of "$1" "${LT_SANDBOX_PORT[$1]}"; }

lt_sandbox_wait() { lt_await_http "sandbox-$1" "http://127.0.0.1:$(lt_sandbox_port "$1")/health" 60; }

# Starts every sandbox, then waits for all of them.
lt_sandboxes_up() {
  local s
  for s in "${LT_SANDBOXES[@]}"; do lt_sandbox_start "$s"; done
  for s in "${LT_SANDBOXES[@]}"; do lt_sandbox_wait "$s"; done
}

# Stops the named sandboxes (all of them by default).
lt_sandboxes_down() {
  local s names=()
  (($# > 0)) || set -- "${LT_SANDBOXES[@]}"
  for s in "$@"; do names+=("sandbox-$s"); done
  ((${#names[@]} == 0)) || lt_services_stop "${names[@]}"
}

lt_service_wait() { lt_await_http "$1" "http://127.0.0.1:$(lt_service_port "$1")/health/ready" 90; }

# SIGTERM lets each service drain (stop consuming, finish in-flight work), all at once; SIGKILL only after 30 s.
lt_services_stop() {
  local name pid pids=() names=()
  for name in "$@"; do
    if pid="$(lt_service_pid "$name")"; then kill -TERM "$pid" 2>/dev/null || true; pids+=("$pid"); names+=("$name"); fi
    rm -f "$LT_RUN/pids/$name.pid"
  done
  local deadline=$((SECONDS + 30)) i
  for i in "${!pids[@]}"; do
    while kill -0 "${pids[$i]}" 2>/dev/null; do
      if ((SECONDS >= deadline)); then
        warn "${names[$i]} did not stop in 30 s; killing"; kill -KILL "${pids[$i]}" 2>/dev/null || true; break
      fi
      sleep 0.2
    done
  done
}

lt_print_urls() {
  cat >&2 <<URLS

  Liên Thông is running (all on 127.0.0.1):
    dossier-intake       http://127.0.0.1:$(lt_service_port dossier-intake)/v1/dossiers      OpenAPI: http://127.0.0.1:$(lt_service_port dossier-intake)/docs
    registration-office  http://127.0.0.1:$(lt_service_port registration-office)/v1/cases         OpenAPI: http://127.0.0.1:$(lt_service_port registration-office)/docs
    population-matching  http://127.0.0.1:$(lt_service_port population-matching)/v1/matches       OpenAPI: http://127.0.0.1:$(lt_service_port population-matching)/docs
    notification         http://127.0.0.1:$(lt_service_port notification)/v1/status-logs   OpenAPI: http://127.0.0.1:$(lt_service_port notification)/docs
    LRO web console      http://127.0.0.1:$(lt_service_port registration-office)/   (token: npm run -s token -- --worker u1 --branch KH-DIENKHANH --roles officer,approver,supervisor)
    Sandboxes            $(for s in "${LT_SANDBOXES[@]}"; do printf '%s :%s  ' "$s" "$(lt_sandbox_port "$s")"; done)
    Zipkin (traces)      http://127.0.0.1:${ZIPKIN_PORT:-9411}/zipkin/
    Logs                 $LT_RUN/logs/

URLS
}
