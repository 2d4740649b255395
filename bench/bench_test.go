package bench

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/sluicehq/sluice/internal/leakcheck"
	"github.com/sluicehq/sluice/testsite"
)

// workers is the crawl benchmark's concurrency.
const workers = 32

// scenario is one of the target workloads.
type scenario struct {
	pages   int
	latency time.Duration // the site's delay before every response
	workers int           // concurrent requests
	// cold also times sluice without the robots.txt answers an earlier
	// run kept (sluice-cold-x-ideal): a first run against the site.
	cold bool
	// budget, if set, also times sluice under this memory budget
	// (--memory): sluice-budget-x-ideal and sluice-budget-rss-MiB.
	budget string
}

var (
	// cpuBound: 20,000 pages of ~30 KB, no latency, 100 concurrent.
	cpuBound = scenario{pages: 20000, workers: 100}
	// latencyBound: 10,000 pages, 50 ms latency, 200 concurrent.
	latencyBound = scenario{pages: 10000, latency: 50 * time.Millisecond, workers: 200, cold: true, budget: "40MiB"}
	// smallRun: 1,000 pages, 16 ms latency, 100 concurrent.
	smallRun = scenario{pages: 1000, latency: 16 * time.Millisecond, workers: 100, cold: true}
)

// job is the scenario's sluice job over urls.txt: three fields of each
// page into out.jsonl, s.workers requests at once.
func (s scenario) job() string {
	return fmt.Sprintf(`source: {kind: lines, path: urls.txt}
fetch: {workers: %d, per_host_concurrency: %d}
parse:
  html:
    fields:
      - {name: title, selector: h1.title}
      - {name: price, selector: div.price, attr: data-amount, type: float}
      - {name: items, selector: li.item, take: count}
sink: {path: out.jsonl}
`, s.workers, s.workers)
}

// ideal is the wall time of a run that is only latency: N·latency/C.
func (s scenario) ideal() time.Duration {
	return time.Duration(s.pages) * s.latency / time.Duration(s.workers)
}

// bins are the two programs under test, built once.
var bins struct{ sluice, baseline, bare, floor string }

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "sluice-bench")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	bins.sluice = filepath.Join(dir, "sluice")
	bins.baseline = filepath.Join(dir, "baseline")
	bins.bare = filepath.Join(dir, "bare")
	bins.floor = filepath.Join(dir, "floor")
	code := 1
	if err := build(bins.sluice, "../cmd/sluice"); err != nil {
		fmt.Fprintln(os.Stderr, err)
	} else if err := build(bins.baseline, "./baseline"); err != nil {
		fmt.Fprintln(os.Stderr, err)
	} else if err := build(bins.bare, "./bare"); err != nil {
		fmt.Fprintln(os.Stderr, err)
	} else if err := build(bins.floor, "./floor"); err != nil {
		fmt.Fprintln(os.Stderr, err)
	} else {
		code = m.Run()
	}
	if code == 0 {
		if err := goleak.Find(leakcheck.Options()...); err != nil {
			fmt.Fprintln(os.Stderr, "goleak:", err)
			code = 1
		}
	}
	os.RemoveAll(dir)
	os.Exit(code)
}

// build builds pkg as a static binary (CGO_ENABLED=0), as the README
// installs sluice: neither program needs cgo, and a binary linked
// against libc maps about 1.5 MiB more of it. Every program of the suite
// is built the same way.
func build(out, pkg string) error {
	cmd := exec.Command("go", "build", "-o", out, pkg)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	cmd.Stderr = os.Stderr
	return cmd.Run()
}

// usage is what one child process used.
type usage struct {
	pages int
	wall  time.Duration
	cpu   time.Duration // user + system
	rss   int64         // peak resident set, bytes
}

// reqPerCPUSecond is pages fetched per CPU-second.
func (u usage) reqPerCPUSecond() float64 { return float64(u.pages) / u.cpu.Seconds() }

// add sums two runs (the peak RSS is the larger).
func (u usage) add(v usage) usage {
	return usage{pages: u.pages + v.pages, wall: u.wall + v.wall, cpu: u.cpu + v.cpu, rss: max(u.rss, v.rss)}
}

// run is one scenario set up in a work dir: the site, urls.txt, job.yaml.
type run struct {
	scenario
	dir string
}

// setup starts the site and writes its URLs and the job; the site stops
// when tb ends.
func setup(tb testing.TB, s scenario) run {
	tb.Helper()
	srv, err := testsite.Start(testsite.Config{Pages: s.pages, Latency: s.latency})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(srv.Close)
	dir := tb.TempDir()
	var b bytes.Buffer
	for id := range s.pages {
		b.WriteString(srv.PageURL(id))
		b.WriteByte('\n')
	}
	if err := os.WriteFile(filepath.Join(dir, "urls.txt"), b.Bytes(), 0o644); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "job.yaml"), []byte(s.job()), 0o644); err != nil {
		tb.Fatal(err)
	}
	return run{scenario: s, dir: dir}
}

// sluice runs the sluice command over the site once, at the Go default
// GC unless env says otherwise, with more args if given.
func (r run) sluice(tb testing.TB, env []string, more ...string) usage {
	args := append([]string{"run", "job.yaml", "--quiet", "--restart"}, more...)
	if prof := os.Getenv("SLUICE_BENCH_CPUPROFILE"); prof != "" {
		args = append(args, "--cpuprofile", prof)
	}
	return r.measure(tb, env, bins.sluice, args...)
}

// bare runs the bare fetch pool (bench/bare) over the site once: the
// floor of the latency scenarios (bare-x-ideal, bare-rss-MiB). It writes
// no output.
func (r run) bare(tb testing.TB) usage {
	tb.Helper()
	return r.start(tb, nil, bins.bare, "-urls", "urls.txt", "-workers", fmt.Sprint(r.workers))
}

// floor runs bench/floor over the site once: the least any client can do
// (floor-x-ideal). It writes no output.
func (r run) floor(tb testing.TB) usage {
	tb.Helper()
	return r.start(tb, nil, bins.floor, "-urls", "urls.txt", "-workers", fmt.Sprint(r.workers))
}

// baseline runs the hand-written pool over the site once.
func (r run) baseline(tb testing.TB) usage {
	return r.measure(tb, nil, bins.baseline, "-urls", "urls.txt", "-out", "out.jsonl", "-workers", fmt.Sprint(r.workers))
}

// measure runs bin over the site once, as start does, and checks that
// it wrote a line of out.jsonl for every page.
func (r run) measure(tb testing.TB, env []string, bin string, args ...string) usage {
	tb.Helper()
	os.Remove(filepath.Join(r.dir, "out.jsonl"))
	u := r.start(tb, env, bin, args...)
	if n := countLines(tb, filepath.Join(r.dir, "out.jsonl")); n != r.pages {
		tb.Fatalf("%s wrote %d lines, want %d", filepath.Base(bin), n, r.pages)
	}
	return u
}

// start runs bin in the work dir and times it: wall time, CPU from
// rusage, peak RSS sampled from /proc (rusage's maxrss where there is no
// /proc).
func (r run) start(tb testing.TB, env []string, bin string, args ...string) usage {
	tb.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = r.dir
	cmd.Env = append(os.Environ(), env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	hwm := sampleHWM(cmd.Process.Pid)
	err := cmd.Wait()
	wall := time.Since(start)
	rss := hwm.end()
	if err != nil {
		tb.Fatalf("%s: %v\n%s", filepath.Base(bin), err, stderr.String())
	}
	u := usage{pages: r.pages, wall: wall, cpu: cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime(), rss: rss}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok && rss == 0 {
		u.rss = ru.Maxrss * 1024 // kilobytes on Linux; see rss_test.go
	}
	return u
}

func countLines(tb testing.TB, path string) int {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	n := 0
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		n++
	}
	return n
}

// paired runs sluice and the baseline alternately, once each per
// iteration, so both see the same state of a shared machine, and reports
// both with their ratios: requests per CPU-second, wall time over the
// ideal (latency scenarios), peak RSS.
func paired(b *testing.B, s scenario, env ...string) {
	r := setup(b, s)
	var sl, cold, budget, bl, bare, floor usage
	for b.Loop() {
		bl = bl.add(r.baseline(b))
		if s.cold {
			if err := os.Remove(filepath.Join(r.dir, "out.jsonl.robots.json")); err != nil && !os.IsNotExist(err) {
				b.Fatal(err)
			}
			cold = cold.add(r.sluice(b, env))
		}
		sl = sl.add(r.sluice(b, env))
		if s.budget != "" {
			budget = budget.add(r.sluice(b, env, "--memory", s.budget))
		}
		if s.latency > 0 {
			bare = bare.add(r.bare(b))
			floor = floor.add(r.floor(b))
		}
	}
	b.ReportMetric(sl.reqPerCPUSecond(), "sluice-req/cpu-s")
	b.ReportMetric(bl.reqPerCPUSecond(), "base-req/cpu-s")
	b.ReportMetric(sl.reqPerCPUSecond()/bl.reqPerCPUSecond(), "x-base-per-cpu")
	if s.latency > 0 {
		runs := float64(sl.pages / s.pages)
		b.ReportMetric(sl.wall.Seconds()/runs/s.ideal().Seconds(), "sluice-x-ideal")
		if s.cold {
			b.ReportMetric(cold.wall.Seconds()/runs/s.ideal().Seconds(), "sluice-cold-x-ideal")
		}
		if s.budget != "" {
			b.ReportMetric(budget.wall.Seconds()/runs/s.ideal().Seconds(), "sluice-budget-x-ideal")
			b.ReportMetric(mib(budget.rss), "sluice-budget-rss-MiB")
		}
		b.ReportMetric(bl.wall.Seconds()/runs/s.ideal().Seconds(), "base-x-ideal")
		b.ReportMetric(bare.wall.Seconds()/runs/s.ideal().Seconds(), "bare-x-ideal")
		b.ReportMetric(floor.wall.Seconds()/runs/s.ideal().Seconds(), "floor-x-ideal")
	} else {
		b.ReportMetric(float64(sl.pages)/sl.wall.Seconds(), "sluice-req/s")
		b.ReportMetric(float64(bl.pages)/bl.wall.Seconds(), "base-req/s")
	}
	b.ReportMetric(mib(sl.rss), "sluice-rss-MiB")
	b.ReportMetric(mib(bl.rss), "base-rss-MiB")
	if s.latency > 0 {
		b.ReportMetric(mib(bare.rss), "bare-rss-MiB")
	}
	b.ReportMetric(0, "ns/op")
}

// BenchmarkEndToEnd is the CPU-bound target: the sluice command and the
// hand-written baseline over the same 20,000 pages of ~30 KB at no
// latency, 100 concurrent requests; each op is one run of each. The
// target is x-base-per-cpu ≥ 2.0 at the Go default GC.
//
//	go test ./bench -run '^$' -bench 'EndToEnd$' -benchtime 1x -count 3
func BenchmarkEndToEnd(b *testing.B) { paired(b, cpuBound) }

// BenchmarkLatencyBound: 10,000 pages at 50 ms latency, 200 concurrent.
// The target is sluice-x-ideal ≤ 1.05 with sluice-rss-MiB ≤ 40;
// sluice-cold-x-ideal is a first run (see BenchmarkSmallRun), and
// sluice-budget-… a later run given a 40 MiB memory budget (--memory
// 40MiB), the default being 256 MiB.
// bare-x-ideal is a real client's floor: bench/bare fetches the same
// pages with the same concurrency over net/http and does nothing else (no
// robots.txt, no parsing, no output). floor-x-ideal is any client's:
// bench/floor writes each GET on a kept-alive connection and reads the
// answer by its Content-Length, with no HTTP library at all.
//
//	go test ./bench -run '^$' -bench LatencyBound -benchtime 1x -count 3
func BenchmarkLatencyBound(b *testing.B) { paired(b, latencyBound) }

// BenchmarkSmallRun: 1,000 pages at 16 ms latency, 100 concurrent: the
// fixed cost of a run (start-up, robots.txt, connections, final flush)
// against an ideal of 160 ms. The target is sluice-x-ideal ≤ 1.6.
// sluice-x-ideal is a run after an earlier one, which finds the site's
// robots.txt answer kept (as a user's second run of a job does);
// sluice-cold-x-ideal is a first run, which asks for robots.txt first.
//
//	go test ./bench -run '^$' -bench SmallRun -benchtime 5x -count 3
func BenchmarkSmallRun(b *testing.B) { paired(b, smallRun) }

func mib(b int64) float64 { return float64(b) / (1 << 20) }
