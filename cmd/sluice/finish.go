package main

import (
	"errors"
	"fmt"
	"time"

	"github.com/sluicehq/sluice/job"
	"github.com/sluicehq/sluice/observe"
	"github.com/sluicehq/sluice/observe/ledger"
)

// finish prints the ledger and turns the run's outcome into an exit code.
func (a *app) finish(j *job.Job, rep job.Report, runErr error, interrupted bool, resumeHint string) error {
	if job.IsUsage(runErr) {
		if a.terms != nil {
			runErr = a.terms(runErr)
		}
		return usageError(runErr)
	}
	if rep.Stages == nil {
		return &exitError{code: exitFailure, err: runErr}
	}
	if !a.quiet {
		fmt.Fprintln(a.Err)
		top := rep.Failures
		if len(top) > 5 {
			top = top[:5]
		}
		sum := rep.Summary()
		if peak, ok := residentPeak(); ok {
			sum.PeakMemory, sum.MemoryBudget = peak, j.MemoryBytes()
		}
		_ = ledger.Write(a.Err, rep.Stages, sum, top)
		if rep.Crawl != nil {
			writeCrawlStats(a.Err, rep.Crawl)
		}
		fmt.Fprintf(a.Err, "\noutput: %s (%s)\ndead letters: %s\ncheckpoint: %s\n", rep.Output, j.Sink.Kind, rep.DeadLetters, rep.Checkpoint)
		a.warns.release(a.Err)
	}
	var le *job.FailureLimitError
	switch {
	case errors.As(runErr, &le):
		return &exitError{code: exitFailure, err: le}
	case rep.Outcome == observe.Aborted && interrupted && errors.Is(runErr, errAborted):
		// A second signal: what was committed stays; say how to resume.
	case runErr != nil:
		return &exitError{code: exitFailure, err: runErr}
	}
	if interrupted {
		fmt.Fprintf(a.Err, "\ninterrupted: %d inputs finished and committed. Resume with:\n  %s\n", rep.Done, resumeHint)
		return &exitError{code: exitInterrupted, err: errors.New("interrupted"), quiet: true}
	}
	a.log.Info("run finished", "inputs", rep.Inputs, "failed", rep.Failed, "records", rep.Written, "elapsed", rep.Elapsed.Round(time.Millisecond))
	return nil
}
