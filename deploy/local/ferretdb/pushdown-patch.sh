#!/usr/bin/env bash
# pushdown-patch.sh VENDORED_FERRETDB_DIR: patches FerretDB v1.24.2's internal/backends/sqlite/collection.go in a
# vendored copy so that Query pushes an `_id` equality down to SQLite's `_id` index even when the filter has other
# conditions (upstream does it only for a filter that is exactly {_id}). Every handler re-applies the whole filter to
# what Query returns (pushdown is only a hint: FerretDB's --disable-pushdown turns it off), so narrowing the scan to
# the one document with that `_id` changes no result. Without it, a conditional update such as
# {_id, "outboxLease.owner": ...} scans the whole collection (ADR 0005).
set -euo pipefail
file="$1/internal/backends/sqlite/collection.go"
before='	if params.Filter.Len() == 1 {'
# A filter holding the key `_id` exactly once (Document.Get panics on a duplicated `_id`).
after='	if params.Filter != nil && func() bool { n := 0; for _, k := range params.Filter.Keys() { if k == "_id" { n++ } }; return n == 1 }() { // patched: ADR 0005'
grep -qxF "$before" "$file" || { echo "pushdown-patch: the expected line is not in $file (another FerretDB version?)" >&2; exit 1; }
awk -v before="$before" -v after="$after" '$0 == before && !done { print after; done = 1; next } { print }' "$file" >"$file.patched"
mv "$file.patched" "$file"
grep -qF 'patched: ADR 0005' "$file"
