package main

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestMetricsEndpoint scrapes /metrics during a run. The URLs come from
// standard input, which the test keeps open until it has scraped, so the
// run cannot end (and close the endpoint) first, however fast or slow the
// machine is.
func TestMetricsEndpoint(t *testing.T) {
	const n = 300
	srv := startSite(t, n, 10*time.Millisecond)
	dir := t.TempDir()
	job := siteJob(t, dir, "fetch: {workers: 4, per_host_concurrency: 4, retries: 1, backoff: 1ms}\n", "")
	stdinJob(t, job)
	cmd := command(t, dir, "run", "job.yaml", "--metrics-addr", "127.0.0.1:0")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	writeRows(t, stdin, srv.PageURL, 0, n/2, true)
	sc := bufio.NewScanner(stderr)
	urlRe := regexp.MustCompile(`metrics: (http://\S+/metrics)`)
	var metricsURL string
	for metricsURL == "" && sc.Scan() {
		if m := urlRe.FindStringSubmatch(sc.Text()); m != nil {
			metricsURL = m[1]
		}
	}
	exited := make(chan struct{}) // closed when the child has closed stderr: it exited
	go func() { io.Copy(io.Discard, stderr); close(exited) }()
	if metricsURL == "" {
		t.Fatal("no metrics URL logged")
	}
	for srv.TotalRequests() < n/4 {
		select {
		case <-exited:
			t.Fatal("sluice exited with its input still open")
		case <-time.After(5 * time.Millisecond): // polling for progress, not timing
		}
	}
	resp, err := http.Get(metricsURL)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	writeRows(t, stdin, srv.PageURL, n/2, n, false)
	if err := stdin.Close(); err != nil {
		t.Fatal(err)
	}
	<-exited // bounded: command kills the child after 3 minutes
	if code := exitStatus(t, cmd.Wait()); code != 0 {
		t.Errorf("exit %d", code)
	}
	for _, want := range []string{`sluice_stage_items_total{result="in",stage="fetch"}`, `sluice_stage_in_flight{stage="fetch"}`,
		`sluice_fetch_responses_total{code="200"}`, "sluice_fetch_duration_seconds_bucket"} {
		if !strings.Contains(string(body), want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}

// stdinJob makes the job at path read its CSV from standard input.
func stdinJob(t *testing.T, path string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	yaml := strings.Replace(string(data), "path: urls.csv", `path: "-"`, 1)
	if yaml == string(data) {
		t.Fatal("siteJob no longer reads urls.csv")
	}
	if err := os.WriteFile(path, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
}

// writeRows writes id,url rows for pages [from, to) to w, after the header
// if header is set.
func writeRows(t *testing.T, w io.Writer, pageURL func(int) string, from, to int, header bool) {
	t.Helper()
	var b strings.Builder
	if header {
		b.WriteString("id,url\n")
	}
	for id := from; id < to; id++ {
		fmt.Fprintf(&b, "%d,%s\n", id, pageURL(id))
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		t.Fatal(err)
	}
}
