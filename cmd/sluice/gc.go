package main

import "runtime/debug"

// tuneGC trades memory for CPU: scraping allocates a parse tree per page
// that dies at once, so the collector runs far more often than the small
// live heap needs. Unless the user set GOGC or GOMEMLIMIT, sluice runs the
// collector at GOGC=200, with a 512 MiB soft limit that brings it back to
// frequent collections if the heap ever grows that large.
func tuneGC(lookup func(string) (string, bool)) {
	if _, set := lookup("GOGC"); !set {
		debug.SetGCPercent(200)
	}
	if _, set := lookup("GOMEMLIMIT"); !set {
		debug.SetMemoryLimit(512 << 20)
	}
}
