package bench

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/sluicehq/sluice/testsite"
)

// crawlSizesFlag lists the generated shops BenchmarkCrawl crawls, in
// products; each has a tenth as many listing pages besides.
var crawlSizesFlag = flag.String("crawl-sizes", "10000,100000", "shop sizes (products) BenchmarkCrawl crawls, comma-separated")

// crawlProfileFlag names a directory where BenchmarkCrawl has sluice
// write a CPU profile of each crawl (crawl-N.pprof).
var crawlProfileFlag = flag.String("crawl-cpuprofile", "", "directory for CPU profiles of BenchmarkCrawl's sluice runs")

func crawlSizes(tb testing.TB) []int {
	var out []int
	for _, f := range strings.Split(*crawlSizesFlag, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			tb.Fatalf("-crawl-sizes: bad size %q", f)
		}
		out = append(out, n)
	}
	return out
}

var crawlBaseline = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "sluice-crawlbench")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "crawlbaseline")
	return bin, build(bin, "./crawlbaseline")
})

// BenchmarkCrawl crawls generated shops of 10,000 and 100,000 products
// (plus their listing pages) with `sluice run` on a crawl job and with the
// hand-written crawler (bench/crawlbaseline: net/http + goquery + a map +
// a worker pool), both at 32 concurrent requests on one host, both as
// child processes measured by rusage, alternately (the baseline, then
// sluice, each iteration). It reports pages per CPU-second, pages per
// second and peak RSS (VmHWM) for each, x-base-per-cpu (sluice's pages
// per CPU-second over the baseline's; the target is ≥ 1.2), and logs
// sluice's peak RSS at the largest size over the smallest (≤ 1.2).
//
//	go test ./bench -run '^$' -bench 'BenchmarkCrawl$' -benchtime 3x -v
//	go test ./bench -run '^$' -bench 'BenchmarkCrawl$' -benchtime 1x -v -crawl-sizes 2000   # a quick look
//
// The README's Benchmarks section has the figures. -crawl-cpuprofile DIR
// has sluice write a CPU profile of each crawl (crawl-N.pprof, the last)
// and the baseline one of its own (base-N.pprof).
func BenchmarkCrawl(b *testing.B) {
	base, err := crawlBaseline()
	if err != nil {
		b.Fatal(err)
	}
	sizes := crawlSizes(b)
	rss := map[int]int64{}
	for _, n := range sizes {
		srv, err := testsite.Start(testsite.Config{Shop: testsite.ShopConfig{Products: n}})
		if err != nil {
			b.Fatal(err)
		}
		dir := b.TempDir()
		writeCrawlJob(b, dir, srv.URL()+"/shop/")
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			// Alternate the two crawlers, so both see the same state of a
			// shared machine.
			var sl, bl crawlUsage
			for b.Loop() {
				bl = bl.add(measureCrawl(b, srv, dir, n, exec.Command(base, baselineCrawlArgs(srv.URL()+"/shop/", n)...)))
				sl = sl.add(measureCrawl(b, srv, dir, n, exec.Command(bins.sluice, sluiceCrawlArgs(n)...)))
			}
			rss[n] = max(rss[n], sl.rss)
			b.ReportMetric(sl.perCPU(), "sluice-pages/cpu-s")
			b.ReportMetric(bl.perCPU(), "base-pages/cpu-s")
			b.ReportMetric(sl.perCPU()/bl.perCPU(), "x-base-per-cpu")
			b.ReportMetric(float64(sl.pages)/sl.wall.Seconds(), "sluice-pages/s")
			b.ReportMetric(float64(bl.pages)/bl.wall.Seconds(), "base-pages/s")
			b.ReportMetric(float64(sl.rss)/(1<<20), "sluice-rss-MiB")
			b.ReportMetric(float64(bl.rss)/(1<<20), "base-rss-MiB")
			b.ReportMetric(0, "ns/op")
		})
		srv.Close()
	}
	if first, last := sizes[0], sizes[len(sizes)-1]; first != last && rss[first] > 0 && rss[last] > 0 {
		b.Logf("sluice peak RSS at %d products over %d: %.2fx", last, first, float64(rss[last])/float64(rss[first]))
	}
}

// sluiceCrawlArgs are the arguments of sluice's crawl of an n-product
// shop, with a CPU profile when -crawl-cpuprofile is set.
func sluiceCrawlArgs(n int) []string {
	return withProfile([]string{"run", "crawl.yaml", "--quiet", "--restart"}, "--cpuprofile", "crawl", n)
}

// baselineCrawlArgs are the arguments of the baseline's crawl of an
// n-product shop, with a CPU profile when -crawl-cpuprofile is set.
func baselineCrawlArgs(seed string, n int) []string {
	return withProfile([]string{"-seed", seed, "-out", "out.jsonl", "-workers", fmt.Sprint(workers)}, "-cpuprofile", "base", n)
}

// withProfile adds flag and the profile file NAME-n.pprof in the
// -crawl-cpuprofile directory to args, when that is set.
func withProfile(args []string, flag, name string, n int) []string {
	if *crawlProfileFlag == "" {
		return args
	}
	dir, _ := filepath.Abs(*crawlProfileFlag)
	return append(args, flag, filepath.Join(dir, fmt.Sprintf("%s-%d.pprof", name, n)))
}

// crawlUsage sums the runs of one crawler on one shop.
type crawlUsage struct {
	runs  int
	pages int64
	wall  time.Duration
	cpu   time.Duration
	rss   int64 // peak
}

func (u crawlUsage) add(v crawlUsage) crawlUsage {
	return crawlUsage{runs: u.runs + v.runs, pages: u.pages + v.pages, wall: u.wall + v.wall, cpu: u.cpu + v.cpu, rss: max(u.rss, v.rss)}
}

func (u crawlUsage) perCPU() float64 { return float64(u.pages) / u.cpu.Seconds() }

func writeCrawlJob(tb testing.TB, dir, seed string) {
	tb.Helper()
	job := fmt.Sprintf(`crawl:
  urls: [%s]
  extract: [{has: div.product}]
fetch: {workers: %d, per_host_concurrency: %d}
parse:
  html:
    fields:
      - {name: name, selector: span.name}
      - {name: id, selector: div.product, attr: data-id}
sink: {path: out.jsonl}
`, seed, workers, workers)
	if err := os.WriteFile(filepath.Join(dir, "crawl.yaml"), []byte(job), 0o644); err != nil {
		tb.Fatal(err)
	}
}

// measureCrawl runs one crawl and checks it wrote every product once.
// Pages are the shop's pages the server served (robots.txt aside).
func measureCrawl(tb testing.TB, srv *testsite.Server, dir string, products int, cmd *exec.Cmd) crawlUsage {
	tb.Helper()
	os.Remove(filepath.Join(dir, "out.jsonl"))
	srv.ResetStats()
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	hwm := sampleHWM(cmd.Process.Pid) // not ru_maxrss: see rss_test.go
	err := cmd.Wait()
	wall := time.Since(start)
	rss := hwm.end()
	if err != nil {
		tb.Fatalf("%s: %v\n%s", filepath.Base(cmd.Path), err, stderr.String())
	}
	u := crawlUsage{runs: 1, wall: wall, cpu: cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime(),
		pages: srv.TotalRequests() - srv.Requests("/robots.txt"), rss: rss}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok && rss == 0 {
		u.rss = ru.Maxrss * 1024 // no /proc: the parent's RSS at the fork is a floor
	}
	if n := countLines(tb, filepath.Join(dir, "out.jsonl")); n != products {
		tb.Fatalf("%s wrote %d products, want %d", filepath.Base(cmd.Path), n, products)
	}
	return u
}
