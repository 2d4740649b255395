package main

import (
	"fmt"
	"runtime/debug"

	"github.com/sluicehq/sluice/job"
)

// memoryReserve is kept from the Go runtime's memory limit besides the
// program's own resident pages measured at the start: the pages of the
// binary the run has yet to touch (about 1.5 MiB in a fetch-and-extract
// run), and what is allocated outside the Go heap.
const memoryReserve = 2 << 20

// memoryLimit is the Go runtime's soft memory limit for a run whose
// budget is the process's resident memory, when the program's own mapped
// files (its binary, mostly) already hold own bytes resident: the budget
// less those and memoryReserve, which the runtime does not count, but at
// least half the budget.
func memoryLimit(budget, own int64) int64 {
	return max(budget-own-memoryReserve, budget/2)
}

// setMemoryLimit makes the run's memory budget (--memory, the job's
// memory:, default 256 MiB) the bound of the process's resident memory,
// through the Go runtime's soft memory limit (see memoryLimit), unless the
// user set GOMEMLIMIT. The collector otherwise runs at the Go default
// (GOGC=100, or the user's GOGC): the limit only makes it work harder
// when the heap nears the budget, and the budget also bounds the bytes of
// response bodies between fetch and parse (job.Job.BodyBudget). It
// returns the program's own resident bytes, and tight when the budget
// leaves the run less than those (the limit is then half the budget).
func setMemoryLimit(budget int64, lookup func(string) (string, bool)) (own int64, tight bool) {
	if _, set := lookup("GOMEMLIMIT"); set {
		return 0, false
	}
	own, _ = residentOwn()
	debug.SetMemoryLimit(memoryLimit(budget, own))
	return own, budget-own-memoryReserve < budget/2
}

// limitMemory sets the memory limit for j's budget (setMemoryLimit) and
// warns when the budget is tight.
func (a *app) limitMemory(j *job.Job) {
	if own, tight := setMemoryLimit(j.MemoryBytes(), a.lookup); tight {
		a.log.Warn(fmt.Sprintf("the memory budget of %s is tight: the program itself holds %.1f MiB resident before the run starts; expect the run to go over the budget and to collect garbage often", j.Memory, float64(own)/(1<<20)))
	}
}
