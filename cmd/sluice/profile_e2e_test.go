package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The hidden diagnostic flags write what they name: a CPU profile and an
// allocations profile (gzipped pprof protobufs) and an execution trace
// (go tool trace's format), each covering the run.
func TestDiagnosticFlagsWriteTheirFiles(t *testing.T) {
	const n = 50
	srv := startSite(t, n, 0)
	dir := siteDir(t, srv, n)
	siteJob(t, dir, fastFetch, "")
	r := sluice(t, dir, "run", "job.yaml", "--quiet", "--cpuprofile", "cpu.pprof", "--memprofile", "mem.pprof", "--trace", "run.trace")
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	for name, magic := range map[string][]byte{
		"cpu.pprof": {0x1f, 0x8b}, // gzip
		"mem.pprof": {0x1f, 0x8b},
		"run.trace": []byte("go 1."), // "go 1.NN trace"
	} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if len(b) < 64 || !bytes.HasPrefix(b, magic) {
			t.Errorf("%s: %d bytes starting %q, want a file starting %q", name, len(b), b[:min(len(b), 16)], magic)
		}
	}
	if r := sluice(t, dir, "run", "job.yaml", "--quiet", "--restart", "--trace", filepath.Join(dir, "missing", "run.trace")); r.code != 2 || !strings.Contains(r.stderr, "--trace") {
		t.Errorf("--trace into a missing directory: exit %d, %s; want 2 naming the flag", r.code, r.stderr)
	}
}
