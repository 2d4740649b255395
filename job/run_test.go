package job

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sluicehq/sluice/observe"
	"github.com/sluicehq/sluice/pipeline"
	"github.com/sluicehq/sluice/testsite"
)

// events records every event an observer sees.
type events struct {
	mu    sync.Mutex
	sleep time.Duration
	all   []observe.Event
}

func (e *events) Observe(ev observe.Event) {
	time.Sleep(e.sleep)
	e.mu.Lock()
	e.all = append(e.all, ev)
	e.mu.Unlock()
}

func faultySite(t *testing.T, pages int) *testsite.Server {
	t.Helper()
	return startSite(t, testsite.Config{Pages: pages, Faults: []testsite.FaultRate{{Fault: testsite.FaultNotFound, Fraction: 0.1}}})
}

// startSite starts a test site that closes when t ends.
func startSite(t *testing.T, cfg testsite.Config) *testsite.Server {
	t.Helper()
	srv, err := testsite.Start(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return srv
}

// The observer stream accounts for the whole run: one Fetch event per
// fetch, one Failure per failed input, Committed rounds that cover every
// input exactly once, RunStarted first and RunFinished last, all agreeing
// with the Report.
func TestRunObserversSeeTheWholeRun(t *testing.T) {
	srv := faultySite(t, 120)
	j := siteJob(t, srv, 120, "commit: {every: 10}\n")
	ev := &events{}
	rep, err := Run(context.Background(), j, RunOptions{Observers: []observe.Observer{ev}, SnapshotInterval: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Outcome != observe.Complete || rep.Done != 120 || rep.Failed == 0 || rep.Written != 120-rep.Failed {
		t.Fatalf("report %+v", rep)
	}
	if _, ok := ev.all[0].(*observe.RunStarted); !ok {
		t.Fatalf("first event %T", ev.all[0])
	}
	fin, ok := ev.all[len(ev.all)-1].(*observe.RunFinished)
	if !ok || fin.Outcome != observe.Complete || fin.Dropped != 0 {
		t.Fatalf("last event %#v", ev.all[len(ev.all)-1])
	}
	var fetches, failures, snapshots int
	var records int64
	var committed []string
	for _, e := range ev.all {
		switch e := e.(type) {
		case *observe.Fetch:
			fetches++
			if e.Host != srv.Addr() || e.Latency <= 0 || (e.Err == nil) != (e.Status == 200) {
				t.Fatalf("fetch event %+v", e)
			}
		case *observe.Failure:
			failures++
			if e.Status != 404 || e.Reason != "HTTP 404 Not Found" || e.Key == "" || e.Host != srv.Addr() {
				t.Fatalf("failure event %+v", e)
			}
		case *observe.Committed:
			committed = append(committed, e.Written...)
			committed = append(committed, e.Failed...)
			records += e.Records
		case *observe.StageSnapshot:
			snapshots++
		}
	}
	if fetches != 120 || int64(failures) != rep.Failed || records != rep.Written || snapshots == 0 {
		t.Fatalf("fetches %d failures %d (report %d) records %d (report %d) snapshots %d", fetches, failures, rep.Failed, records, rep.Written, snapshots)
	}
	slices.Sort(committed)
	want := make([]string, 120)
	for i := range want {
		want[i] = strconv.Itoa(i + 1) // lines source: the key is the line number
	}
	slices.Sort(want)
	if !slices.Equal(committed, want) {
		t.Fatalf("committed keys %v, want each of the 120 inputs once", committed)
	}
}

// An observer that sleeps on every event never slows the stages: the run
// produces the same report as without it, and the observer ends up having
// missed events (dropped, counted) rather than having held the run back.
func TestRunSlowObserverDoesNotBlock(t *testing.T) {
	srv := faultySite(t, 300)
	base, err := Run(context.Background(), siteJob(t, srv, 300, ""), RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	slow := &events{sleep: 200 * time.Millisecond}
	rep, err := Run(context.Background(), siteJob(t, srv, 300, ""), RunOptions{Observers: []observe.Observer{slow}, SnapshotInterval: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Done != base.Done || rep.Failed != base.Failed || rep.Written != base.Written {
		t.Fatalf("with a slow observer %+v, without %+v", rep, base)
	}
	fin := slow.all[len(slow.all)-1].(*observe.RunFinished)
	if fin.Dropped == 0 {
		t.Fatalf("the slow observer saw all %d events: the run waited for it", len(slow.all))
	}
}

// Stop finishes only the work in flight: inputs read ahead but not yet
// fetched are left for the resume (dropped, not done), and the resumed run
// does exactly those.
func TestRunStop(t *testing.T) {
	srv, err := testsite.Start(testsite.Config{Pages: 400, Latency: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	stop := make(chan struct{})
	var once sync.Once
	var fetched atomic.Int64
	obs := observe.Func(func(e observe.Event) {
		if _, ok := e.(*observe.Fetch); ok && fetched.Add(1) == 20 {
			once.Do(func() { close(stop) })
		}
	})
	j := siteJob(t, srv, 400, "")
	rep, err := Run(context.Background(), j, RunOptions{Stop: stop, Observers: []observe.Observer{obs}})
	if err != nil {
		t.Fatal(err)
	}
	var fetch pipeline.StageStats
	for _, st := range rep.Stages {
		if st.Name == StageFetch {
			fetch = st
		}
	}
	// What was in flight at the stop finished; everything else read
	// ahead was dropped, unfetched.
	if rep.Outcome != observe.Interrupted || rep.Done < 20 || fetch.Dropped == 0 || fetch.Dropped != rep.Inputs-rep.Done {
		t.Fatalf("stopped run: done %d of %d read, fetch %+v", rep.Done, rep.Inputs, fetch)
	}
	if got := srv.TotalRequests(); got != rep.Done+1 { // the pages done and robots.txt
		t.Fatalf("the site saw %d requests for %d inputs done: read-ahead was fetched", got, rep.Done)
	}
	j2, err := Load(j.file, Options{})
	if err != nil {
		t.Fatal(err)
	}
	rep2, err := Run(context.Background(), j2, RunOptions{Resume: true})
	if err != nil || rep2.Done+int64(rep2.Resumed) != 400 || int64(rep2.Resumed) != rep.Done {
		t.Fatalf("resume after the stop: %v, resumed %d, done %d", err, rep2.Resumed, rep2.Done)
	}
	if n := len(readLines(t, j2.Sink.Path)); n != 400 {
		t.Fatalf("output holds %d records, want each of the 400 inputs once", n)
	}
}

func TestRunRefusesResumeWithRestart(t *testing.T) {
	srv := faultySite(t, 1)
	_, err := Run(context.Background(), siteJob(t, srv, 1, ""), RunOptions{Resume: true, Restart: true})
	var ue *UsageError
	if !errors.As(err, &ue) || !IsUsage(err) {
		t.Fatalf("resume+restart: %v, want a usage error", err)
	}
}
