package job

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sluicehq/sluice/observe"
	"github.com/sluicehq/sluice/testsite"
)

// heldJob is siteJob's job over a lines source whose Count is count.
func heldJob(t *testing.T, srv *testsite.Server, n int, count func(context.Context, SourceSpec) (int64, error)) *Job {
	t.Helper()
	reg := DefaultRegistry()
	held, _ := reg.Source("lines")
	held.Count = count
	if err := reg.RegisterSource("held", held); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var urls strings.Builder
	for id := range n {
		fmt.Fprintln(&urls, srv.PageURL(id))
	}
	writeFile(t, filepath.Join(dir, "urls.txt"), urls.String())
	path := filepath.Join(dir, "job.yaml")
	writeFile(t, path, titleJob("held", "urls.txt")+"commit: {every: 10}\n")
	j, err := Load(path, Options{Registry: reg})
	if err != nil {
		t.Fatal(err)
	}
	return j
}

// titleJob is a job that takes each page's title from a source of kind
// over path, 4 fetches at a time, into out.jsonl.
func titleJob(kind, path string) string {
	return `source: {kind: ` + kind + `, path: ` + path + `}
fetch: {workers: 4}
parse:
  html:
    fields:
      - {name: title, selector: h1.title}
sink: {path: out.jsonl}
`
}

// latencySite is a site whose pages take a little while, so a run of a
// few dozen lasts long enough to watch.
func latencySite(t *testing.T, pages int) *testsite.Server {
	t.Helper()
	return startSite(t, testsite.Config{Pages: pages, Latency: 5 * time.Millisecond})
}

// The inputs are counted beside the run, not before it: the count below
// is held until the run has committed its first round, so a run that
// waited for it would never commit. The count then reaches the report
// and the snapshots that follow it; the snapshots before it say -1.
func TestRunCountsInputsBesideTheRun(t *testing.T) {
	srv := latencySite(t, 60)
	release := make(chan struct{})
	var once sync.Once
	j := heldJob(t, srv, 60, func(ctx context.Context, s SourceSpec) (int64, error) {
		select {
		case <-release:
			return countLines(ctx, s)
		case <-time.After(20 * time.Second):
			t.Error("the count was never released: the run did not commit before the count ended")
			return 0, errors.New("not released")
		}
	})
	var mu sync.Mutex
	var totals []int64
	obs := observe.Func(func(e observe.Event) {
		switch e := e.(type) {
		case *observe.Committed:
			once.Do(func() { close(release) })
		case *observe.StageSnapshot:
			mu.Lock()
			totals = append(totals, e.Total)
			mu.Unlock()
		case *observe.RunStarted:
			if e.Total != -1 {
				t.Errorf("RunStarted.Total = %d: the run counted before it started", e.Total)
			}
		}
	})
	rep, err := Run(context.Background(), j, RunOptions{Observers: []observe.Observer{obs}, SnapshotInterval: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Outcome != observe.Complete || rep.Done != 60 || rep.Total != 60 {
		t.Fatalf("report: outcome %v, done %d, total %d; want complete, 60 of 60", rep.Outcome, rep.Done, rep.Total)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(totals) == 0 || totals[0] != -1 || totals[len(totals)-1] != 60 {
		t.Fatalf("snapshot totals %v: want -1 until the count ends, then 60", totals)
	}
	for i := 1; i < len(totals); i++ {
		if totals[i-1] == 60 && totals[i] != 60 {
			t.Fatalf("snapshot totals %v: the total went back", totals)
		}
	}
}

// A run that stops before its count ends stops the count (its context is
// cancelled) and reports the total as unknown.
func TestRunStopStopsTheCount(t *testing.T) {
	srv := latencySite(t, 200)
	cancelled := make(chan struct{})
	j := heldJob(t, srv, 200, func(ctx context.Context, _ SourceSpec) (int64, error) {
		<-ctx.Done()
		close(cancelled)
		return 0, ctx.Err()
	})
	stop := make(chan struct{})
	var once sync.Once
	obs := observe.Func(func(e observe.Event) {
		if _, ok := e.(*observe.Committed); ok {
			once.Do(func() { close(stop) })
		}
	})
	rep, err := Run(context.Background(), j, RunOptions{Stop: stop, Observers: []observe.Observer{obs}})
	if err != nil {
		t.Fatal(err)
	}
	select {
	case <-cancelled:
	default:
		t.Fatal("Run returned before its count was stopped")
	}
	if rep.Outcome != observe.Interrupted || rep.Total != -1 {
		t.Fatalf("report: outcome %v, total %d; want interrupted, -1", rep.Outcome, rep.Total)
	}
}

// A source kind whose Count panics costs the run its total, not the run:
// the panic is a warning.
func TestRunCountPanicIsAWarning(t *testing.T) {
	srv := latencySite(t, 12)
	j := heldJob(t, srv, 12, func(context.Context, SourceSpec) (int64, error) { panic("count exploded") })
	rep, err := Run(context.Background(), j, RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Outcome != observe.Complete || rep.Done != 12 || rep.Total != -1 {
		t.Fatalf("report: outcome %v, done %d, total %d", rep.Outcome, rep.Done, rep.Total)
	}
	if len(rep.Warnings) != 1 || !strings.Contains(rep.Warnings[0].Msg, "counting the inputs for progress: count exploded") {
		t.Fatalf("warnings %+v", rep.Warnings)
	}
	if n := len(readLines(t, j.Sink.Path)); n != 12 {
		t.Fatalf("output holds %d records, want 12", n)
	}
}

// A run over an input with nothing in it says so: an empty file, or one of
// comments and blank lines, or a CSV of only its header, exported by
// mistake, would otherwise end like a run with nothing left to do.
func TestRunWarnsOfAnInputWithoutInputs(t *testing.T) {
	for _, tc := range []struct{ kind, file, body string }{
		{"lines", "urls.txt", ""},
		{"lines", "urls.txt", "# none today\n\n"},
		{"csv", "urls.csv", "id,url\n"},
	} {
		dir := t.TempDir()
		writeFile(t, filepath.Join(dir, tc.file), tc.body)
		writeFile(t, filepath.Join(dir, "job.yaml"), titleJob(tc.kind, tc.file))
		rep := runJobIn(t, dir)
		want := tc.file + " held no inputs: it is empty, or holds only blank lines, comments or a header"
		if rep.Outcome != observe.Complete || rep.Inputs != 0 || len(rep.Warnings) != 1 || rep.Warnings[0].Msg != want {
			t.Errorf("%s %q: outcome %v, inputs %d, warnings %+v; want one warning %q", tc.kind, tc.body, rep.Outcome, rep.Inputs, rep.Warnings, want)
		}
	}
	// One input is enough to say nothing.
	srv := startSite(t, testsite.Config{Pages: 1})
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "urls.txt"), "# one today\n"+srv.PageURL(0)+"\n")
	writeFile(t, filepath.Join(dir, "job.yaml"), titleJob("lines", "urls.txt"))
	j, err := Load(filepath.Join(dir, "job.yaml"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep, err := Run(context.Background(), j, RunOptions{}); err != nil || rep.Done != 1 || len(rep.Warnings) != 0 {
		t.Fatalf("one input: %v, done %d, warnings %+v", err, rep.Done, rep.Warnings)
	}
}
