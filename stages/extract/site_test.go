package extract_test

import (
	"context"
	"fmt"
	"io"
	"mime"
	"net/http"
	"testing"

	"github.com/sluicehq/sluice/internal/testserver"
	"github.com/sluicehq/sluice/pipeline"
	"github.com/sluicehq/sluice/stages/fetch"
)

// site starts the test site and a client whose idle connections are
// closed with it.
func site(t testing.TB, pages int) (*testserver.Server, *http.Client) {
	t.Helper()
	srv, err := testserver.Start(testserver.Config{Pages: pages})
	if err != nil {
		t.Fatal(err)
	}
	client := &http.Client{Transport: &http.Transport{}}
	t.Cleanup(func() {
		client.CloseIdleConnections()
		srv.Close()
	})
	return srv, client
}

// get is a minimal fetch for tests (stages/fetch is the real one): a GET
// whose non-200 status is a per-item failure.
func get(ctx context.Context, client *http.Client, rawURL string) (*fetch.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, pipeline.Skip(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, pipeline.Skip(err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, pipeline.Skip(fmt.Errorf("get %s: status %d", rawURL, resp.StatusCode))
	}
	ct, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	return &fetch.Response{
		Request: fetch.Request{URL: rawURL}, URL: resp.Request.URL, StatusCode: resp.StatusCode,
		Header: resp.Header, Body: body, Raw: body, ContentType: ct, Charset: "utf-8", Attempts: 1,
	}, nil
}

func mustGet(t testing.TB, client *http.Client, rawURL string) *fetch.Response {
	t.Helper()
	resp, err := get(context.Background(), client, rawURL)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}
