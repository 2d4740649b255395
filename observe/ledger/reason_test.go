package ledger

import (
	"context"
	"errors"
	"fmt"
	"syscall"
	"testing"

	"github.com/sluicehq/sluice/observe"
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
		{pipeline.Skip(&extract.MissingFieldError{Field: "items", Path: "data.results", URL: "http://a/3"}), `items path "data.results" found nothing`},
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

// failure is the event job.Run records for a failure of input u.
func failure(stage, host, u string, err error) *observe.Failure {
	f := &observe.Failure{Stage: stage, Reason: Reason(err), Host: host, URL: u, Err: err}
	var se *fetch.StatusError
	if errors.As(err, &se) {
		f.Status = se.Code
	}
	return f
}

func TestFailuresTop(t *testing.T) {
	var fs Failures
	for i := range 5 {
		u := fmt.Sprint("http://a/", i)
		fs.Add(failure("fetch", "a", u, &fetch.StatusError{Code: 404, URL: u}))
	}
	fs.Add(failure("parse", "a", "http://a/x", &extract.MissingFieldError{Field: "t"}))
	fs.Add(failure("fetch", "a", "http://a/y", &fetch.StatusError{Code: 500}))
	fs.Add(failure("fetch", "a", "http://a/z", &fetch.StatusError{Code: 500}))
	top := fs.Top(2)
	if fs.Total() != 8 || len(top) != 2 || top[0].Count != 5 || top[0].Reason != "HTTP 404 Not Found" || top[1].Count != 2 {
		t.Fatalf("total %d top %+v", fs.Total(), top)
	}
}

// Groups keep causes apart: different statuses and different hosts are
// different groups, each with its count, status, host and one sample.
func TestFailureGroupsArePrecise(t *testing.T) {
	var fs Failures
	fs.Add(failure("fetch", "a.example", "http://a.example/1", &fetch.StatusError{Code: 503}))
	fs.Add(failure("fetch", "a.example", "http://a.example/2", &fetch.StatusError{Code: 503}))
	fs.Add(failure("fetch", "b.example", "http://b.example/1", &fetch.StatusError{Code: 503}))
	fs.Add(failure("fetch", "a.example", "http://a.example/3", &fetch.StatusError{Code: 502}))
	top := fs.Top(0)
	want := []ReasonCount{
		{Stage: "fetch", Reason: "HTTP 503 Service Unavailable", Host: "a.example", Status: 503, Count: 2, Sample: "http://a.example/1"},
		{Stage: "fetch", Reason: "HTTP 502 Bad Gateway", Host: "a.example", Status: 502, Count: 1, Sample: "http://a.example/3"},
		{Stage: "fetch", Reason: "HTTP 503 Service Unavailable", Host: "b.example", Status: 503, Count: 1, Sample: "http://b.example/1"},
	}
	if len(top) != len(want) {
		t.Fatalf("groups %+v", top)
	}
	for i := range want {
		top[i].Example = ""
		if top[i] != want[i] {
			t.Errorf("group %d: %+v, want %+v", i, top[i], want[i])
		}
	}
}
