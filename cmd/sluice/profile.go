package main

import (
	"fmt"
	"os"
	"runtime/pprof"
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
		_ = pprof.Lookup("allocs").WriteTo(f, 0)
		f.Close()
	}, nil
}
