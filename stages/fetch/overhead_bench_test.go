package fetch_test

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/sluicehq/sluice/stages/fetch"
)

// cannedTransport answers every request at once with a small HTML page.
type cannedTransport struct{}

func (cannedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	const body = "<!DOCTYPE html><html><head><title>p</title></head><body><p>hello</p></body></html>"
	h := http.Header{"Content-Type": {"text/html; charset=utf-8"}, "Content-Length": {strconv.Itoa(len(body))}}
	return &http.Response{StatusCode: 200, Proto: "HTTP/1.1", Header: h, ContentLength: int64(len(body)),
		Body: io.NopCloser(strings.NewReader(body)), Request: req}, nil
}

// BenchmarkFetchOverhead is the fetcher's own cost per request, with a
// transport that answers at once: limits, robots (ignored), the attempt's
// timeout, the request, the body and the Response.
//
//	go test -run '^$' -bench FetchOverhead -benchmem -count 6 ./stages/fetch
func BenchmarkFetchOverhead(b *testing.B) {
	f, err := fetch.New(fetch.Config{Transport: cannedTransport{}, IgnoreRobots: true, Retries: -1})
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			resp, err := f.Fetch(ctx, fetch.Request{URL: "http://shop.example:8080/shop/p/12345", Key: "k"})
			if err != nil {
				b.Fatal(err)
			}
			resp.Release()
		}
	})
}
