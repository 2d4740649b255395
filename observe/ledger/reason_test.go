package ledger

import (
	"context"
	"errors"
	"fmt"
	"syscall"
	"testing"

	"github.com/sluicehq/sluice/pipeline"
	"github.com/sluicehq/sluice/sources"
	"github.com/sluicehq/sluice/stages/extract"
	"github.com/sluicehq/sluice/stages/fetch"
)

func TestReason(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want string
	}{
		{pipeline.Skip(&fetch.Error{Method: "GET", URL: "http://a/1", Tries: 1, Err: &fetch.StatusError{Code: 404, URL: "http://a/1"}}), "HTTP 404 Not Found"},
		{&fetch.Error{Tries: 3, Err: fmt.Errorf("%w: %w", fetch.ErrRetriesExhausted, &fetch.StatusError{Code: 503})}, "retries exhausted: HTTP 503 Service Unavailable"},
		{&fetch.Error{Tries: 3, Err: fmt.Errorf("%w: read tcp: %w", fetch.ErrRetriesExhausted, syscall.ECONNRESET)}, "retries exhausted: connection reset by peer"},
		{&fetch.Error{Err: fetch.ErrDisallowed}, "disallowed by robots.txt"},
		{&fetch.Error{Err: fmt.Errorf("%w: %w", fetch.ErrRedirectLoop, fetch.ErrTooManyRedirects)}, "redirect loop"},
		{pipeline.Skip(&extract.MissingFieldError{Field: "title", URL: "http://a/2"}), `missing required field "title"`},
		{&extract.ConvertError{Field: "price", Type: "float", Value: "abc"}, `field "price" is not a valid float`},
		{&sources.RowError{Line: 7, Err: sources.ErrFieldCount}, "wrong number of fields"},
		{context.DeadlineExceeded, "timeout"},
		{errors.New(`sinks: value "x" at http://h/p?id=12 has 3 bytes`), `value "…" at <url> has N bytes`},
		{nil, "no error"},
	} {
		if got := Reason(tc.err); got != tc.want {
			t.Errorf("Reason(%v) = %q, want %q", tc.err, got, tc.want)
		}
	}
}

func TestFailuresTop(t *testing.T) {
	var fs Failures
	for i := range 5 {
		fs.Add(pipeline.Failure{Stage: "fetch", Err: &fetch.StatusError{Code: 404, URL: fmt.Sprint("http://a/", i)}})
	}
	fs.Add(pipeline.Failure{Stage: "parse", Err: &extract.MissingFieldError{Field: "t"}})
	fs.Add(pipeline.Failure{Stage: "fetch", Err: &fetch.StatusError{Code: 500}})
	fs.Add(pipeline.Failure{Stage: "fetch", Err: &fetch.StatusError{Code: 500}})
	top := fs.Top(2)
	if fs.Total() != 8 || len(top) != 2 || top[0].Count != 5 || top[0].Reason != "HTTP 404 Not Found" || top[1].Count != 2 {
		t.Fatalf("total %d top %+v", fs.Total(), top)
	}
}
