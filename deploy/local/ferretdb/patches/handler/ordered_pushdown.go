// Patch 4 of ADR 0005 (ordered pushdown), copied into FerretDB's vendored handler package by patches.sh.

package handler

import (
	"github.com/FerretDB/FerretDB/internal/handler/common"
	"github.com/FerretDB/FerretDB/internal/types"
)

// orderByOf is the sort a find offers the backend as QueryParams.OrderBy: a sort on fields ($natural has its own
// pushdown), unless pushdown is disabled.
func orderByOf(disabled bool, sort *types.Document) *types.Document {
	if disabled || sort.Len() == 0 {
		return nil
	}

	for _, k := range sort.Keys() {
		if k == "$natural" {
			return nil
		}
	}

	return sort
}

// iterParams are the find parameters of the handler's iterator chain: without the sort when the backend returned
// the documents in that order already (QueryResult.Sorted), so the chain streams and the limit stops the scan.
func iterParams(params *common.FindParams, sorted bool) *common.FindParams {
	if !sorted {
		return params
	}

	p := *params
	p.Sort = nil

	return &p
}
