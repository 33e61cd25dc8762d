# Shared helpers for the local scripts. Source it; do not run it.
# Every path the scripts create lives under $LT_CACHE (git-ignored), so deleting it gives a cold start.
set -euo pipefail

LT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
LT_CACHE="${LT_CACHE:-$LT_ROOT/.cache}"
LT_INFRA="$LT_CACHE/infra"     # installed tools (kept between runs)
LT_RUN="$LT_CACHE/run"         # pids, logs and data of running processes (throw-away)
export LT_ROOT LT_CACHE LT_INFRA LT_RUN

# Pinned versions: changing one re-installs that component on the next `up`.
LT_NODE_VERSION="24.21.0"
LT_KAFKA_VERSION="3.9.1"
LT_FERRETDB_VERSION="v1.24.2"
LT_ZIPKIN_VERSION="3.4.4"
# SeaweedFS has no tagged module versions on the proxy: the pseudo-version it lists (deploy/local/seaweedfs/go.mod).
LT_SEAWEEDFS_VERSION="v0.0.0-20261109003541-7506e5f91cd6"

# Credentials of the local object store (SeaweedFS's S3 API on 127.0.0.1 only). Fixed development values, not
# secrets: the store signs requests as production S3 does, so the services run the same code path. infra.sh writes
# them into the store's identity file; lt_service_env (services.sh) and docker-compose.yml give them to the services.
LT_S3_ACCESS_KEY_ID="lienthong-local"
LT_S3_SECRET_ACCESS_KEY="lienthong-local-secret"
LT_S3_BUCKET="lienthong-documents"

log()  { printf '\033[1;34m[lienthong]\033[0m %s\n' "$*" >&2; }
warn() { printf '\033[1;33m[lienthong]\033[0m %s\n' "$*" >&2; }
# die STEP REASON: every failure names the step that failed and why.
die()  { printf '\033[1;31m[lienthong] %s failed:\033[0m %s\n' "$1" "$2" >&2; exit 1; }

need() { command -v "$1" >/dev/null 2>&1 || die "${2:-prerequisites}" "$1 not found${3:+ ($3)}"; }

# wait_for DESCRIPTION SECONDS COMMAND...: poll until COMMAND succeeds, bounded.
wait_for() {
  local what="$1" limit="$2"; shift 2
  local deadline=$((SECONDS + limit))
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then return 1; fi
    sleep 0.5
  done
}
