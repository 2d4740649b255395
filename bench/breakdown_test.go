package bench

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sluicehq/sluice/testsite"
)

// BenchmarkLatencyBreakdown takes the latency-bound and the small-run
// scenarios apart (sub-benchmarks latency/… and small/…): where the time
// above the ideal N·latency/C goes, for the least any client can do
// (bench/floor), for the bare fetch pool, for sluice on
// a first run (sluice-cold: robots.txt asked first), on a later run
// (sluice: the robots.txt answer the first run kept) and without
// robots.txt. The pages are the test site's, served from memory by a site
// that timestamps every request. It reports start-ms (exec to the first
// request: robots.txt for sluice-cold), first-page-ms (exec to the first
// page request), burst-ms (from the first page request to the C-th: how
// long the first C requests take to go out, on new connections),
// overshoot-ms (how late the site's own sleep wakes, per request),
// turnaround-ms (on each connection, from the end of one response to the
// arrival of the next request: client, kernel and server together),
// in-flight (page requests the site held at once, on average from the
// first page request to the last answer: C at best), tail-ms (the last
// response to the program's exit) and cycle-x-latency, (latency +
// overshoot + turnaround) / latency: the floor of any program that keeps
// C requests in flight, N/C such cycles long.
//
//	go test ./bench -run '^$' -bench LatencyBreakdown -benchtime 1x -count 3
//	go test ./bench -run '^$' -bench 'LatencyBreakdown/small' -benchtime 5x -count 3
func BenchmarkLatencyBreakdown(b *testing.B) {
	b.Run("latency", func(b *testing.B) { breakDown(b, latencyBound) })
	b.Run("small", func(b *testing.B) { breakDown(b, smallRun) })
}

// breakDown times the three programs over scenario s.
func breakDown(b *testing.B, s scenario) {
	site := newTimedSite(b, s)
	dir := b.TempDir()
	var urls strings.Builder
	for id := range s.pages {
		urls.WriteString(site.base + testsite.PagePath(id) + "\n")
	}
	job := s.job()
	files := map[string]string{
		"urls.txt":     urls.String(),
		"job.yaml":     job,
		"norobot.yaml": strings.Replace(job, "fetch: {", "fetch: {ignore_robots: true, ", 1),
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	programs := []struct {
		name string
		args []string
		cold bool // without the robots.txt answer an earlier run kept
	}{
		{"floor", []string{bins.floor, "-urls", "urls.txt", "-workers", fmt.Sprint(s.workers)}, false},
		{"bare", []string{bins.bare, "-urls", "urls.txt", "-workers", fmt.Sprint(s.workers)}, false},
		{"sluice-cold", []string{bins.sluice, "run", "job.yaml", "--quiet", "--restart"}, true},
		{"sluice", []string{bins.sluice, "run", "job.yaml", "--quiet", "--restart"}, false},
		{"sluice-no-robots", []string{bins.sluice, "run", "norobot.yaml", "--quiet", "--restart"}, false},
	}
	for _, p := range programs {
		b.Run(p.name, func(b *testing.B) {
			var sum breakdown
			runs := 0
			for b.Loop() {
				if p.cold {
					if err := os.Remove(filepath.Join(dir, "out.jsonl.robots.json")); err != nil && !os.IsNotExist(err) {
						b.Fatal(err)
					}
				}
				sum = sum.add(site.time(b, dir, p.args, s.workers))
				runs++
			}
			n := float64(runs)
			lat := s.latency.Seconds() * 1e3
			b.ReportMetric(sum.wall.Seconds()/n/s.ideal().Seconds(), "x-ideal")
			b.ReportMetric(ms(sum.start)/n, "start-ms")
			b.ReportMetric(ms(sum.firstPage)/n, "first-page-ms")
			b.ReportMetric(ms(sum.overshoot)/n, "overshoot-ms")
			b.ReportMetric(ms(sum.burst)/n, "burst-ms")
			b.ReportMetric(ms(sum.turnaround)/n, "turnaround-ms")
			b.ReportMetric(ms(sum.tail)/n, "tail-ms")
			b.ReportMetric(sum.inFlight/n, "in-flight")
			b.ReportMetric(float64(sum.conns)/n, "conns")
			b.ReportMetric((lat+(ms(sum.overshoot)+ms(sum.turnaround))/n)/lat, "cycle-x-latency")
			b.ReportMetric(0, "ns/op")
		})
	}
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// breakdown is one run's timings (sums, when added).
type breakdown struct {
	wall, start, firstPage, burst, overshoot, turnaround, tail time.Duration
	conns                                                      int     // connections the program opened
	inFlight                                                   float64 // mean page requests held by the site
}

func (a breakdown) add(b breakdown) breakdown {
	return breakdown{a.wall + b.wall, a.start + b.start, a.firstPage + b.firstPage, a.burst + b.burst,
		a.overshoot + b.overshoot, a.turnaround + b.turnaround, a.tail + b.tail, a.conns + b.conns, a.inFlight + b.inFlight}
}

// timedSite serves the test site's pages from memory after the scenario's
// latency and records when each request arrived and was answered, by
// connection.
type timedSite struct {
	latency time.Duration
	base    string
	pages   map[string][]byte

	mu    sync.Mutex
	t0    time.Time
	conns map[string][]span
}

type span struct {
	path            string
	arrived, served time.Duration
	late            time.Duration
}

func newTimedSite(tb testing.TB, s scenario) *timedSite {
	src, err := testsite.Start(testsite.Config{Pages: s.pages})
	if err != nil {
		tb.Fatal(err)
	}
	defer src.Close()
	ts := &timedSite{latency: s.latency, pages: make(map[string][]byte, s.pages)}
	client := &http.Client{Transport: &http.Transport{}}
	defer client.CloseIdleConnections()
	for id := range s.pages {
		resp, err := client.Get(src.PageURL(id))
		if err != nil {
			tb.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			tb.Fatal(err)
		}
		ts.pages[testsite.PagePath(id)] = body
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	srv := &http.Server{Handler: ts}
	go srv.Serve(ln)
	tb.Cleanup(func() { srv.Close() })
	ts.base = "http://" + ln.Addr().String()
	return ts
}

func (ts *timedSite) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	arrived := time.Now()
	time.Sleep(ts.latency)
	late := time.Since(arrived) - ts.latency
	if r.URL.Path == "/robots.txt" {
		io.WriteString(w, "User-agent: *\nAllow: /\n")
	} else if body, ok := ts.pages[r.URL.Path]; ok {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Length", strconv.Itoa(len(body))) // as the test site's; not chunked
		w.Write(body)
	} else {
		http.NotFound(w, r)
	}
	served := time.Now()
	ts.mu.Lock()
	ts.conns[r.RemoteAddr] = append(ts.conns[r.RemoteAddr], span{r.URL.Path, arrived.Sub(ts.t0), served.Sub(ts.t0), late})
	ts.mu.Unlock()
}

// time runs one program in dir and takes its run apart.
func (ts *timedSite) time(tb testing.TB, dir string, args []string, workers int) breakdown {
	tb.Helper()
	ts.mu.Lock()
	ts.conns = make(map[string][]span)
	ts.t0 = time.Now()
	ts.mu.Unlock()
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("%s: %v\n%s", filepath.Base(args[0]), err, out)
	}
	wall := time.Since(ts.t0)
	ts.mu.Lock()
	defer ts.mu.Unlock()
	var r breakdown
	r.wall = wall
	r.start, r.firstPage = wall, wall
	var last, late, gap time.Duration
	var requests, gaps int
	var pages []time.Duration // page request arrivals
	var held time.Duration    // page requests' time in the site
	for _, spans := range ts.conns {
		for i, sp := range spans {
			r.start = min(r.start, sp.arrived)
			if sp.path != "/robots.txt" {
				r.firstPage = min(r.firstPage, sp.arrived)
				pages = append(pages, sp.arrived)
				held += sp.served - sp.arrived
			}
			last = max(last, sp.served)
			late += sp.late
			requests++
			if i > 0 {
				gap += sp.arrived - spans[i-1].served
				gaps++
			}
		}
	}
	if len(pages) == 0 || gaps == 0 {
		tb.Fatalf("%s made %d requests", filepath.Base(args[0]), requests)
	}
	slices.Sort(pages)
	r.burst = pages[min(workers, len(pages))-1] - r.firstPage
	r.overshoot = late / time.Duration(requests)
	r.turnaround = gap / time.Duration(gaps)
	r.tail = wall - last
	r.inFlight = float64(held) / float64(last-r.firstPage)
	r.conns = len(ts.conns)
	return r
}
