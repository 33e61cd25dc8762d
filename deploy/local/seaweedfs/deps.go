//go:build seaweedfs_deps

// Package seaweedfs pins SeaweedFS's `weed` command as a dependency of this module, so `go mod tidy` records every
// module it needs in go.sum. It is never compiled (build tag); infra.sh builds the upstream main package itself:
//
//	go build -o weed github.com/seaweedfs/seaweedfs/weed
//
// Why a wrapper module instead of `go install github.com/seaweedfs/seaweedfs/weed@<version>`: go install refuses a
// module whose go.mod has replace directives, and SeaweedFS's has one (go-bip39), which go.mod here repeats.
package seaweedfs

// The imports of upstream's weed/weed.go (package main cannot be imported itself), so go.sum covers its build.
import (
	_ "github.com/getsentry/sentry-go"
	_ "github.com/seaweedfs/seaweedfs/weed/command"
	_ "github.com/seaweedfs/seaweedfs/weed/glog"
	_ "github.com/seaweedfs/seaweedfs/weed/server"
	_ "github.com/seaweedfs/seaweedfs/weed/util"
	_ "github.com/seaweedfs/seaweedfs/weed/util/fla9"
	_ "github.com/seaweedfs/seaweedfs/weed/util/http"
)
