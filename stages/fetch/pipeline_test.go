package fetch

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"

	"github.com/sluicehq/sluice/pipeline"
	"github.com/sluicehq/sluice/testsite"
)

// TestPipelineFailuresArePerItem runs the fetcher as a pipeline stage over
// a site where a fifth of the pages fail in various ways: every failing
// page reaches the failure handler with a typed error and its attempt
// count, every other page reaches the sink, and the run succeeds.
func TestPipelineFailuresArePerItem(t *testing.T) {
	s := startSite(t, testsite.Config{Pages: 200, Robots: "User-agent: *\nDisallow: /products/7$\n",
		Faults: []testsite.FaultRate{
			{Fault: testsite.FaultNotFound, Fraction: 0.05}, {Fault: testsite.FaultUnavailable, Fraction: 0.05},
			{Fault: testsite.FaultRedirectLoop, Fraction: 0.05}, {Fault: testsite.FaultOversize, Fraction: 0.05},
		}, OversizeBytes: 2 << 20})
	f, _ := newTestFetcher(t, Config{MaxBodySize: 1 << 20, Retries: 1})

	got, failures := runFetch(t, f, s, 200)

	want := map[testsite.Fault]int{}
	for id := range 200 {
		if id == 7 {
			want["disallowed"]++
			continue
		}
		want[s.PageFault(id)]++
	}
	if len(got) != want[testsite.FaultNone] || len(failures) != 200-want[testsite.FaultNone] {
		t.Errorf("%d ok and %d failed; want %d ok", len(got), len(failures), want[testsite.FaultNone])
	}
	counts := map[string]int{}
	for _, fl := range failures {
		var se *StatusError
		switch {
		case errors.As(fl.Err, &se) && se.Code == 404 && fl.Attempts == 1:
			counts["404"]++
		case errors.Is(fl.Err, ErrRetriesExhausted) && errors.As(fl.Err, &se) && se.Code == 503 && fl.Attempts == 2:
			counts["503"]++
		case errors.Is(fl.Err, ErrRedirectLoop):
			counts["loop"]++
		case errors.Is(fl.Err, ErrBodyTooLarge) && fl.Attempts == 1:
			counts["oversize"]++
		case errors.Is(fl.Err, ErrDisallowed):
			counts["disallowed"]++
		default:
			t.Errorf("unexpected failure %v (attempts %d)", fl.Err, fl.Attempts)
		}
		if _, ok := fl.Input.(Request); !ok || fl.Stage != "fetch" {
			t.Errorf("failure input %T stage %q", fl.Input, fl.Stage)
		}
	}
	for k, w := range map[string]int{"404": want[testsite.FaultNotFound], "503": want[testsite.FaultUnavailable],
		"loop": want[testsite.FaultRedirectLoop], "oversize": want[testsite.FaultOversize], "disallowed": 1} {
		if counts[k] != w {
			t.Errorf("%s failures: %d, want %d", k, counts[k], w)
		}
	}
	if slices.Contains(got, 0) {
		t.Error("an empty body reached the sink")
	}
}

// runFetch fetches pages 0..n-1 through a pipeline and returns the body
// sizes that reached the sink and the failures the handler received.
func runFetch(t *testing.T, f *Fetcher, s *testsite.Server, n int) ([]int, []pipeline.Failure) {
	t.Helper()
	var mu sync.Mutex
	var failures []pipeline.Failure
	var got []int
	p := pipeline.New(pipeline.OnFailure(func(_ context.Context, fl pipeline.Failure) error {
		mu.Lock()
		defer mu.Unlock()
		failures = append(failures, fl)
		return nil
	}))
	reqs := pipeline.FromSeq(p, "urls", func(yield func(Request) bool) {
		for id := range n {
			if !yield(Request{URL: s.PageURL(id), Meta: map[string]string{"id": testsite.PagePath(id)}}) {
				return
			}
		}
	})
	pages := pipeline.Map(p, "fetch", reqs, f.Fetch, pipeline.Workers(16))
	pipeline.Sink(p, "collect", pages, pipeline.WriterFunc[*Response](func(_ context.Context, r *Response) error {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, len(r.Body))
		return nil
	}))
	if err := p.Run(context.Background()); err != nil {
		t.Fatalf("run: %v", err)
	}
	return got, failures

}
