package extract_test

import (
	"context"
	"testing"

	"github.com/sluicehq/sluice/stages/fetch"
	"github.com/sluicehq/sluice/testsite"
)

// site starts the test site and the real fetcher, both closed at the end
// of the test.
func site(t testing.TB, pages int) (*testsite.Server, *fetch.Fetcher) {
	t.Helper()
	srv, err := testsite.Start(testsite.Config{Pages: pages})
	if err != nil {
		t.Fatal(err)
	}
	f, err := fetch.New(fetch.Config{})
	if err != nil {
		srv.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		f.Close()
		srv.Close()
	})
	return srv, f
}

// mustGet fetches rawURL with the real fetcher and fails the test on any
// error.
func mustGet(t testing.TB, f *fetch.Fetcher, rawURL string) *fetch.Response {
	t.Helper()
	resp, err := f.Fetch(context.Background(), fetch.FromURL(rawURL))
	if err != nil {
		t.Fatal(err)
	}
	return resp
}
