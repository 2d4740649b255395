package main

import (
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sluicehq/sluice/testsite"
)

// lastLine is the last non-empty line of s.
func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

// #15.1: a second run on the same outputs is refused, naming the first
// run's pid; the first run finishes undisturbed.
func TestSecondRunOnSameOutputsRefused(t *testing.T) {
	srv, err := testsite.Start(testsite.Config{Pages: 200, Latency: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	dir := t.TempDir()
	writeSiteCSV(t, filepath.Join(dir, "urls.csv"), srv, 200)
	args := []string{"scrape", "urls.csv", "--column", "url", "--key-column", "id", "--field", "t=h1", "-o", "out.jsonl", "-w", "2"}
	first := command(t, dir, args...)
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	for srv.TotalRequests() < 5 {
		time.Sleep(5 * time.Millisecond) // polling for the first run to be under way
	}
	r := sluice(t, dir, append(args, "--restart")...)
	if r.code != exitFailure || !strings.Contains(r.stderr, "another run is using these outputs") || !strings.Contains(r.stderr, "pid "+strconv.Itoa(first.Process.Pid)) {
		t.Fatalf("second run: exit %d\n%s", r.code, r.stderr)
	}
	if err := first.Wait(); err != nil {
		t.Fatalf("first run: %v", err)
	}
	out, _ := os.ReadFile(filepath.Join(dir, "out.jsonl"))
	if n := strings.Count(string(out), "\n"); n != 200 {
		t.Fatalf("first run wrote %d records, want 200", n)
	}
}

// #15.2 and #15.3: --resume after editing the job is refused with what
// changed; --resume with --restart is a usage error.
func TestResumeGuards(t *testing.T) {
	srv, err := testsite.Start(testsite.Config{Pages: 10})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	dir := t.TempDir()
	writeSiteCSV(t, filepath.Join(dir, "urls.csv"), srv, 10)
	base := []string{"scrape", "urls.csv", "--key-column", "id", "-o", "out.jsonl", "-q"}
	if r := sluice(t, dir, append(base, "--field", "t=h1")...); r.code != 0 {
		t.Fatalf("first run: exit %d\n%s", r.code, r.stderr)
	}
	before, _ := os.ReadFile(filepath.Join(dir, "out.jsonl"))
	r := sluice(t, dir, append(base, "--field", "title=h1", "--resume")...)
	if r.code != exitUsage || !strings.Contains(r.stderr, "fields changed from") || !strings.Contains(r.stderr, "--restart") {
		t.Fatalf("resume of an edited job: exit %d\n%s", r.code, r.stderr)
	}
	if after, _ := os.ReadFile(filepath.Join(dir, "out.jsonl")); string(after) != string(before) {
		t.Fatal("the refused resume changed the output")
	}
	r = sluice(t, dir, append(base, "--field", "t=h1", "--resume", "--restart")...)
	if r.code != exitUsage || !strings.Contains(r.stderr, "--resume and --restart exclude each other") {
		t.Fatalf("--resume --restart: exit %d\n%s", r.code, r.stderr)
	}
}

// #15.4: a run in which every input failed exits 1 with the reason last.
func TestAllFailedExitsOne(t *testing.T) {
	srv, err := testsite.Start(testsite.Config{Pages: 8, Faults: []testsite.FaultRate{{Fault: testsite.FaultNotFound, Fraction: 1}}})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	dir := t.TempDir()
	writeSiteCSV(t, filepath.Join(dir, "urls.csv"), srv, 8)
	r := sluice(t, dir, "scrape", "urls.csv", "--field", "t=h1", "-o", "out.jsonl")
	if r.code != exitFailure || !strings.Contains(lastLine(r.stderr), "all 8 finished inputs failed") {
		t.Fatalf("exit %d, last line %q", r.code, lastLine(r.stderr))
	}
}

// #15.5: a host that refuses connections fails its inputs as a network
// error, not as a robots.txt refusal.
func TestConnectionRefusedIsNotRobots(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "urls.txt"), []byte("http://"+addr+"/a\nhttp://"+addr+"/b\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := sluice(t, dir, "scrape", "urls.txt", "--field", "t=h1", "-o", "out.jsonl", "--max-failures", "none")
	if r.code != 0 || !strings.Contains(r.stderr, "connection refused") || strings.Contains(r.stderr, "disallowed by robots.txt") {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	dead, _ := os.ReadFile(filepath.Join(dir, "out.jsonl.failed.jsonl"))
	if strings.Contains(string(dead), "robots.txt disallows") || !strings.Contains(string(dead), "connection refused") {
		t.Fatalf("dead letters:\n%s", dead)
	}
}

// #15.10, #15.12: a missing CSV column is caught before any file is
// created and reported in the flag's terms, with the header's columns.
func TestMissingColumnCaughtBeforeWriting(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "urls.csv"), []byte("id,link\n1,http://127.0.0.1:9/a\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := sluice(t, dir, "scrape", "urls.csv", "--column", "lnk", "--field", "t=h1", "-o", "out.db")
	want := `sluice: --column: no column "lnk" in the header of urls.csv (columns: id, link); did you mean "link"?`
	if r.code != exitUsage || strings.TrimSpace(r.stderr) != want {
		t.Fatalf("exit %d\n%s\nwant\n%s", r.code, r.stderr, want)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Fatalf("a failed check left files: %v", entries)
	}
	job := "source: {kind: csv, path: urls.csv, url_column: lnk}\nparse: {html: {fields: [{name: t, selector: h1}]}}\nsink: {path: out.db}\n"
	if err := os.WriteFile(filepath.Join(dir, "job.yaml"), []byte(job), 0o644); err != nil {
		t.Fatal(err)
	}
	r = sluice(t, dir, "validate", "job.yaml")
	if r.code != exitUsage || !strings.Contains(r.stderr, `source.url_column: no column "lnk" in the header of urls.csv`) {
		t.Fatalf("validate: exit %d\n%s", r.code, r.stderr)
	}
}

// #15.11: every usage error exits 2, with a suggestion where one helps.
func TestUsageErrorsExitTwo(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"scrape", "urls.csv", "--field", "t=h1"}, `required flag(s) "output" not set`},
		{[]string{"scrpe", "urls.csv"}, `unknown command "scrpe"; did you mean "scrape"?`},
		{[]string{"run", "job.yaml", "--resme"}, `unknown flag: --resme; did you mean --resume?`},
	} {
		r := sluice(t, dir, tc.args...)
		if r.code != exitUsage || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("%v: exit %d\n%s\nwant exit 2 and %q", tc.args, r.code, r.stderr, tc.want)
		}
	}
}

// #15.13, #15.14: at the default log level the output has no structured
// log lines; a selector that matches nothing is a warning, listed after
// the ledger, naming the field and a page it missed on.
func TestHumanOutputAndSelectorWarning(t *testing.T) {
	srv, err := testsite.Start(testsite.Config{Pages: 25})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	dir := t.TempDir()
	writeSiteCSV(t, filepath.Join(dir, "urls.csv"), srv, 25)
	r := sluice(t, dir, "scrape", "urls.csv", "--field", "title=h1", "--field", "price=div.prise", "-o", "out.jsonl")
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	for _, line := range strings.Split(r.stderr, "\n") {
		if strings.Contains(line, "level=") || strings.Contains(line, "time=") || strings.HasPrefix(line, "{") {
			t.Errorf("structured log line at the default level: %q", line)
		}
	}
	i := strings.Index(r.stderr, "\nwarnings:\n")
	if i < 0 || i < strings.Index(r.stderr, "stage ") ||
		!strings.Contains(r.stderr[i:], `field "price" matched nothing on the first 20 pages`) || !strings.Contains(r.stderr[i:], srv.URL()+"/products/") {
		t.Fatalf("no warning list after the ledger:\n%s", r.stderr)
	}
}
