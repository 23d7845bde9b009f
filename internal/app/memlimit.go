package app

import (
	"runtime/debug"

	"github.com/twofa/twofa/server/auth"
)

// memoryHeadroom is what `twofa serve` allows its Go heap beyond the
// argon2id budget before the soft memory limit makes the runtime collect
// and return freed pages to the system.
const memoryHeadroom = 64 << 20

// serveMemoryLimit is the soft memory limit of `twofa serve` in bytes, and
// false when GOMEMLIMIT is set (the runtime has applied it already). The
// argon2id budget bounds the memory in use, but a freed 64 MiB buffer is
// often not reused for the next derivation, and without a limit the
// runtime gives its pages back slowly: a sign-in burst kept two or three
// buffers resident.
func serveMemoryLimit(getenv func(string) string) (int64, bool) {
	if getenv("GOMEMLIMIT") != "" {
		return 0, false
	}
	return auth.MemoryBudget()*1024 + memoryHeadroom, true
}

// applyServeMemoryLimit sets serveMemoryLimit's limit, when there is one.
func applyServeMemoryLimit(getenv func(string) string) {
	if limit, ok := serveMemoryLimit(getenv); ok {
		debug.SetMemoryLimit(limit)
	}
}
