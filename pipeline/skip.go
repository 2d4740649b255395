package pipeline

import (
	"errors"
	"time"
)

// skipError marks an error as a per-item failure.
type skipError struct{ err error }

func (e *skipError) Error() string { return e.err.Error() }
func (e *skipError) Unwrap() error { return e.err }

// Skip marks err as a per-item failure: the engine drops the item, counts it
// as failed for the stage, and hands a [Failure] record to the pipeline's
// failure handler. The run goes on. Skip(nil) returns nil.
//
// Any error returned by a stage function that is not marked with Skip is
// fatal: it cancels the run.
func Skip(err error) error {
	if err == nil {
		return nil
	}
	if IsSkip(err) {
		return err
	}
	return &skipError{err: err}
}

// IsSkip reports whether err, or any error it wraps, was marked with [Skip].
func IsSkip(err error) bool {
	var s *skipError
	return errors.As(err, &s)
}

// Failure is the record of one per-item failure, handed to the failure
// handler set with [OnFailure].
type Failure struct {
	// Stage is the name of the stage that dropped the item.
	Stage string
	// Input is the item the stage was given (for a source, what it could not
	// turn into an item, such as a malformed row).
	Input any
	// Err is the error the stage returned, with its Skip mark still on it;
	// errors.Is and errors.As see through the mark.
	Err error
	// Attempts is how many times the stage tried the item: the value of an
	// Attempts() int method found in Err's chain, else 1.
	Attempts int
	// Time is when the failure was recorded.
	Time time.Time
}

// attempter is implemented by errors that know how many tries they took.
type attempter interface{ Attempts() int }

func newFailure(stage string, input any, err error) Failure {
	f := Failure{Stage: stage, Input: input, Err: err, Attempts: 1, Time: time.Now()}
	var a attempter
	if errors.As(err, &a) && a.Attempts() > 0 {
		f.Attempts = a.Attempts()
	}
	return f
}
