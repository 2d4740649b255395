package main

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// The ledger shows the run's peak resident memory against its budget (in
// MiB: more than the binary's own 8 MiB, less than 128 MiB for this small
// run; the kernel's figure for a child, rusage's maxrss, also counts the
// parent's pages it shared until exec, so it is no yardstick), and a
// budget under twice the program's own resident pages is called tight
// before the run.
func TestLedgerShowsPeakMemoryAgainstTheBudget(t *testing.T) {
	const n = 100
	srv := startSite(t, n, 0)
	dir := siteDir(t, srv, n)
	siteJob(t, dir, fastFetch, "")
	cmd := command(t, dir, "run", "job.yaml", "--memory", "64MiB")
	var errb strings.Builder
	cmd.Stderr = &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("%v\n%s", err, errb.String())
	}
	m := regexp.MustCompile(`; peak memory ([0-9.]+) MiB of the 64 MiB budget\n`).FindStringSubmatch(errb.String())
	if m == nil {
		t.Fatalf("no peak memory against the 64 MiB budget in the ledger:\n%s", errb.String())
	}
	peak, _ := strconv.ParseFloat(m[1], 64)
	if peak < 8 || peak > 128 {
		t.Errorf("ledger peak %.1f MiB, want between 8 and 128 MiB", peak)
	}
	if strings.Contains(errb.String(), "is tight") {
		t.Errorf("a 64 MiB budget called tight:\n%s", errb.String())
	}

	r := sluice(t, dir, "run", "job.yaml", "--restart", "--memory", "16MiB")
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "warning: the memory budget of 16MiB is tight: the program itself holds") || !strings.Contains(r.stderr, "MiB of the 16 MiB budget (over it)") {
		t.Errorf("a 16 MiB budget: want it called tight before the run and the peak shown over it:\n%s", r.stderr)
	}
}
