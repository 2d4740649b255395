package main

import (
	"runtime/debug"
)

// setMemoryLimit makes the run's memory budget (--memory, the job's
// memory:, default 256 MiB) the Go runtime's soft memory limit, unless
// the user set GOMEMLIMIT. The collector otherwise runs at the Go default
// (GOGC=100, or the user's GOGC): the limit only makes it work harder
// when the heap nears the budget, and the budget also bounds the bytes of
// response bodies between fetch and parse (job.Job.BodyBudget).
func setMemoryLimit(budget int64, lookup func(string) (string, bool)) {
	if _, set := lookup("GOMEMLIMIT"); !set {
		debug.SetMemoryLimit(budget)
	}
}
