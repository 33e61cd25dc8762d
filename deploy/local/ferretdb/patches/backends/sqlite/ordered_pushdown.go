// Patch 4 of ADR 0005 (ordered pushdown), copied into FerretDB's vendored SQLite backend by patches.sh.

package sqlite

import (
	"context"
	"fmt"
	"strings"

	"github.com/FerretDB/FerretDB/internal/backends"
	"github.com/FerretDB/FerretDB/internal/backends/sqlite/metadata"
	"github.com/FerretDB/FerretDB/internal/types"
	"github.com/FerretDB/FerretDB/internal/util/fsql"
	"github.com/FerretDB/FerretDB/internal/util/lazyerrors"
)

// orderedClauses returns the WHERE and ORDER BY clauses under which SQLite returns the documents in the order that
// params.OrderBy asks for, narrowed by the filter's conditions it can translate; ok is false when it cannot promise
// MongoDB's order, and the caller then queries as upstream does (the handler sorts).
//
// The promise rests on FieldTypesTable: every sort field and every narrowed field must have held only strings (or
// only booleans) besides null and missing in every document the table has had. For such a field SQLite's order of
// `->>` values is MongoDB's order (null and missing first, then strings byte by byte, or false before true), and a
// condition on it selects a superset of what MongoDB's would (no array can hold the value). The handler still applies
// the whole filter to every document returned; it only skips its sort. A field the table does not track, or one
// that ever held another type (an array, a number, a date, a mixture), leaves the query to upstream.
func orderedClauses(ctx context.Context, db *fsql.DB, table string, params *backends.QueryParams) (where string, args []any, orderBy string, ok bool) { //nolint:lll // for readability
	if params.OrderBy.Len() == 0 || params.OnlyRecordIDs {
		return "", nil, "", false
	}

	classes, err := fieldClasses(ctx, db, table)
	if err != nil {
		return "", nil, "", false
	}

	keys, values := params.OrderBy.Keys(), params.OrderBy.Values()
	order := make([]string, len(keys))

	for i, k := range keys {
		if dir, _ := values[i].(int64); dir != 1 || classes[k] == "" {
			return "", nil, "", false
		}

		order[i] = metadata.PushdownExpr(k)
	}

	var conds []string

	if params.Filter != nil {
		seen := map[string]int{}
		for _, k := range params.Filter.Keys() {
			seen[k]++
		}

		keys, values := params.Filter.Keys(), params.Filter.Values()
		for i, k := range keys {
			if seen[k] != 1 || classes[k] == "" {
				continue
			}

			c, a := conditions(metadata.PushdownExpr(k), classes[k], values[i])
			conds = append(conds, c...)
			args = append(args, a...)
		}
	}

	if len(conds) > 0 {
		where = " WHERE " + strings.Join(conds, " AND ")
	}

	return where, args, " ORDER BY " + strings.Join(order, ", "), true
}

// fieldClasses maps each tracked field of the table to "string" or "bool" when every type it has held is that one,
// null or missing, or to "null" when it held only those two.
func fieldClasses(ctx context.Context, db *fsql.DB, table string) (map[string]string, error) {
	rows, err := db.QueryContext(ctx, fmt.Sprintf(`SELECT field, type FROM %q WHERE tbl = ?`, metadata.FieldTypesTable), table)
	if err != nil {
		return nil, lazyerrors.Error(err)
	}
	defer rows.Close()

	classes := map[string]string{}

	for rows.Next() {
		var field, typ string
		if err = rows.Scan(&field, &typ); err != nil {
			return nil, lazyerrors.Error(err)
		}

		prev, known := classes[field]

		switch {
		case typ == "null" || typ == "missing":
			if !known {
				classes[field] = "null"
			}
		case typ != "string" && typ != "bool":
			classes[field] = "-"
		case !known || prev == "null":
			classes[field] = typ
		case prev != typ:
			classes[field] = "-"
		}
	}

	if err = rows.Err(); err != nil {
		return nil, lazyerrors.Error(err)
	}

	for f, c := range classes {
		if c == "-" {
			classes[f] = ""
		}
	}

	return classes, nil
}

// conditions translates a filter value on a field of the given class into SQL conditions that hold for every
// document the value matches; what it cannot translate it leaves out (the handler filters anyway).
func conditions(expr, class string, v any) ([]string, []any) {
	scalar := func(v any) (any, bool) {
		switch v := v.(type) {
		case string:
			return v, class == "string"
		case bool:
			if v {
				return int64(1), class == "bool"
			}

			return int64(0), class == "bool"
		default:
			return nil, false
		}
	}

	if a, ok := scalar(v); ok {
		return []string{expr + " = ?"}, []any{a}
	}

	doc, ok := v.(*types.Document)
	if !ok {
		return nil, nil
	}

	ops := map[string]string{"$eq": "=", "$gt": ">", "$gte": ">=", "$lt": "<", "$lte": "<="}

	var conds []string
	var args []any

	keys, values := doc.Keys(), doc.Values()
	for i, op := range keys {
		if !strings.HasPrefix(op, "$") {
			return nil, nil // {field: {a: ...}} is an equality with a document, not operators
		}

		if sqlOp, known := ops[op]; known {
			if a, ok := scalar(values[i]); ok {
				conds = append(conds, expr+" "+sqlOp+" ?")
				args = append(args, a)
			}

			continue
		}

		if op != "$in" {
			continue
		}

		arr, ok := values[i].(*types.Array)
		if !ok || arr.Len() == 0 {
			continue
		}

		in := make([]any, 0, arr.Len())
		for j := 0; j < arr.Len(); j++ {
			e, _ := arr.Get(j)
			a, ok := scalar(e)
			if !ok {
				in = nil
				break
			}

			in = append(in, a)
		}

		if in != nil {
			conds = append(conds, expr+" IN ("+strings.TrimSuffix(strings.Repeat("?, ", len(in)), ", ")+")")
			args = append(args, in...)
		}
	}

	return conds, args
}
