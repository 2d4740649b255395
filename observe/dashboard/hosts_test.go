package dashboard_test

import (
	"context"
	"strings"
	"testing"

	"github.com/sluicehq/sluice/observe"
	"github.com/sluicehq/sluice/observe/dashboard"
	"github.com/sluicehq/sluice/stages/fetch"
	"github.com/sluicehq/sluice/testsite"
)

// TestHostLimits joins the fetcher's per-host state (fetch.HostStates)
// to the fetch events: a 503 halves the host's AIMD concurrency cap and
// its rate, and the host table shows both.
func TestHostLimits(t *testing.T) {
	site, err := testsite.Start(testsite.Config{Pages: 4})
	if err != nil {
		t.Fatal(err)
	}
	defer site.Close()
	f, err := fetch.New(fetch.Config{PerHostConcurrency: 8, PerHostRate: 1000, Retries: -1, IgnoreRobots: true})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	d := dashboard.New(dashboard.Config{Hosts: f.HostStates})
	for _, u := range []string{site.PageURL(1), site.PageURL(2) + "?fault=503"} {
		resp, err := f.Fetch(context.Background(), fetch.Request{URL: u})
		e := &observe.Fetch{URL: u, Host: strings.TrimPrefix(site.URL(), "http://"), Attempts: 1, Err: err}
		if resp != nil {
			e.Status = resp.StatusCode
		}
		d.Observe(e)
	}
	fr := d.Frame()
	if !fr.HostLimits || len(fr.Hosts) != 1 {
		t.Fatalf("hosts %+v", fr.Hosts)
	}
	if h := fr.Hosts[0]; h.Requests != 2 || h.Limit != 4 || h.MaxLimit != 8 || h.Rate != 500 || h.BaseRate != 1000 || h.InFlight != 0 {
		t.Errorf("host row %+v, want 2 requests, limit 4 of 8, rate 500 of 1000", h)
	}
}
