package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sluicehq/sluice/testsite"
)

// faults the end-to-end site serves: failures (404, 500, reset) and pages
// that need charset decoding but succeed.
var faults = []testsite.FaultRate{
	{Fault: testsite.FaultNotFound, Fraction: 0.03},
	{Fault: testsite.FaultServerError, Fraction: 0.02},
	{Fault: testsite.FaultReset, Fraction: 0.01},
	{Fault: testsite.FaultCP1252Header, Fraction: 0.02},
}

func startSite(t *testing.T, pages int, latency time.Duration) *testsite.Server {
	t.Helper()
	srv, err := testsite.Start(testsite.Config{Pages: pages, Latency: latency, Faults: faults})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return srv
}

// expectedFailures counts the pages whose fault fails them.
func expectedFailures(srv *testsite.Server, n int) int {
	failed := 0
	for id := range n {
		switch srv.PageFault(id) {
		case testsite.FaultNotFound, testsite.FaultServerError, testsite.FaultReset:
			failed++
		}
	}
	return failed
}

func TestRunAccountsForEveryInput(t *testing.T) {
	const n = 5000
	srv := startSite(t, n, 0)
	dir := siteDir(t, srv, n)
	siteJob(t, dir, fastFetch, "")
	r := sluice(t, dir, "run", "job.yaml", "--progress-interval", "1s")
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	rows := sqliteKeys(t, filepath.Join(dir, "out.db"), "pages")
	dead := deadKeys(t, filepath.Join(dir, "failed.jsonl"))
	checkEveryKeyOnce(t, n, rows, dead)
	if want := expectedFailures(srv, n); len(dead) != want {
		t.Errorf("dead letters = %d, want %d", len(dead), want)
	}
	for _, want := range []string{"top failure reasons:", "HTTP 404 Not Found", "progress:", "inputs 5000 read, 5000 finished"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
}

func TestInterruptThenResumeIsExactlyOnce(t *testing.T) {
	const n = 2000
	srv := startSite(t, n, 5*time.Millisecond)
	dir := siteDir(t, srv, n)
	siteJob(t, dir, "fetch: {workers: 4, per_host_concurrency: 4, retries: 1, backoff: 1ms}\n", "commit: {every: 50}\n")
	cmd, exited, stderr := startRunUntil(t, dir, srv, n/5)
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	if code := exitStatus(t, <-exited); code != exitInterrupted {
		t.Fatalf("first run exit %d, want %d\n%s", code, exitInterrupted, stderr.String())
	}
	if !strings.Contains(stderr.String(), "sluice run job.yaml --resume") {
		t.Errorf("no resume hint:\n%s", stderr.String())
	}
	first := len(sqliteKeys(t, filepath.Join(dir, "out.db"), "pages"))
	if first == 0 || first >= n-expectedFailures(srv, n) {
		t.Fatalf("first run wrote %d rows; the interrupt did not land mid-run", first)
	}
	again := sluice(t, dir, "run", "job.yaml")
	if again.code != exitUsage || !strings.Contains(again.stderr, "--resume") {
		t.Errorf("rerun without --resume: exit %d, want 2 with a hint\n%s", again.code, again.stderr)
	}
	r := sluice(t, dir, "run", "job.yaml", "--resume")
	if r.code != 0 {
		t.Fatalf("resume exit %d\n%s", r.code, r.stderr)
	}
	checkEveryKeyOnce(t, n, sqliteKeys(t, filepath.Join(dir, "out.db"), "pages"), deadKeys(t, filepath.Join(dir, "failed.jsonl")))
}

func TestMaxFailuresIsFatal(t *testing.T) {
	const n = 400
	srv := startSite(t, n, 0)
	dir := siteDir(t, srv, n)
	siteJob(t, dir, fastFetch, "")
	r := sluice(t, dir, "run", "job.yaml", "--max-failures", "1%")
	if r.code != exitFailure || !strings.Contains(r.stderr, "too many failures") {
		t.Fatalf("exit %d, want 1 with \"too many failures\"\n%s", r.code, r.stderr)
	}
	r = sluice(t, dir, "run", "job.yaml", "--restart", "--max-failures", "50%")
	if r.code != 0 {
		t.Fatalf("exit %d, want 0\n%s", r.code, r.stderr)
	}
}

func TestDemo(t *testing.T) {
	dir := t.TempDir()
	for range 2 { // a second run starts afresh
		r := sluice(t, dir, "demo", "--dir", "out", "--pages", "200", "--latency", "0s")
		if r.code != 0 {
			t.Fatalf("demo exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
		}
		if !strings.Contains(r.stdout, "sqlite3 ") || !strings.Contains(r.stdout, "Catalogue page") {
			t.Errorf("demo output lacks the sample query or rows:\n%s", r.stdout)
		}
	}
	if rows := sqliteKeys(t, filepath.Join(dir, "out", "demo.db"), "products"); len(rows) == 0 || len(rows) > 200 {
		t.Errorf("demo table has %d rows", len(rows))
	}
	if _, err := os.Stat(filepath.Join(dir, "out", "demo.failed.jsonl")); err != nil {
		t.Error(err)
	}
}

func TestScrape(t *testing.T) {
	const n = 60
	srv := startSite(t, n, 0)
	dir := siteDir(t, srv, n)
	r := sluice(t, dir, "scrape", "urls.csv", "--column", "url", "--key-column", "id",
		"--field", "title=h1.title", "--field", "price=div.price@data-amount", "-o", "out.db", "--table", "pages")
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	checkEveryKeyOnce(t, n, sqliteKeys(t, filepath.Join(dir, "out.db"), "pages"), deadKeys(t, filepath.Join(dir, "out.db.failed.jsonl")))
	if !strings.Contains(r.stderr, "progress:") {
		t.Errorf("no status line on a non-terminal stderr:\n%s", r.stderr)
	}
}

func TestScrapeStdin(t *testing.T) {
	const n = 30
	srv := startSite(t, n, 0)
	dir := t.TempDir()
	var urls strings.Builder
	for id := range n {
		urls.WriteString(srv.PageURL(id) + "\n")
	}
	cmd := command(t, dir, "scrape", "-", "--field", "title=h1.title", "-o", "titles.jsonl", "--quiet")
	cmd.Stdin = strings.NewReader(urls.String())
	if out, err := cmd.CombinedOutput(); exitStatus(t, err) != 0 {
		t.Fatalf("scrape -: %v\n%s", err, out)
	}
	data, err := os.ReadFile(filepath.Join(dir, "titles.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Count(string(data), "\n")
	failed := expectedFailures(srv, n)
	if lines != n-failed || !strings.Contains(string(data), `"title":"Catalogue page 1"`) {
		t.Errorf("%d lines (want %d):\n%s", lines, n-failed, data)
	}
}

func TestSecondSignalAbortsThenResumeIsExactlyOnce(t *testing.T) {
	const n = 600
	srv := startSite(t, n, 20*time.Millisecond)
	dir := siteDir(t, srv, n)
	siteJob(t, dir, "fetch: {workers: 8, per_host_concurrency: 8, retries: 1, backoff: 1ms}\n", "commit: {every: 20}\n")
	cmd, exited, stderr := startRunUntil(t, dir, srv, n/4)
	cmd.Process.Signal(syscall.SIGINT)
	cmd.Process.Signal(syscall.SIGTERM)
	if code := exitStatus(t, <-exited); code != exitInterrupted {
		t.Fatalf("exit %d, want %d\n%s", code, exitInterrupted, stderr.String())
	}
	r := sluice(t, dir, "run", "job.yaml", "--resume")
	if r.code != 0 {
		t.Fatalf("resume exit %d\n%s", r.code, r.stderr)
	}
	checkEveryKeyOnce(t, n, sqliteKeys(t, filepath.Join(dir, "out.db"), "pages"), deadKeys(t, filepath.Join(dir, "failed.jsonl")))
}

func TestJSONLogs(t *testing.T) {
	r := sluice(t, t.TempDir(), "demo", "--pages", "20", "--latency", "0s", "--log-format", "json")
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	found := false
	for _, line := range strings.Split(r.stderr, "\n") {
		if !strings.HasPrefix(line, "{") {
			continue
		}
		var rec struct{ Level, Msg string }
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Errorf("log line %q: %v", line, err)
		}
		found = found || rec.Msg == "run started"
	}
	if !found {
		t.Errorf("no JSON \"run started\" record:\n%s", r.stderr)
	}
}

// startRunUntil starts `sluice run job.yaml` in dir and returns once the
// site has served at least requests requests, so a signal lands mid-run.
// exited receives the command's Wait result; stderr collects its output.
func startRunUntil(t *testing.T, dir string, srv *testsite.Server, requests int64) (*exec.Cmd, chan error, *strings.Builder) {
	t.Helper()
	cmd := command(t, dir, "run", "job.yaml", "--quiet")
	stderr := &strings.Builder{}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	for srv.TotalRequests() < requests {
		select {
		case err := <-exited:
			t.Fatalf("sluice ended before the interrupt: %v\n%s", err, stderr.String())
		case <-time.After(5 * time.Millisecond): // polling for progress, not timing
		}
	}
	return cmd, exited, stderr
}
