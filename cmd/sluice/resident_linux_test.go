package main

import "testing"

// The program's own resident pages are some MiB of its binary, within
// its peak resident memory.
func TestResidentOwnWithinPeak(t *testing.T) {
	own, ok := residentOwn()
	if !ok {
		t.Fatal("residentOwn: /proc/self/status has no RssFile or RssShmem")
	}
	peak, ok := residentPeak()
	if !ok {
		t.Fatal("residentPeak: /proc/self/status has no VmHWM")
	}
	if own < 1<<20 || own > peak {
		t.Errorf("own resident pages %d bytes, peak %d bytes: want at least 1 MiB, at most the peak", own, peak)
	}
}
