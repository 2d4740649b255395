package main

import (
	"context"
	"errors"
	"os"
	"os/signal"
	"sync"
	"sync/atomic"
	"syscall"
)

// errAborted is the cause of a run cancelled by a second signal.
var errAborted = errors.New("aborted by a second signal")

// stopper is the two-stage reaction to SIGINT and SIGTERM: the first
// signal calls stop (a graceful drain), the second cancels the run.
type stopper struct {
	sigs        chan os.Signal
	interrupted atomic.Bool
	// aborted is closed at the second signal.
	aborted chan struct{}
}

// watchSignals starts listening; call the returned function to stop.
// onFirst runs at the first signal, cancel at the second.
func watchSignals(onFirst func(os.Signal), cancel context.CancelCauseFunc) (*stopper, func()) {
	s := &stopper{sigs: make(chan os.Signal, 2), aborted: make(chan struct{})}
	signal.Notify(s.sigs, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	exited := make(chan struct{})
	go func() {
		defer close(exited)
		for {
			select {
			case <-done:
				return
			case sig := <-s.sigs:
				if s.interrupted.Swap(true) {
					cancel(errAborted)
					close(s.aborted)
					return
				}
				onFirst(sig)
			}
		}
	}()
	var once sync.Once
	return s, func() {
		once.Do(func() {
			signal.Stop(s.sigs)
			close(done)
			<-exited
		})
	}
}
