// Patch 6 of ADR 0005 (large deleteMany), copied into FerretDB's vendored SQLite backend by patches.sh.

package sqlite

import (
	"context"
	"fmt"
	"strings"

	"github.com/FerretDB/FerretDB/internal/util/fsql"
	"github.com/FerretDB/FerretDB/internal/util/lazyerrors"
)

// deleteChunk is how many documents one DELETE statement names (patch 6 of ADR 0005): SQLite refuses a statement
// with more than 32,766 variables, and upstream named every document of a deleteMany in one statement.
const deleteChunk = 10_000

// deleteLeading deletes all but the last deleteChunk of the given documents, chunk by chunk, and returns how many
// it deleted and the placeholders and arguments left for upstream's own statement.
func deleteLeading(ctx context.Context, db *fsql.DB, table, column string, placeholders []string, args []any) (int64, []string, []any, error) { //nolint:lll // for readability
	var deleted int64

	for len(args) > deleteChunk {
		q := fmt.Sprintf(`DELETE FROM %q WHERE %s IN (%s)`, table, column, strings.Join(placeholders[:deleteChunk], ", "))

		res, err := db.ExecContext(ctx, q, args[:deleteChunk]...)
		if err != nil {
			return deleted, nil, nil, lazyerrors.Error(err)
		}

		n, err := res.RowsAffected()
		if err != nil {
			return deleted, nil, nil, lazyerrors.Error(err)
		}

		deleted += n
		placeholders, args = placeholders[deleteChunk:], args[deleteChunk:]
	}

	return deleted, placeholders, args, nil
}
