#!/usr/bin/env bash
# Local infrastructure of Liên Thông without Docker: Redis, Kafka (KRaft), FerretDB (MongoDB wire, SQLite), Zipkin and
# SeaweedFS (the object store of documents, S3 API; ADR 0007), all bound to 127.0.0.1. The comments below say why each step is done the way it is (traps found while designing it).
#
#   deploy/local/infra.sh up                  install what is missing (cached in .cache/), start, wait, create topics
#   deploy/local/infra.sh down                stop what up started (SIGTERM, bounded wait, then SIGKILL)
#   deploy/local/infra.sh status              one line per component; exit 1 if any is not running
#   deploy/local/infra.sh logs [component] [-f]
#   deploy/local/infra.sh reset               down, then delete .cache/run (data, logs, pids)
#   deploy/local/infra.sh stop|restart COMPONENT   stop (or stop and start) one component, keeping its data
#
# Ports (env): KAFKA_PORT=9092 KAFKA_CONTROLLER_PORT=9093 MONGO_PORT=27017 REDIS_PORT=6379 ZIPKIN_PORT=9411 S3_PORT=8333
#   (SeaweedFS's inner servers: SEAWEEDFS_MASTER_PORT=9333 SEAWEEDFS_VOLUME_PORT=8381 SEAWEEDFS_FILER_PORT=8888; each
#   of these and S3_PORT has its gRPC port at +10000)
# Installed tools live in .cache/infra (plus .cache/m2 and .cache/go for Maven and Go caches); everything that belongs
# to a run lives in .cache/run. Deleting .cache gives a truly cold start.
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
# shellcheck source=lib/toolchain.sh
source "$LT_ROOT/deploy/local/lib/toolchain.sh"

COMPONENTS=(redis kafka ferretdb zipkin objectstore)

KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
MONGO_PORT="${MONGO_PORT:-27017}"
REDIS_PORT="${REDIS_PORT:-6379}"
ZIPKIN_PORT="${ZIPKIN_PORT:-9411}"
S3_PORT="${S3_PORT:-8333}"
SEAWEEDFS_MASTER_PORT="${SEAWEEDFS_MASTER_PORT:-9333}"
SEAWEEDFS_VOLUME_PORT="${SEAWEEDFS_VOLUME_PORT:-8381}"
SEAWEEDFS_FILER_PORT="${SEAWEEDFS_FILER_PORT:-8888}"
S3_REGION="${S3_REGION:-us-east-1}"

HERE="$LT_ROOT/deploy/local"
PIDS="$LT_RUN/pids"
LOGS="$LT_RUN/logs"
DATA="$LT_RUN/data"

# Maven and Go caches under .cache, so nothing is shared with (or left in) ~/.m2 or ~/go.
MVN=(mvn -B -q "-Dmaven.repo.local=$LT_CACHE/m2")
MVN_DEP_PLUGIN="org.apache.maven.plugins:maven-dependency-plugin:3.6.1"

KAFKA_HOME="$LT_INFRA/kafka-$LT_KAFKA_VERSION"
# Any fixed 16-byte id, base64url without padding ("LienThongLocal11"). Fixed, so the data dir survives restarts.
KAFKA_CLUSTER_ID="TGllblRob25nTG9jYWwxMQ"
ZIPKIN_JAR="$LT_INFRA/zipkin/zipkin-server-$LT_ZIPKIN_VERSION-exec.jar"
FERRETDB_BIN="$LT_INFRA/bin/ferretdb-$LT_FERRETDB_VERSION"
WEED_BIN="$LT_INFRA/bin/weed-$LT_SEAWEEDFS_VERSION"
KAFKAJS_VERSION="2.2.4"   # the version of the lead's package.json, used only until npm ci has run

# Readiness bounds, in seconds. The JVMs share 2 cores with each other (and with a cold Go build).
declare -A READY_LIMIT=([redis]=30 [kafka]=90 [ferretdb]=60 [zipkin]=90 [objectstore]=60)
# Shutdown bounds before SIGKILL: Kafka flushes and closes its logs, the others are quick.
declare -A STOP_LIMIT=([redis]=10 [kafka]=30 [ferretdb]=15 [zipkin]=15 [objectstore]=15)

port_of() {
  case "$1" in
    redis) echo "$REDIS_PORT" ;; kafka) echo "$KAFKA_PORT" ;; ferretdb) echo "$MONGO_PORT" ;; zipkin) echo "$ZIPKIN_PORT" ;;
    objectstore) echo "$S3_PORT" ;;
  esac
}

# ---------------------------------------------------------------------------------------------------------------------
# Process bookkeeping. pids/<c>.pid holds the pid (plain, like the services' pid files); pids/<c>.start holds the
# process start time from /proc, so a pid recycled by an unrelated process is never mistaken for ours.

proc_start_time() { [[ -r "/proc/$1/stat" ]] && sed 's/.*) //' "/proc/$1/stat" | cut -d' ' -f20; }

# Prints the pid and succeeds when component $1 runs.
running_pid() {
  local c="$1" pid start
  [[ -f "$PIDS/$c.pid" ]] || return 1
  pid="$(cat "$PIDS/$c.pid")"; start="$(cat "$PIDS/$c.start" 2>/dev/null || true)"
  [[ -n "$pid" && "$(proc_start_time "$pid" 2>/dev/null)" == "$start" ]] && alive "$pid" || return 1
  echo "$pid"
}

# kill -0 also succeeds on a zombie; processes outlive this script and are reaped by init, sometimes lazily.
alive() {
  local state
  state="$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)" || return 1
  [[ -n "$state" && "$state" != Z ]]
}

port_listening() { ss -Hltn "sport = :$1" 2>/dev/null | grep -q .; }

# Refuses to start on a port someone else holds: the error would otherwise surface as a confusing timeout.
check_port_free() {
  local c="$1" port="$2" who
  command -v ss >/dev/null || return 0
  who="$(ss -Hltnp "sport = :$port" 2>/dev/null || true)"
  [[ -z "$who" ]] || die "starting $c" "port $port is already in use: $(echo "$who" | head -1 | tr -s ' ') (set the port variable, e.g. $(port_var "$c")=..., or stop that process)"
}
port_var() { case "$1" in redis) echo REDIS_PORT ;; kafka) echo KAFKA_PORT ;; ferretdb) echo MONGO_PORT ;; zipkin) echo ZIPKIN_PORT ;; objectstore) echo S3_PORT ;; esac; }

# start_bg COMPONENT COMMAND...: runs COMMAND detached from this shell (setsid: Ctrl-C in the terminal that ran `up`
# does not reach it), with its working directory in its data dir, output appended to logs/<c>.log.
start_bg() {
  local c="$1"; shift
  mkdir -p "$DATA/$c"
  [[ -f "$LOGS/$c.log" ]] && mv -f "$LOGS/$c.log" "$LOGS/$c.log.1"   # keep the previous run's log, start a fresh one
  printf '=== %s: %s\n' "$(date -Is)" "$*" >"$LOGS/$c.log"
  # Descriptors 3-9 are closed: a long-lived server must not keep a caller's lock file or pipe open (e.g. a test
  # runner that holds a flock while it brings the infrastructure up would otherwise never release it).
  (cd "$DATA/$c" && exec setsid "$@" >>"$LOGS/$c.log" 2>&1 </dev/null 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&-) &
  local pid=$!
  echo "$pid" >"$PIDS/$c.pid"
  proc_start_time "$pid" >"$PIDS/$c.start"
  port_of "$c" >"$PIDS/$c.port"
}

# The port a running component was started with (the *_PORT variables may have changed since).
started_port() { cat "$PIDS/$1.port" 2>/dev/null || port_of "$1"; }

last_lines() { tail -n "${2:-15}" "$1" 2>/dev/null | sed 's/^/    /' || true; }

# await_ready COMPONENT PROBE...: bounded wait; fails early when the process dies, and says why in both cases.
await_ready() {
  local c="$1"; shift
  local limit="${READY_LIMIT[$c]}" deadline=$((SECONDS + READY_LIMIT[$c]))
  until "$@" >/dev/null 2>&1; do
    if ! running_pid "$c" >/dev/null; then
      sleep 1   # let the process's last words reach the log before quoting it
      die "starting $c" "the process exited; last lines of ${LOGS#"$LT_ROOT"/}/$c.log:"$'\n'"$(last_lines "$LOGS/$c.log")"
    fi
    ((SECONDS < deadline)) ||
      die "starting $c" "$c did not become ready within $limit s; last lines of ${LOGS#"$LT_ROOT"/}/$c.log:"$'\n'"$(last_lines "$LOGS/$c.log")"
    sleep 0.5
  done
}

# ---------------------------------------------------------------------------------------------------------------------
# Installation (first use only; everything is cached).

# Redis and kcat come from Debian. kcat is the Kafka readiness probe and the operator's inspection tool.
install_apt_tools() {
  local missing=()
  command -v redis-server >/dev/null || missing+=(redis-server)
  command -v redis-cli >/dev/null || missing+=(redis-tools)
  command -v kcat >/dev/null || missing+=(kcat)
  ((${#missing[@]} == 0)) && return 0
  if [[ "$(id -u)" != 0 ]]; then
    die "installing ${missing[*]}" "not root; run: sudo apt-get install -y ${missing[*]}"
  fi
  need apt-get "installing ${missing[*]}" "Debian/Ubuntu only; install ${missing[*]} yourself"
  log "installing ${missing[*]} (apt)"
  # A fresh image has empty package lists: update only when apt does not know the package.
  if apt-cache policy "${missing[@]}" 2>/dev/null | grep -q 'Candidate: (none)' ||
    [[ "$(apt-cache policy "${missing[@]}" 2>/dev/null | grep -c 'Candidate:')" -lt "${#missing[@]}" ]]; then
    apt-get update >"$LOGS/install-apt.log" 2>&1 || die "apt-get update" "see ${LOGS#"$LT_ROOT"/}/install-apt.log"
  fi
  # A stale package list can name versions the mirror no longer has: refresh it once and retry before giving up.
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >>"$LOGS/install-apt.log" 2>&1 ||
    { apt-get update >>"$LOGS/install-apt.log" 2>&1 &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >>"$LOGS/install-apt.log" 2>&1; } ||
    die "installing ${missing[*]}" "apt-get failed; last lines of ${LOGS#"$LT_ROOT"/}/install-apt.log:"$'\n'"$(last_lines "$LOGS/install-apt.log")"
}

# Kafka's runtime class path from Maven Central, as declared in deploy/local/kafka/pom.xml. The stamp records the
# version and the pom's hash, so editing either re-gathers the jars.
install_kafka() {
  local stamp="$KAFKA_HOME/.installed" want
  want="$LT_KAFKA_VERSION $(sha256sum "$HERE/kafka/pom.xml" | cut -d' ' -f1)"
  [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]] && return 0
  need mvn "installing kafka" "Maven is needed once to fetch the Kafka jars"
  log "fetching Kafka $LT_KAFKA_VERSION jars from Maven Central"
  rm -rf "$KAFKA_HOME" && mkdir -p "$KAFKA_HOME"
  "${MVN[@]}" -f "$HERE/kafka/pom.xml" "$MVN_DEP_PLUGIN:copy-dependencies" "-Dkafka.version=$LT_KAFKA_VERSION" \
    -DincludeScope=runtime "-DoutputDirectory=$KAFKA_HOME/libs.tmp" >"$LOGS/install-kafka.log" 2>&1 ||
    die "installing kafka" "maven copy-dependencies failed; last lines of ${LOGS#"$LT_ROOT"/}/install-kafka.log:"$'\n'"$(last_lines "$LOGS/install-kafka.log")"
  mv "$KAFKA_HOME/libs.tmp" "$KAFKA_HOME/libs"
  echo "$want" >"$stamp"
}

install_zipkin() {
  [[ -s "$ZIPKIN_JAR" ]] && return 0
  need mvn "installing zipkin" "Maven is needed once to fetch the Zipkin jar"
  log "fetching Zipkin server $LT_ZIPKIN_VERSION from Maven Central"
  local tmp="$LT_INFRA/zipkin.tmp"
  rm -rf "$tmp" && mkdir -p "$tmp" "$(dirname "$ZIPKIN_JAR")"
  "${MVN[@]}" "$MVN_DEP_PLUGIN:copy" "-Dartifact=io.zipkin:zipkin-server:$LT_ZIPKIN_VERSION:jar:exec" \
    "-DoutputDirectory=$tmp" >"$LOGS/install-zipkin.log" 2>&1 ||
    die "installing zipkin" "maven copy failed; last lines of ${LOGS#"$LT_ROOT"/}/install-zipkin.log:"$'\n'"$(last_lines "$LOGS/install-zipkin.log")"
  mv "$tmp/$(basename "$ZIPKIN_JAR")" "$ZIPKIN_JAR" && rm -rf "$tmp"
}

# FerretDB through the project's embedding wrapper (deploy/local/ferretdb): upstream's cmd/ferretdb panics when built
# from the module proxy. Rebuilt when the binary is missing or the wrapper's sources changed.
install_ferretdb() {
  local src="$HERE/ferretdb" want
  want="$(cat "$src/go.mod" "$src/go.sum" "$src"/*.go "$src/patches.sh" $(find "$src/patches" -name '*.go' | sort) |
    sha256sum | cut -d' ' -f1)"
  [[ -x "$FERRETDB_BIN" && "$(cat "$FERRETDB_BIN.src" 2>/dev/null)" == "$want" ]] && return 0
  need go "building ferretdb" "Go >= 1.24 is needed once to build FerretDB $LT_FERRETDB_VERSION"
  log "building FerretDB $LT_FERRETDB_VERSION (Go; a few minutes on a cold cache)"
  mkdir -p "$(dirname "$FERRETDB_BIN")"
  # -modcacherw: module cache files are writable, so `rm -rf .cache` works without root.
  # GOTOOLCHAIN=local: never download another Go toolchain. No PostgreSQL backend: SQLite is all we use.
  # Built from a vendored copy in .cache so the patches of ADR 0005 apply to two upstream files there;
  # the module cache stays pristine.
  local build="$LT_INFRA/ferretdb-build"
  rm -rf "$build" && mkdir -p "$build" && cp "$src/go.mod" "$src/go.sum" "$src"/*.go "$build/"
  (cd "$build" && export GOMODCACHE="$LT_CACHE/go/mod" GOCACHE="$LT_CACHE/go/build" GOFLAGS="${GOFLAGS:-} -modcacherw" \
    GOTOOLCHAIN=local CGO_ENABLED=0 &&
    go mod vendor &&
    bash "$src/patches.sh" vendor/github.com/FerretDB/FerretDB &&
    go build -mod=vendor -trimpath -tags ferretdb_no_postgresql -o "$FERRETDB_BIN.tmp" .) \
    >"$LOGS/install-ferretdb.log" 2>&1 ||
    die "building ferretdb" "go build failed; last lines of ${LOGS#"$LT_ROOT"/}/install-ferretdb.log:"$'\n'"$(last_lines "$LOGS/install-ferretdb.log")"
  mv -f "$FERRETDB_BIN.tmp" "$FERRETDB_BIN"
  echo "$want" >"$FERRETDB_BIN.src"
}

# SeaweedFS's `weed` from the Go module proxy, through the wrapper module deploy/local/seaweedfs (go install refuses
# the module: its go.mod has a replace directive, which the wrapper repeats). Rebuilt when the binary is missing or
# the wrapper changed. About 6.5 minutes cold on 2 cores (`up` runs it beside the FerretDB build and the JVM
# downloads); the binary is cached in .cache/infra/bin, the modules and build cache in .cache/go.
install_objectstore() {
  local src="$HERE/seaweedfs" want
  want="$(cat "$src/go.mod" "$src/go.sum" "$src"/*.go | sha256sum | cut -d' ' -f1)"
  [[ -x "$WEED_BIN" && "$(cat "$WEED_BIN.src" 2>/dev/null)" == "$want" ]] && return 0
  need go "building seaweedfs" "Go >= 1.26 is needed once to build SeaweedFS"
  log "building SeaweedFS $LT_SEAWEEDFS_VERSION (Go; about 6.5 minutes on a cold cache)"
  mkdir -p "$(dirname "$WEED_BIN")"
  # -mod=readonly: go.sum is committed and complete, so the build never edits the wrapper. -s -w: no symbol tables
  # (a smaller binary and a faster link); GOTOOLCHAIN=local: never download another Go.
  (cd "$src" && export GOMODCACHE="$LT_CACHE/go/mod" GOCACHE="$LT_CACHE/go/build" GOFLAGS="${GOFLAGS:-} -modcacherw" \
    GOTOOLCHAIN=local CGO_ENABLED=0 &&
    go build -mod=readonly -trimpath -ldflags='-s -w' -o "$WEED_BIN.tmp" github.com/seaweedfs/seaweedfs/weed) \
    >"$LOGS/install-objectstore.log" 2>&1 ||
    die "building seaweedfs" "go build failed; last lines of ${LOGS#"$LT_ROOT"/}/install-objectstore.log:"$'\n'"$(last_lines "$LOGS/install-objectstore.log")"
  mv -f "$WEED_BIN.tmp" "$WEED_BIN"
  echo "$want" >"$WEED_BIN.src"
}

# kafkajs for create-topics.mjs: the repository's copy when npm ci has run, else a private one under .cache/infra/npm.
kafkajs_dir() {
  if node -e "require.resolve('kafkajs', { paths: [process.argv[1]] })" "$LT_ROOT" >/dev/null 2>&1; then
    echo "$LT_ROOT"; return 0
  fi
  local dir="$LT_INFRA/npm"
  if [[ ! -f "$dir/node_modules/kafkajs/package.json" ]]; then
    log "installing kafkajs@$KAFKAJS_VERSION into ${dir#"$LT_ROOT"/} (node_modules is not installed yet)"
    mkdir -p "$dir"
    npm install --prefix "$dir" --no-audit --no-fund --loglevel=error "kafkajs@$KAFKAJS_VERSION" >"$LOGS/install-kafkajs.log" 2>&1 ||
      die "installing kafkajs" "npm failed; last lines of ${LOGS#"$LT_ROOT"/}/install-kafkajs.log:"$'\n'"$(last_lines "$LOGS/install-kafkajs.log")"
  fi
  echo "$dir"
}

# ---------------------------------------------------------------------------------------------------------------------
# Starting. Each start_* returns at once (the process starts in the background); readiness is awaited afterwards.

already_running() {
  local pid port
  pid="$(running_pid "$1")" || return 1
  port="$(started_port "$1")"
  [[ "$port" == "$(port_of "$1")" ]] ||
    die "starting $1" "already running on port $port (pid $pid), but $(port_var "$1")=$(port_of "$1") was asked; run: $0 down"
  log "$1 already running (pid $pid)"
}

start_redis() {
  already_running redis && return 0
  check_port_free redis "$REDIS_PORT"
  # No config file: built-in defaults plus these. Nothing persisted (--save "" and no AOF): local data is throw-away.
  start_bg redis redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no \
    --daemonize no --dir "$DATA/redis" --logfile "$LOGS/redis.log"
}

start_kafka() {
  already_running kafka && return 0
  need java "starting kafka" "install a JDK 17+"
  check_port_free kafka "$KAFKA_PORT"
  check_port_free kafka "$KAFKA_CONTROLLER_PORT"
  local cfg="$LT_RUN/kafka/server.properties" datadir="$DATA/kafka/log"
  mkdir -p "$(dirname "$cfg")" "$datadir"
  # StorageTool reads only a config file (no --override), so the template is rendered once for both commands.
  sed -e "s|@KAFKA_PORT@|$KAFKA_PORT|g" -e "s|@KAFKA_CONTROLLER_PORT@|$KAFKA_CONTROLLER_PORT|g" \
    -e "s|@KAFKA_DATA_DIR@|$datadir|g" "$HERE/kafka/server.properties" >"$cfg"
  local cp="$KAFKA_HOME/libs/*"
  local log4j="-Dlog4j.configuration=file:$HERE/kafka/log4j.properties"
  if [[ ! -f "$datadir/meta.properties" ]]; then
    # A separate short JVM (~2 s); skipped once the data dir is formatted. --ignore-formatted makes it idempotent anyway.
    java -Xmx128m -XX:TieredStopAtLevel=1 "$log4j" -cp "$cp" kafka.tools.StorageTool format \
      -t "$KAFKA_CLUSTER_ID" -c "$cfg" --ignore-formatted >"$LOGS/kafka-format.log" 2>&1 ||
      die "formatting kafka storage" "last lines of ${LOGS#"$LT_ROOT"/}/kafka-format.log:"$'\n'"$(last_lines "$LOGS/kafka-format.log")"
  fi
  # Heap and GC flags mirror kafka-server-start.sh / kafka-run-class.sh defaults, with a smaller heap.
  # -Dlienthong.component names the process in `ps`.
  start_bg kafka java -Dlienthong.component=kafka -Xms256m -Xmx512m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -XX:+ExitOnOutOfMemoryError \
    -Djava.awt.headless=true "$log4j" -cp "$cp" kafka.Kafka "$cfg"
}

start_ferretdb() {
  already_running ferretdb && return 0
  check_port_free ferretdb "$MONGO_PORT"
  start_bg ferretdb "$FERRETDB_BIN" -listen-addr "127.0.0.1:$MONGO_PORT" -sqlite-dir "$DATA/ferretdb" \
    -log-level "${FERRETDB_LOG_LEVEL:-warn}"
}

start_zipkin() {
  already_running zipkin && return 0
  need java "starting zipkin" "install a JDK 17+"
  check_port_free zipkin "$ZIPKIN_PORT"
  # Zipkin's only listener comes from armeria.ports (zipkin-server-shared.yml: `- port: ${server.port}`); giving the
  # list on the command line replaces it, and `ip` binds it to loopback (checked with ss: [::ffff:127.0.0.1]:9411).
  # In-memory storage, capped so 256 MB of heap is enough. C1 only: it starts faster and has little to optimise.
  STORAGE_TYPE=mem MEM_MAX_SPANS="${ZIPKIN_MEM_MAX_SPANS:-100000}" \
    start_bg zipkin java -Dlienthong.component=zipkin -Xms64m -Xmx256m -XX:TieredStopAtLevel=1 \
    -XX:+ExitOnOutOfMemoryError -jar "$ZIPKIN_JAR" \
    '--armeria.ports[0].ip=127.0.0.1' "--armeria.ports[0].port=$ZIPKIN_PORT" '--armeria.ports[0].protocols[0]=http' \
    --logging.level.root=WARN --logging.level.com.linecorp.armeria.server.Server=INFO
}

# SeaweedFS as one process: master, volume server, filer and the S3 gateway (`weed server -s3`), every listener on
# 127.0.0.1 (-ip.bind; checked with ss). Clients must sign requests with the identity of s3.json, as with AWS.
start_objectstore() {
  already_running objectstore && return 0
  local p
  for p in "$S3_PORT" "$SEAWEEDFS_MASTER_PORT" "$SEAWEEDFS_VOLUME_PORT" "$SEAWEEDFS_FILER_PORT" \
    $((SEAWEEDFS_MASTER_PORT + 10000)) $((SEAWEEDFS_VOLUME_PORT + 10000)) $((SEAWEEDFS_FILER_PORT + 10000)) \
    $((S3_PORT + 10000)); do
    check_port_free objectstore "$p"
  done
  local cfg="$LT_RUN/objectstore/s3.json"
  mkdir -p "$(dirname "$cfg")" "$DATA/objectstore"
  (umask 077 && cat >"$cfg" <<EOF
{ "identities": [ { "name": "lienthong-services",
    "credentials": [ { "accessKey": "$LT_S3_ACCESS_KEY_ID", "secretKey": "$LT_S3_SECRET_ACCESS_KEY" } ],
    "actions": [ "Admin", "Read", "List", "Tagging", "Write" ] } ] }
EOF
  )
  # Volumes of 256 MB, at most 16: the default (30 GB volumes, as many as the disk allows) suits a storage node,
  # not a developer's disk. Off: the master's anonymous usage report (on by default), the S3 gateway's Iceberg and
  # Lance catalog listeners (8181, 9101 by default); no metrics listener (off by default). gRPC ports are +10000.
  # GOMEMLIMIT: a soft bound for Go's collector; without it the process kept 510 MB after 250 MB of uploads.
  GOMEMLIMIT="${SEAWEEDFS_GOMEMLIMIT:-384MiB}" \
    start_bg objectstore "$WEED_BIN" server -dir="$DATA/objectstore" -ip=127.0.0.1 -ip.bind=127.0.0.1 \
    -master.port="$SEAWEEDFS_MASTER_PORT" -volume.port="$SEAWEEDFS_VOLUME_PORT" -filer.port="$SEAWEEDFS_FILER_PORT" \
    -master.volumeSizeLimitMB=256 -volume.max=16 -master.telemetry=false \
    -s3 -s3.port="$S3_PORT" -s3.config="$cfg" -s3.port.iceberg=0 -s3.port.lance=0
}

# A signed S3 request with curl (SigV4, as the SDK signs): METHOD PATH [curl options...]; prints the HTTP status.
s3_curl() {
  local method="$1" path="$2"; shift 2
  curl -sS --max-time 5 -o /dev/null -w '%{http_code}' -X "$method" --aws-sigv4 "aws:amz:$S3_REGION:s3" \
    --user "$LT_S3_ACCESS_KEY_ID:$LT_S3_SECRET_ACCESS_KEY" "$@" "http://127.0.0.1:$S3_PORT$path"
}

# The documents bucket, created when missing (idempotent: HEAD first, and "already owned" counts as done).
create_bucket() {
  local code
  code="$(s3_curl HEAD "/$LT_S3_BUCKET" -I || true)"
  [[ "$code" == 200 ]] && return 0
  code="$(s3_curl PUT "/$LT_S3_BUCKET" || true)"
  [[ "$code" == 200 || "$code" == 409 ]] || die "creating bucket $LT_S3_BUCKET" "the S3 API answered $code"
  log "bucket $LT_S3_BUCKET created"
}

# ---------------------------------------------------------------------------------------------------------------------
# Readiness probes: each one talks the component's protocol, an open port is not enough.

probe_redis() { [[ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" == PONG ]]; }
probe_kafka() { kcat -b "127.0.0.1:$KAFKA_PORT" -L -m 2 2>/dev/null | grep -q '1 brokers:'; }
probe_ferretdb() { "$FERRETDB_BIN" -ping -listen-addr "127.0.0.1:$MONGO_PORT"; }
probe_zipkin() { curl -sf --max-time 2 "http://127.0.0.1:$ZIPKIN_PORT/health" | grep -q '"UP"'; }
# A signed ListBuckets: the S3 gateway answers only once the filer behind it (and the master) are up.
probe_objectstore() { [[ "$(s3_curl GET /)" == 200 ]]; }

create_topics() {
  command -v node >/dev/null || lt_node_ready
  local dir; dir="$(kafkajs_dir)"
  # pipefail (common.sh) makes the pipeline fail when node fails; sed only indents the report.
  if ! LT_KAFKAJS_DIR="$dir" node "$HERE/create-topics.mjs" --brokers "127.0.0.1:$KAFKA_PORT" \
    --file "$LT_ROOT/contracts/kafka/topics.json" 2>&1 | sed 's/^/    /' >&2; then
    die "creating kafka topics" "create-topics.mjs failed (output above)"
  fi
}

env_lines() {
  cat <<EOF
KAFKA_BROKERS=127.0.0.1:$KAFKA_PORT
MONGO_URL=mongodb://127.0.0.1:$MONGO_PORT
REDIS_URL=redis://127.0.0.1:$REDIS_PORT
OTEL_EXPORTER_ZIPKIN_ENDPOINT=http://127.0.0.1:$ZIPKIN_PORT/api/v2/spans
S3_ENDPOINT=http://127.0.0.1:$S3_PORT
S3_BUCKET=$LT_S3_BUCKET
S3_ACCESS_KEY_ID=$LT_S3_ACCESS_KEY_ID
S3_SECRET_ACCESS_KEY=$LT_S3_SECRET_ACCESS_KEY
EOF
}

cmd_up() {
  local t0=$SECONDS
  mkdir -p "$PIDS" "$LOGS" "$DATA" "$LT_INFRA"
  need java "prerequisites" "install a JDK 17+ (Kafka and Zipkin run on the JVM)"
  need curl "prerequisites"

  install_apt_tools
  start_redis

  # Two background chains, so the slow parts overlap: the Go build of FerretDB (CPU) runs while Maven downloads (I/O)
  # and the JVMs start. Maven runs are kept in one chain because two Mavens sharing a local repository may race.
  # The SeaweedFS build (CPU, the longest step on a cold cache) gets a chain of its own beside them.
  local fails=() chain_jvm chain_fdb chain_obj
  (install_kafka; start_kafka; install_zipkin; start_zipkin) & chain_jvm=$!
  (install_ferretdb; start_ferretdb) & chain_fdb=$!
  (install_objectstore; start_objectstore) & chain_obj=$!
  wait "$chain_jvm" || fails+=("kafka/zipkin")
  wait "$chain_fdb" || fails+=("ferretdb")
  wait "$chain_obj" || fails+=("objectstore")
  ((${#fails[@]} == 0)) || die "up" "could not start ${fails[*]} (reason above); the rest is left running, see: $0 status"

  # Readiness in parallel too, so a slow JVM does not hide a second failure. Topics are created as soon as Kafka
  # answers, while Zipkin may still be starting.
  local c pids=() names=()
  for c in "${COMPONENTS[@]}"; do
    (
      await_ready "$c" "probe_$c"
      log "$c ready on 127.0.0.1:$(port_of "$c") (pid $(running_pid "$c"))"
      if [[ "$c" == kafka ]]; then create_topics; fi
      if [[ "$c" == objectstore ]]; then create_bucket; fi
    ) &
    pids+=($!); names+=("$c")
  done
  local i
  for i in "${!pids[@]}"; do wait "${pids[$i]}" || fails+=("${names[$i]}"); done
  ((${#fails[@]} == 0)) || die "up" "not ready: ${fails[*]} (reason above)"
  env_lines >"$LT_RUN/infra.env"
  log "infrastructure up in $((SECONDS - t0)) s"
  cat >&2 <<EOF

  Endpoints (127.0.0.1 only):
    Kafka     127.0.0.1:$KAFKA_PORT        (controller 127.0.0.1:$KAFKA_CONTROLLER_PORT is not for clients; inspect with: kcat -b 127.0.0.1:$KAFKA_PORT -L)
    FerretDB  mongodb://127.0.0.1:$MONGO_PORT   (MongoDB 7.0 wire protocol, SQLite in ${DATA#"$LT_ROOT"/}/ferretdb)
    Redis     redis://127.0.0.1:$REDIS_PORT
    Zipkin    http://127.0.0.1:$ZIPKIN_PORT/zipkin/  (spans: POST /api/v2/spans)
    S3        http://127.0.0.1:$S3_PORT  (SeaweedFS; bucket $LT_S3_BUCKET; data in ${DATA#"$LT_ROOT"/}/objectstore)
    Logs      ${LOGS#"$LT_ROOT"/}/   ($0 logs [component] [-f])

  Environment for a service (also written to ${LT_RUN#"$LT_ROOT"/}/infra.env; append the db name to MONGO_URL):
EOF
  env_lines | sed 's/^/    /' >&2
  echo >&2
}

# ---------------------------------------------------------------------------------------------------------------------
# Stopping.

# Processes that infra.sh started but no longer tracks (pid file lost): started with their cwd in $DATA/<c>, and
# they are java, redis-server or the FerretDB binary. Matching both keeps a user's shell sitting in that directory safe.
untracked_pids() {
  local p cwd exe c
  for p in /proc/[0-9]*; do
    cwd="$(readlink "$p/cwd" 2>/dev/null)" || continue
    for c in "${COMPONENTS[@]}"; do
      [[ "$cwd" == "$DATA/$c" ]] || continue
      exe="$(basename "$(readlink "$p/exe" 2>/dev/null)")"
      case "$exe" in
        java | redis-server | redis-check-rdb | "$(basename "$FERRETDB_BIN")" | "$(basename "$WEED_BIN")") echo "${p#/proc/}" ;;
      esac
    done
  done
}

# stop_all NAME:PID...: SIGTERM to all at once (they stop in parallel), then each gets its bound before SIGKILL.
stop_all() {
  local entry c pid start=$SECONDS
  for entry in "$@"; do kill -TERM "${entry#*:}" 2>/dev/null || true; done
  for entry in "$@"; do
    c="${entry%%:*}"; pid="${entry#*:}"
    while alive "$pid"; do
      if ((SECONDS - start >= ${STOP_LIMIT[$c]:-10})); then
        warn "$c (pid $pid) did not stop within ${STOP_LIMIT[$c]:-10} s; sending SIGKILL"
        kill -KILL "$pid" 2>/dev/null || true
        break
      fi
      sleep 0.2
    done
  done
}

cmd_down() {
  local c pid stopping=()
  for c in "${COMPONENTS[@]}"; do
    if pid="$(running_pid "$c")"; then
      log "stopping $c (pid $pid)"
      stopping+=("$c:$pid")
    fi
  done
  ((${#stopping[@]} == 0)) || stop_all "${stopping[@]}"
  for c in "${COMPONENTS[@]}"; do rm -f "$PIDS/$c.pid" "$PIDS/$c.start" "$PIDS/$c.port"; done

  local leftovers=()
  for pid in $(untracked_pids); do
    warn "stopping untracked leftover process $pid ($(tr '\0' ' ' <"/proc/$pid/cmdline" | cut -c1-100))"
    leftovers+=("leftover:$pid")
  done
  ((${#leftovers[@]} == 0)) || stop_all "${leftovers[@]}"
  log "infrastructure stopped"
}

cmd_status() {
  local c pid port rc=0 state
  for c in "${COMPONENTS[@]}"; do
    if pid="$(running_pid "$c")"; then
      port="$(started_port "$c")"
      state="running"
      port_listening "$port" || state="running (port not listening yet)"
    else
      pid="-" port="$(port_of "$c")" state="stopped" rc=1
    fi
    printf '%-11s %-32s pid %-8s 127.0.0.1:%s\n' "$c" "$state" "$pid" "$port"
  done
  return "$rc"
}

cmd_logs() {
  local follow=() files=() a
  for a in "$@"; do
    case "$a" in
      -f | --follow) follow=(-F) ;;
      redis | kafka | ferretdb | zipkin | objectstore) files+=("$LOGS/$a.log") ;;
      *) die "logs" "unknown argument '$a' (components: ${COMPONENTS[*]}; option: -f)" ;;
    esac
  done
  if ((${#files[@]} == 0)); then
    for a in "${COMPONENTS[@]}"; do [[ -f "$LOGS/$a.log" ]] && files+=("$LOGS/$a.log"); done
    ((${#files[@]} > 0)) || die "logs" "no logs in ${LOGS#"$LT_ROOT"/}/ (run: $0 up)"
  fi
  exec tail -n "${LT_LOG_LINES:-100}" "${follow[@]}" "${files[@]}"
}

# Stops one component (its data is kept); `up` or `restart` brings it back. Used by the fault suite.
cmd_stop() {
  local c="${1:-}" pid
  [[ " ${COMPONENTS[*]} " == *" $c "* ]] || die "stop" "name one component: ${COMPONENTS[*]}"
  if pid="$(running_pid "$c")"; then
    log "stopping $c (pid $pid)"
    stop_all "$c:$pid"
  fi
  rm -f "$PIDS/$c.pid" "$PIDS/$c.start" "$PIDS/$c.port"
}

# Restarts one component, keeping its data.
cmd_restart() {
  cmd_stop "${1:-}"
  "start_$1"
  await_ready "$1" "probe_$1"
  log "$1 ready on 127.0.0.1:$(port_of "$1") (pid $(running_pid "$1"))"
  if [[ "$1" == objectstore ]]; then create_bucket; fi
}

cmd_reset() {
  cmd_down
  rm -rf "$LT_RUN"
  log "deleted ${LT_RUN#"$LT_ROOT"/} (data, logs, pids); installed tools in ${LT_INFRA#"$LT_ROOT"/} are kept"
}

usage() {
  sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  logs) shift; cmd_logs "$@" ;;
  reset) cmd_reset ;;
  restart) shift; cmd_restart "$@" ;;
  stop) shift; cmd_stop "$@" ;;
  *) usage ;;
esac
