package fetch_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/sluicehq/sluice/stages/fetch"
)

// countingTransport counts the requests that pass through it.
type countingTransport struct {
	n    atomic.Int64
	next http.RoundTripper
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return c.next.RoundTrip(r)
}

func TestConfigTransportCarriesEveryRequest(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte("<h1>hi</h1>"))
	}))
	defer srv.Close()
	tr := &countingTransport{next: srv.Client().Transport}
	f, err := fetch.New(fetch.Config{Transport: tr})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for range 3 {
		resp, err := f.Fetch(context.Background(), fetch.Request{URL: srv.URL + "/p"})
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("fetch: %v %v", resp, err)
		}
	}
	if got := tr.n.Load(); got != 4 { // robots.txt once, then three pages
		t.Fatalf("transport saw %d requests, want 4 (robots.txt + 3 pages)", got)
	}
}

func TestConfigValidateNamesTheField(t *testing.T) {
	for _, tc := range []struct {
		cfg   fetch.Config
		field string
	}{
		{fetch.Config{PerHostRate: -1}, "PerHostRate"},
		{fetch.Config{Workers: -2}, "Workers"},
		{fetch.Config{Timeout: -1}, "Timeout"},
		{fetch.Config{Proxy: "ftp://x"}, "Proxy"},
		{fetch.Config{Proxy: "http://"}, "Proxy"},
	} {
		err := tc.cfg.Validate()
		var ce *fetch.ConfigError
		if !errors.As(err, &ce) || ce.Field != tc.field {
			t.Errorf("Validate(%+v) = %v, want a ConfigError naming %s", tc.cfg, err, tc.field)
		}
	}
	if err := (fetch.Config{}).Validate(); err != nil {
		t.Fatalf("zero Config invalid: %v", err)
	}
}
