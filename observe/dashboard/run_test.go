package dashboard_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/sluicehq/sluice/job"
	"github.com/sluicehq/sluice/observe"
	"github.com/sluicehq/sluice/testsite"
)

// siteRun is a job over a testsite: pages with latency, some 404s, 500s
// and 429s, spread over two hosts (127.0.0.1 and localhost).
type siteRun struct {
	site *testsite.Server
	job  *job.Job
}

func newSiteRun(t testing.TB, pages int, latency time.Duration) *siteRun {
	t.Helper()
	site, err := testsite.Start(testsite.Config{Pages: pages, Latency: latency, RetryAfter: "none", Faults: []testsite.FaultRate{
		{Fault: testsite.FaultNotFound, Fraction: 0.04},
		{Fault: testsite.FaultServerError, Fraction: 0.02},
		{Fault: testsite.FaultTooManyRequests, Fraction: 0.01},
	}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(site.Close)
	dir := t.TempDir()
	writeCSV(t, filepath.Join(dir, "urls.csv"), site, pages)
	yaml := `name: shop-products
source: {kind: csv, path: urls.csv, key_column: id}
fetch: {workers: 8, per_host_concurrency: 4, retries: 1, backoff: 5ms, timeout: 5s}
parse:
  workers: 2
  html:
    fields:
      - {name: title, selector: h1.title, required: true}
      - {name: price, selector: div.price, attr: data-amount, type: float}
sink: {path: out.jsonl}
dead_letter: {path: failed.jsonl}
`
	j, err := job.Decode("job.yaml", []byte(yaml), job.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	return &siteRun{site: site, job: j}
}

// writeCSV writes id,url rows for pages [0, n), alternating the site's
// two host names.
func writeCSV(t testing.TB, path string, site *testsite.Server, n int) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := csv.NewWriter(f)
	w.Write([]string{"id", "url"})
	for id := range n {
		base := site.URL()
		if id%3 == 0 {
			base = site.AltURL()
		}
		w.Write([]string{strconv.Itoa(id), base + testsite.PagePath(id)})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// start runs the job in the background with the observers; the returned
// function waits for the report.
func (r *siteRun) start(t testing.TB, obs ...observe.Observer) func() job.Report {
	t.Helper()
	type result struct {
		rep job.Report
		err error
	}
	done := make(chan result, 1)
	go func() {
		rep, err := job.Run(context.Background(), r.job, job.RunOptions{Observers: obs, Restart: true})
		done <- result{rep, err}
	}()
	return func() job.Report {
		res := <-done
		if res.err != nil {
			t.Fatalf("run: %v", res.err)
		}
		return res.rep
	}
}

func ledgerOf(rep job.Report) string {
	return fmt.Sprintf("inputs %d done %d failed %d written %d", rep.Inputs, rep.Done, rep.Failed, rep.Written)
}
