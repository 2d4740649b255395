package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"runtime/trace"
)

// startCPUProfile writes a CPU profile to path until the returned
// function is called; "" profiles nothing.
func startCPUProfile(path string) (func(), error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("--cpuprofile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("--cpuprofile: %w", err)
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}

// startMemProfile has stop write the allocations profile (every
// allocation since the start, sampled) to path; "" does nothing.
func startMemProfile(path string, stop func()) (func(), error) {
	if path == "" {
		return stop, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return stop, fmt.Errorf("--memprofile: %w", err)
	}
	return func() {
		stop()
		runtime.GC() // the profile is as of the last collection: this one sees the whole run
		_ = pprof.Lookup("allocs").WriteTo(f, 0)
		f.Close()
	}, nil
}

// startTrace has stop also end an execution trace written to path (for
// go tool trace) from now on; "" does nothing.
func startTrace(path string, stop func()) (func(), error) {
	if path == "" {
		return stop, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return stop, fmt.Errorf("--trace: %w", err)
	}
	if err := trace.Start(f); err != nil {
		f.Close()
		return stop, fmt.Errorf("--trace: %w", err)
	}
	return func() {
		trace.Stop()
		f.Close()
		stop()
	}, nil
}
