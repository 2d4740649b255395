//go:build !unix

package sources

import (
	"testing"
	"time"
)

// cpuTime returns 0: process CPU time is read only on Unix systems, so
// elsewhere the CPU metrics of the benchmarks are meaningless.
func cpuTime(*testing.B) time.Duration { return 0 }
