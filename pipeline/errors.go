package pipeline

import (
	"errors"
	"fmt"
)

// StageError is the fatal error Run returns: the first fatal error of the
// run, with the name of the stage it came from.
type StageError struct {
	Stage string
	Err   error
}

// Error names the stage and its error.
func (e *StageError) Error() string { return fmt.Sprintf("pipeline: stage %q: %v", e.Stage, e.Err) }

// Unwrap returns the stage's error.
func (e *StageError) Unwrap() error { return e.Err }

// PanicError is the fatal error for a panic in user code (or in the engine).
// Stack is the stack of the panicking goroutine at the panic.
type PanicError struct {
	Stage string
	Value any
	Stack []byte
}

// Error names the stage, the panic value and the stack.
func (e *PanicError) Error() string {
	return fmt.Sprintf("pipeline: stage %q panicked: %v\n%s", e.Stage, e.Value, e.Stack)
}

// Unwrap returns the panic value when it is an error, so errors.Is and
// errors.As see through a panic(err).
func (e *PanicError) Unwrap() error {
	err, _ := e.Value.(error)
	return err
}

// ErrStopped is the cause given to the sources' context when [Pipeline.Stop]
// is called.
var ErrStopped = errors.New("pipeline: stopped")
