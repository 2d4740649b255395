package fetch

import (
	"runtime"
	"testing"
	"time"
)

// BenchmarkThroughput: pages of ~30 KB at 0 ms latency, fetch and read the
// body; req/cpu-s is requests per second of this process's CPU time (the
// site is a child process). sluice is the Fetcher as built by default
// (cleartext over fasthttp), sluice-net-http the same Fetcher over its
// net/http transport; x-net-http is the first over the second.
//
//	go test -run '^$' -bench Throughput -benchtime 3x -count 3 ./stages/fetch
func BenchmarkThroughput(b *testing.B) {
	const workers = 32
	n := envInt("SLUICE_BENCH_PAGES", 20000)
	urls := pageURLs(startChildSite(b, n, 0), n)
	var base, tuned, std float64
	b.Run("sluice-net-http", func(b *testing.B) {
		cfg, err := Config{Workers: workers, PerHostConcurrency: workers, Budget: NewBudget(benchBudget)}.withDefaults()
		if err != nil {
			b.Fatal(err)
		}
		cfg.Transport = newTransport(cfg, nil)
		f, err := New(cfg)
		if err != nil {
			b.Fatal(err)
		}
		defer f.Close()
		std = measureCPU(b, len(urls), func() int64 { return sluice(b, f, urls, workers) })
	})
	b.Run("baseline", func(b *testing.B) {
		base = measureCPU(b, len(urls), func() int64 { return baseline(urls, workers) })
	})
	b.Run("baseline-sized", func(b *testing.B) {
		tuned = measureCPU(b, len(urls), func() int64 { return baselineTuned(urls, workers) })
	})
	b.Run("sluice", func(b *testing.B) {
		f, err := New(Config{Workers: workers, PerHostConcurrency: workers, Budget: NewBudget(benchBudget)})
		if err != nil {
			b.Fatal(err)
		}
		defer f.Close()
		got := measureCPU(b, len(urls), func() int64 { return sluice(b, f, urls, workers) })
		if base > 0 && tuned > 0 {
			b.ReportMetric(got/base, "x-baseline")
			b.ReportMetric(got/tuned, "x-baseline-sized")
		}
		if std > 0 {
			b.ReportMetric(got/std, "x-net-http")
		}
	})
}

// benchBudget is the sluice fetcher's body budget: the sluice command's
// default (an eighth of --memory 256MiB).
const benchBudget = 32 << 20

func measureCPU(b *testing.B, n int, run func() int64) float64 {
	runtime.GC()
	var reqs float64
	var cpu time.Duration
	b.ResetTimer()
	for b.Loop() {
		c0 := cpuTime()
		if got := run(); got < int64(n)*20_000 {
			b.Fatalf("read %d bytes for %d pages", got, n)
		}
		cpu += cpuTime() - c0
		reqs += float64(n)
	}
	r := reqs / cpu.Seconds()
	b.ReportMetric(r, "req/cpu-s")
	b.ReportMetric(float64(n), "pages/op")
	return r
}

// BenchmarkLatency: pages at 50 ms latency with 200 workers; wall time
// against the ideal N·latency/C, and the peak live heap.
func BenchmarkLatency(b *testing.B) {
	const workers = 200
	const latency = 50 * time.Millisecond
	n := envInt("SLUICE_BENCH_LPAGES", 10000)
	urls := pageURLs(startChildSite(b, n, latency), n)
	ideal := time.Duration(n) * latency / workers
	b.Run("baseline", func(b *testing.B) {
		measureWall(b, len(urls), ideal, func() int64 { return baseline(urls, workers) })
	})
	b.Run("sluice", func(b *testing.B) {
		f, err := New(Config{Workers: workers, PerHostConcurrency: workers, Budget: NewBudget(benchBudget)})
		if err != nil {
			b.Fatal(err)
		}
		defer f.Close()
		measureWall(b, len(urls), ideal, func() int64 { return sluice(b, f, urls, workers) })
	})
}

func measureWall(b *testing.B, n int, ideal time.Duration, run func() int64) {
	runtime.GC()
	var wall time.Duration
	var peak float64
	ops := 0
	b.ResetTimer()
	for b.Loop() {
		h := sampleHeap()
		t0 := time.Now()
		if got := run(); got < int64(n)*20_000 {
			b.Fatalf("read %d bytes for %d pages", got, n)
		}
		wall += time.Since(t0)
		peak = max(peak, h.end())
		ops++
	}
	b.ReportMetric(float64(wall)/float64(ops)/float64(ideal), "x-ideal")
	b.ReportMetric(peak, "peak-heap-MiB")
	b.ReportMetric(float64(n), "pages/op")
}
