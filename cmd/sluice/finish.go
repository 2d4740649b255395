package main

import (
	"errors"
	"fmt"
	"time"

	"github.com/sluicehq/sluice/job"
	"github.com/sluicehq/sluice/observe/ledger"
)

// finish prints the ledger and turns the run's outcome into an exit code.
func (e *execution) finish(runErr error, elapsed time.Duration, interrupted bool) error {
	stats := e.run.Pipeline.Stats()
	sum := ledger.Summary{Elapsed: elapsed, Failed: e.failures.Total(), Resumed: e.run.Resumed,
		Extracted: e.run.Records.Extracted.Load(), Written: e.run.Records.Kept.Load()}
	for _, st := range stats {
		switch st.Name {
		case job.StageRead:
			sum.Inputs = st.Emitted + st.Failed
		case job.StageWrite:
			sum.Done = st.Out
		}
	}
	sum.Done += sum.Failed
	if !e.a.quiet {
		fmt.Fprintln(e.a.Err)
		_ = ledger.Write(e.a.Err, stats, sum, e.failures.Top(5))
		fmt.Fprintf(e.a.Err, "\noutput: %s (%s)\ndead letters: %s\ncheckpoint: %s\n", e.sinkName(), e.j.Sink.Kind, e.j.DeadLetter.Path, e.j.Checkpoint)
	}
	var le *limitError
	switch {
	case errors.As(runErr, &le):
		return &exitError{code: exitFailure, err: le}
	case runErr != nil && !(interrupted && errors.Is(runErr, errAborted)):
		return &exitError{code: exitFailure, err: fmt.Errorf("run failed: %w", runErr)}
	case interrupted:
		fmt.Fprintf(e.a.Err, "\ninterrupted: %d inputs finished and committed. Resume with:\n  %s\n", sum.Done, e.resumeHint)
		return &exitError{code: exitInterrupted, err: errors.New("interrupted"), quiet: true}
	case e.limit.Exceeded(sum.Failed, sum.Done, true):
		return &exitError{code: exitFailure, err: &limitError{limit: e.limit, failed: sum.Failed, done: sum.Done}}
	}
	e.a.log.Info("run finished", "inputs", sum.Inputs, "failed", sum.Failed, "records", sum.Written, "elapsed", elapsed.Round(time.Millisecond))
	return nil
}

// sinkName is where the records went, without secrets.
func (e *execution) sinkName() string {
	if e.j.Sink.Path != "" {
		return e.j.Sink.Path
	}
	return "postgres table " + e.j.Sink.Table
}
