package dashboard_test

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sluicehq/sluice/job"
	"github.com/sluicehq/sluice/observe"
	"github.com/sluicehq/sluice/observe/dashboard"
)

// BenchmarkDashboardOverhead times the same job (2000 pages of a local
// testsite with no latency, so the run is CPU-bound: the worst case for
// an observer) three ways, interleaved so that a busy machine slows all
// three alike: with no observer, with a no-op observer (the cost of
// publishing events at all), and with the dashboard and a browser
// attached — an SSE client reading /events, which costs the run what a
// browser's connection does (the page's drawing happens in the browser's
// process). It reports the mean time of each and the median, over the
// iterations, of each iteration's ratio (a median, because other work on
// the machine slows single runs).
//
//	go test -run '^$' -bench DashboardOverhead -benchtime 5x ./observe/dashboard/
func BenchmarkDashboardOverhead(b *testing.B) {
	run := newSiteRun(b, 2000, 0)
	var plain, noop, dash time.Duration
	var vsPlain, vsNoop []float64
	var frames int
	for b.Loop() {
		p := timeRun(b, run.job)
		n := timeRun(b, run.job, observe.Func(func(observe.Event) {}))
		d, f := timeDashboardRun(b, run.job)
		plain, noop, dash, frames = plain+p, noop+n, dash+d, frames+f
		vsPlain, vsNoop = append(vsPlain, d.Seconds()/p.Seconds()), append(vsNoop, d.Seconds()/n.Seconds())
	}
	b.ReportMetric(0, "ns/op")
	b.ReportMetric(plain.Seconds()/float64(b.N), "s/run-plain")
	b.ReportMetric(noop.Seconds()/float64(b.N), "s/run-noop")
	b.ReportMetric(dash.Seconds()/float64(b.N), "s/run-dashboard")
	b.ReportMetric(median(vsPlain), "dashboard/plain")
	b.ReportMetric(median(vsNoop), "dashboard/noop")
	b.ReportMetric(float64(frames)/float64(b.N), "frames/run")
}

func median(v []float64) float64 {
	slices.Sort(v)
	if len(v)%2 == 1 {
		return v[len(v)/2]
	}
	return (v[len(v)/2-1] + v[len(v)/2]) / 2
}

func timeRun(b *testing.B, j *job.Job, obs ...observe.Observer) time.Duration {
	start := time.Now()
	if _, err := job.Run(context.Background(), j, job.RunOptions{Restart: true, Observers: obs}); err != nil {
		b.Fatal(err)
	}
	return time.Since(start)
}

// timeDashboardRun times a run with a dashboard whose event stream a
// client reads throughout; it returns the run's time and the frames read.
func timeDashboardRun(b *testing.B, j *job.Job) (time.Duration, int) {
	d := dashboard.New(dashboard.Config{})
	srv := httptest.NewServer(d.Handler())
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/events")
	if err != nil {
		b.Fatal(err)
	}
	var frames int
	var wg sync.WaitGroup
	wg.Go(func() {
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(nil, 1<<22)
		for sc.Scan() {
			if strings.HasPrefix(sc.Text(), "data: ") {
				frames++
			}
		}
	})
	elapsed := timeRun(b, j, d)
	d.Close()
	wg.Wait()
	resp.Body.Close()
	return elapsed, frames
}

// BenchmarkObserveFetch is the dashboard's cost per fetch event, paid on
// its own observer goroutine.
func BenchmarkObserveFetch(b *testing.B) {
	d := dashboard.New(dashboard.Config{})
	for _, e := range events()[:1] {
		d.Observe(e)
	}
	e := &observe.Fetch{Host: "a.example", Status: 200, Attempts: 1, Latency: 30 * time.Millisecond}
	for b.Loop() {
		d.Observe(e)
	}
}

// BenchmarkFrame is the cost of one frame with full chart history (600
// points) for a browser: built and encoded at most once per interval.
func BenchmarkFrame(b *testing.B) {
	d := dashboard.New(dashboard.Config{})
	ev := events()
	for _, e := range ev {
		d.Observe(e)
	}
	snap := *ev[len(ev)-2].(*observe.StageSnapshot)
	for i := range 600 {
		snap.Elapsed = time.Duration(i+3) * time.Second
		d.Observe(&snap)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := json.Marshal(d.Frame()); err != nil {
			b.Fatal(err)
		}
	}
}
