#!/usr/bin/env bash
# patches.sh VENDORED_FERRETDB_DIR: three small fixes to a vendored copy of FerretDB v1.24.2 (ADR 0005). Each replaces
# exact upstream lines and fails the build if they are not found (another FerretDB version).
#
# 1. `_id` pushdown (internal/backends/sqlite/collection.go, Query): push an `_id` equality down to SQLite's `_id`
#    index even when the filter has other conditions; upstream does it only for a filter that is exactly {_id}, so a
#    conditional update such as {_id, "outboxLease.owner": ...} scanned the whole collection. Every handler re-applies
#    the whole filter to what Query returns (pushdown is only a hint: --disable-pushdown turns it off), so narrowing
#    the scan to the one document with that `_id` changes no result.
# 2. Update statements release their query (internal/handler/msg_update.go): upstream defers closing each
#    statement's query iterator to the end of the whole command, so an `update` command with about 100 statements
#    (a bulkWrite) holds all 100 of the database's SQLite connections and the next statement waits for one forever:
#    every later write to that database hangs. Each iterator is now closed as soon as its statement is applied.
# 3. `_id` lookups use the `_id` index (internal/backends/sqlite/metadata/metadata.go): every query, update and
#    delete by `_id` filters on `_ferretdb_sjson->'$._id'`, but the unique index is built on `_ferretdb_sjson->"_id"`.
#    SQLite uses an expression index only for the identical expression, so each of these was a full table scan that
#    parsed every row's JSON (`EXPLAIN QUERY PLAN`: SCAN instead of SEARCH ... USING INDEX); a write cost time in
#    proportion to the collection's size. `->'_id'` selects the same member and matches the index.
set -euo pipefail
root="$1"

# replace FILE BEFORE AFTER: replaces the first line equal to BEFORE with AFTER (which may hold several lines).
replace() {
  local file="$1" before="$2" after="$3"
  grep -qxF "$before" "$file" || { echo "ferretdb patches: expected line not in $file: $before" >&2; exit 1; }
  awk -v before="$before" -v after="$after" '$0 == before && !done { print after; done = 1; next } { print }' \
    "$file" >"$file.patched"
  mv "$file.patched" "$file"
}

# A filter holding the key `_id` exactly once (Document.Get panics on a duplicated `_id`).
replace "$root/internal/backends/sqlite/collection.go" \
  '	if params.Filter.Len() == 1 {' \
  '	if params.Filter != nil && func() bool { n := 0; for _, k := range params.Filter.Keys() { if k == "_id" { n++ } }; return n == 1 }() { // patched: ADR 0005'

update="$root/internal/handler/msg_update.go"
replace "$update" '		defer closer.Close()' '		// patched (ADR 0005): closed right after the statement below, not at the end of the command'
replace "$update" '		result, err := common.UpdateDocument(ctx, c, "update", iter, &u)' \
  '		result, err := common.UpdateDocument(ctx, c, "update", iter, &u)
		closer.Close() // patched: ADR 0005'

replace "$root/internal/backends/sqlite/metadata/metadata.go" \
  '	IDColumn = DefaultColumn + "->'"'"'$._id'"'"'"' \
  '	IDColumn = DefaultColumn + "->'"'"'_id'"'"'" // patched: ADR 0005, the expression of the _id index'

meta="$root/internal/backends/sqlite/metadata/metadata.go"
[[ "$(grep -c 'ADR 0005' "$root/internal/backends/sqlite/collection.go" "$update" "$meta" | awk -F: '{s += $2} END {print s}')" == 4 ]]
