package main

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
	"runtime/trace"
)

// startCPUProfile writes a CPU profile to path until the returned
// function is called; "" profiles nothing.
func startCPUProfile(path string) (func(), error) {
	return startRecording("--cpuprofile", path, pprof.StartCPUProfile, pprof.StopCPUProfile, func() {})
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
	return startRecording("--trace", path, trace.Start, trace.Stop, stop)
}

// startRecording starts a recording (start, ended by end) into a new file
// at path, named by flag in errors, and returns stop extended to end it
// and close the file; "" records nothing.
func startRecording(flag, path string, start func(io.Writer) error, end, stop func()) (func(), error) {
	if path == "" {
		return stop, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return stop, fmt.Errorf("%s: %w", flag, err)
	}
	if err := start(f); err != nil {
		f.Close()
		return stop, fmt.Errorf("%s: %w", flag, err)
	}
	return func() {
		end()
		f.Close()
		stop()
	}, nil
}
