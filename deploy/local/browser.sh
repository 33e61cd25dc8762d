#!/usr/bin/env bash
# Installs the headless browser the console tests drive (Debian's chromium, /usr/bin/chromium), once. Idempotent:
# does nothing when chromium is already there. `npm test` runs it before the integration tier; run it yourself
# before `npx jest -c jest.integration.config.js services/registration-office`.
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
LOGS="$LT_CACHE/logs"; mkdir -p "$LOGS"

if [[ -x /usr/bin/chromium ]]; then exit 0; fi
if [[ "$(id -u)" != 0 ]]; then die "installing chromium" "not root; run: sudo apt-get install -y chromium"; fi
need apt-get "installing chromium" "Debian/Ubuntu only; install chromium yourself"
log "installing chromium (apt)"
if ! apt-cache policy chromium 2>/dev/null | grep -q 'Candidate: [0-9]'; then
  apt-get update >"$LOGS/install-chromium.log" 2>&1 || die "apt-get update" "see ${LOGS#"$LT_ROOT"/}/install-chromium.log"
fi
# A stale package list can name versions the mirror no longer has: refresh it once and retry before giving up.
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium fonts-dejavu-core >>"$LOGS/install-chromium.log" 2>&1 ||
  { apt-get update >>"$LOGS/install-chromium.log" 2>&1 &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium fonts-dejavu-core >>"$LOGS/install-chromium.log" 2>&1; } ||
  die "installing chromium" "apt-get failed; last lines of ${LOGS#"$LT_ROOT"/}/install-chromium.log:"$'\n'"$(tail -5 "$LOGS/install-chromium.log")"
[[ -x /usr/bin/chromium ]] || die "installing chromium" "/usr/bin/chromium is missing after the install"
log "chromium $(/usr/bin/chromium --version 2>/dev/null | head -1)"
