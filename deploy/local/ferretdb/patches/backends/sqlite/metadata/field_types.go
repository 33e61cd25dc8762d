// Patch 4 of ADR 0005 (ordered pushdown), copied into FerretDB's vendored metadata package by patches.sh.

package metadata

import (
	"context"
	"fmt"
	"hash/fnv"
	"regexp"

	"github.com/FerretDB/FerretDB/internal/util/fsql"
	"github.com/FerretDB/FerretDB/internal/util/lazyerrors"
)

// FieldTypesTable records, per table and tracked field, every sjson type a document of the table has held there
// ("missing" when it had none). Triggers keep it; rows are never removed, so it can only over-state the types.
const FieldTypesTable = "_ferretdb_field_types"

var pushdownField = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// PushdownField reports whether field is a top-level name that the ordered pushdown handles.
func PushdownField(field string) bool {
	return pushdownField.MatchString(field)
}

// PushdownExpr is the SQL value of a top-level field: the expression of the patched indexes and of ordered queries
// (SQLite uses an expression index only for the identical expression). `->>` yields TEXT for strings (compared
// byte by byte, as MongoDB compares strings without a collation) and 1/0 for booleans.
func PushdownExpr(field string) string {
	return DefaultColumn + "->>'" + field + "'"
}

// pushdownIndex reports whether an index is built on PushdownExpr columns: not unique (uniqueness keeps upstream's
// expressions and semantics) and every key a top-level field.
func pushdownIndex(index IndexInfo) bool {
	if index.Unique {
		return false
	}

	for _, k := range index.Key {
		if !PushdownField(k.Field) {
			return false
		}
	}

	return true
}

// trackFieldTypes records the types of the given fields in FieldTypesTable: triggers for every later insert and
// update, and the documents already in the table, in one transaction (so no write falls between the two).
func trackFieldTypes(ctx context.Context, db *fsql.DB, table string, fields []string) error {
	stmts := []string{fmt.Sprintf(
		`CREATE TABLE IF NOT EXISTS %q (tbl TEXT NOT NULL, field TEXT NOT NULL, type TEXT NOT NULL, `+
			`PRIMARY KEY (tbl, field, type)) WITHOUT ROWID`,
		FieldTypesTable,
	)}

	for _, f := range fields {
		// SQLite's names are case-insensitive, field names are not: the trigger is named by a hash of the field.
		h := fnv.New32a()
		_, _ = h.Write([]byte(f))

		typeOf := func(column string) string {
			return fmt.Sprintf(`coalesce(json_extract(%s, '$."$s".p.%s.t'), 'missing')`, column, f)
		}

		for _, event := range []string{"INSERT", "UPDATE"} {
			stmts = append(stmts, fmt.Sprintf(
				`CREATE TRIGGER IF NOT EXISTS %q AFTER %s ON %q BEGIN `+
					`INSERT OR IGNORE INTO %q (tbl, field, type) VALUES ('%s', '%s', %s); END`,
				fmt.Sprintf("%s_types_%08x_%s", table, h.Sum32(), event), event, table, FieldTypesTable, table, f, typeOf("NEW."+DefaultColumn),
			))
		}

		stmts = append(stmts, fmt.Sprintf(
			`INSERT OR IGNORE INTO %q (tbl, field, type) SELECT DISTINCT '%s', '%s', %s FROM %q`,
			FieldTypesTable, table, f, typeOf(DefaultColumn), table,
		))
	}

	return db.InTransaction(ctx, func(tx *fsql.Tx) error {
		for _, q := range stmts {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return lazyerrors.Error(err)
			}
		}

		return nil
	})
}

// trackIndexFieldTypes tracks the fields of a pushdown index and `_id` (a sort's usual tie-breaker).
func trackIndexFieldTypes(ctx context.Context, db *fsql.DB, table string, index IndexInfo) error {
	fields := []string{"_id"}
	for _, k := range index.Key {
		if k.Field != "_id" {
			fields = append(fields, k.Field)
		}
	}

	return trackFieldTypes(ctx, db, table, fields)
}
