package main

import (
	"bufio"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestMetricsEndpoint(t *testing.T) {
	const n = 300
	srv := startSite(t, n, 10*time.Millisecond)
	dir := t.TempDir()
	writeSiteCSV(t, filepath.Join(dir, "urls.csv"), srv, n)
	siteJob(t, dir, "fetch: {workers: 4, per_host_concurrency: 4, retries: 1, backoff: 1ms}\n", "")
	cmd := command(t, dir, "run", "job.yaml", "--metrics-addr", "127.0.0.1:0")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stderr)
	urlRe := regexp.MustCompile(`url=(http://\S+/metrics)`)
	var metricsURL string
	for metricsURL == "" && sc.Scan() {
		if m := urlRe.FindStringSubmatch(sc.Text()); m != nil {
			metricsURL = m[1]
		}
	}
	go io.Copy(io.Discard, stderr)
	if metricsURL == "" {
		t.Fatal("no metrics URL logged")
	}
	for srv.TotalRequests() < n/4 {
		time.Sleep(5 * time.Millisecond) // polling for progress, not timing
	}
	resp, err := http.Get(metricsURL)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
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
