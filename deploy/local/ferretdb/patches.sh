#!/usr/bin/env bash
# patches.sh VENDORED_FERRETDB_DIR: six fixes to a vendored copy of FerretDB v1.24.2 (ADR 0005). Each replaces
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
# 4. Ordered pushdown (ADR 0005, patch 4; the Go files under patches/): a find with a sort on fields hands the sort to
#    the SQLite backend (QueryParams.OrderBy). The backend answers in that order (ORDER BY on the fields' `->>` values,
#    narrowed by the filter's equality and range conditions on them) only when a record of the types each field has
#    ever held in the table proves SQLite's order and conditions agree with MongoDB's (strings only, or booleans
#    only, besides null and missing); it then says so (QueryResult.Sorted) and the handler skips its in-memory sort,
#    so the limit ends the scan. Non-unique indexes on top-level fields are built on those `->>` expressions, and
#    creating one starts the type record (triggers on insert and update, plus the documents already there). Without
#    a record, or after any other type (an array, a number, a mixture), a query runs as upstream's.
# 5. createIndexes with several indexes that exist already (internal/handler/msg_createindexes.go): upstream removes
#    each from its to-create list by its position in the original list, so the second removal indexes past the end of
#    the shortened slice and the command panics (the connection is dropped). Every service restart sends its indexes
#    again; they are now removed by name.
# 6. deleteMany of more than 32,766 documents (internal/backends/sqlite/collection.go, DeleteAll): upstream names
#    every document in one `DELETE ... IN (...)` and SQLite refuses a statement with that many variables ("too many
#    SQL variables"; upstream's TODO FerretDB/FerretDB#3888). It now deletes 10,000 at a time.
set -euo pipefail
root="$(cd "$1" && pwd)"
here="$(cd "$(dirname "$0")" && pwd)"

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

# 4. Ordered pushdown: the new files, then the upstream lines that call them.
(cd "$here/patches" && find . -name '*.go' | while read -r f; do cp "$f" "$root/internal/$f"; done)
backend="$root/internal/backends/collection.go"
replace "$backend" '	Sort   *types.Document' '	Sort   *types.Document
	// OrderBy, if set, is a sort on fields the backend may apply, saying so with QueryResult.Sorted (patched: ADR 0005).
	OrderBy *types.Document'
replace "$backend" '	Iter types.DocumentsIterator' '	Iter types.DocumentsIterator
	// Sorted reports that Iter returns the documents in QueryParams.OrderBy order (patched: ADR 0005).
	Sorted bool'
coll="$root/internal/backends/sqlite/collection.go"
replace "$coll" '	q += whereClause' '	orderByClause, sorted := prepareOrderByClause(params.Sort), false
	if whereClause == "" && !meta.Capped() { // patched: ADR 0005, ordered pushdown
		if w, a, o, ok := orderedClauses(ctx, db, meta.TableName, params); ok {
			whereClause, args, orderByClause, sorted = w, a, o, true
		}
	}
	q += whereClause'
replace "$coll" '	q += prepareOrderByClause(params.Sort)' '	q += orderByClause'
replace "$coll" '		Iter: newQueryIterator(ctx, rows, params.OnlyRecordIDs),' '		Iter:   newQueryIterator(ctx, rows, params.OnlyRecordIDs),
		Sorted: sorted, // patched: ADR 0005'
registry="$root/internal/backends/sqlite/metadata/registry.go"
replace "$registry" '			columns[i] = fmt.Sprintf("%s->%s", DefaultColumn, strings.Join(fields, "->"))' \
  '			columns[i] = fmt.Sprintf("%s->%s", DefaultColumn, strings.Join(fields, "->"))
			if pushdownIndex(index) { // patched: ADR 0005, ordered pushdown
				columns[i] = PushdownExpr(key.Field)
			}'
replace "$registry" '		created = append(created, index.Name)' '		if pushdownIndex(index) { // patched: ADR 0005, ordered pushdown
			if err := trackIndexFieldTypes(ctx, db, c.TableName, index); err != nil {
				_, _ = db.ExecContext(ctx, fmt.Sprintf("DROP INDEX %q", c.TableName+"_"+index.Name))
				_ = r.indexesDrop(ctx, dbName, collectionName, created)
				return lazyerrors.Error(err)
			}
		}
		created = append(created, index.Name)'
find_go="$root/internal/handler/msg_find.go"
replace "$find_go" '	// Limit pushdown is not applied if:' '	qp.OrderBy = orderByOf(h.DisablePushdown, params.Sort) // patched: ADR 0005, ordered pushdown

	// Limit pushdown is not applied if:'
replace "$find_go" '	iter, err := h.makeFindIter(queryRes.Iter, closer, params)' \
  '	iter, err := h.makeFindIter(queryRes.Iter, closer, iterParams(params, queryRes.Sorted)) // patched: ADR 0005'

# 5. createIndexes with several existing indexes.
create_go="$root/internal/handler/msg_createindexes.go"
replace "$create_go" '				filteredToCreate = slices.Delete(filteredToCreate, i, i+1)' \
  '				filteredToCreate = slices.DeleteFunc(filteredToCreate, func(x backends.IndexInfo) bool { return x.Name == newIdx.Name }) // patched: ADR 0005'

# 6. deleteMany in chunks.
replace "$coll" '	q := fmt.Sprintf(`DELETE FROM %q WHERE %s IN (%s)`, meta.TableName, column, strings.Join(placeholders, ", "))' \
  '	deletedBefore, placeholders, args, err := deleteLeading(ctx, db, meta.TableName, column, placeholders, args) // patched: ADR 0005
	if err != nil {
		return nil, err
	}

	q := fmt.Sprintf(`DELETE FROM %q WHERE %s IN (%s)`, meta.TableName, column, strings.Join(placeholders, ", "))'
replace "$coll" '		Deleted: int32(ra),' '		Deleted: int32(deletedBefore + ra), // patched: ADR 0005'

meta="$root/internal/backends/sqlite/metadata/metadata.go"
[[ "$(grep -c 'ADR 0005' "$root/internal/backends/sqlite/collection.go" "$update" "$meta" "$backend" "$registry" "$find_go" "$create_go" |
  awk -F: '{s += $2} END {print s}')" == 15 ]]
