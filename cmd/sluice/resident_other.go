//go:build !linux

package main

// residentOwn is unknown here: the memory limit is then the budget less
// the reserve (see memoryLimit).
func residentOwn() (int64, bool) { return 0, false }

// residentPeak is unknown here: the ledger then shows no peak.
func residentPeak() (int64, bool) { return 0, false }
