package fetch

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"runtime/metrics"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/sluicehq/sluice/pipeline"
	"github.com/sluicehq/sluice/testsite"
)

// The benchmarks fetch from a testsite running in a child process (this
// test binary re-executed), so the CPU time measured with getrusage is
// the client's alone. Sizes come from the environment:
//
//	SLUICE_BENCH_PAGES    pages per op of BenchmarkThroughput (default 20000)
//	SLUICE_BENCH_LPAGES   pages per op of BenchmarkLatency (default 10000)
//
// Run with -benchtime=1x -count=3 (each op is a whole batch).

const childEnv = "SLUICE_FETCH_BENCH_SITE" // set in the child: "pages,latency"

// runChildSite serves a testsite until stdin closes; it is called from
// TestMain in the child process.
func runChildSite(spec string) {
	var pages int
	var latency time.Duration
	for i := range len(spec) {
		if spec[i] == ',' {
			pages, _ = strconv.Atoi(spec[:i])
			latency, _ = time.ParseDuration(spec[i+1:])
		}
	}
	s, err := testsite.Start(testsite.Config{Pages: pages, Latency: latency})
	if err != nil {
		os.Exit(2)
	}
	_, _ = os.Stdout.WriteString(s.URL() + "\n")
	_, _ = io.Copy(io.Discard, os.Stdin)
	s.Close()
	os.Exit(0)
}

// startChildSite starts the site process and returns its base URL.
func startChildSite(b *testing.B, pages int, latency time.Duration) string {
	b.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+strconv.Itoa(pages)+","+latency.String())
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = stdin.Close(); _ = cmd.Wait() })
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		b.Fatalf("child site: %v", err)
	}
	return line[:len(line)-1]
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

func pageURLs(base string, n int) []string {
	urls := make([]string, n)
	for i := range urls {
		urls[i] = base + testsite.PagePath(i)
	}
	return urls
}

// baseline is the plain-Go way: one http.Client, a worker pool, read the
// body with io.ReadAll.
func baseline(urls []string, workers int) int64 {
	return pool(urls, workers, io.ReadAll)
}

// baselineTuned is the same, reading the body into a buffer sized by its
// Content-Length, as sluice does.
func baselineTuned(urls []string, workers int) int64 {
	return pool(urls, workers, nil)
}

func readSized(resp *http.Response) ([]byte, error) {
	if resp.ContentLength < 0 {
		return io.ReadAll(resp.Body)
	}
	buf := make([]byte, resp.ContentLength)
	_, err := io.ReadFull(resp.Body, buf)
	return buf, err
}

func pool(urls []string, workers int, readAll func(io.Reader) ([]byte, error)) int64 {
	client := &http.Client{Timeout: 30 * time.Second,
		Transport: &http.Transport{MaxIdleConns: 2 * workers, MaxIdleConnsPerHost: workers}}
	defer client.CloseIdleConnections()
	jobs := make(chan string, workers)
	var bytes atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for u := range jobs {
				resp, err := client.Get(u)
				if err != nil {
					continue
				}
				var body []byte
				if readAll != nil {
					body, _ = readAll(resp.Body)
				} else {
					body, _ = readSized(resp)
				}
				_ = resp.Body.Close()
				bytes.Add(int64(len(body)))
			}
		})
	}
	for _, u := range urls {
		jobs <- u
	}
	close(jobs)
	wg.Wait()
	return bytes.Load()
}

// sluice runs the same job as a pipeline: source → fetch → sink; the
// sink releases each response (its body's buffer is reused).
func sluice(b *testing.B, f *Fetcher, urls []string, workers int) int64 {
	var bytes atomic.Int64
	p := pipeline.New()
	reqs := pipeline.FromSeq(p, "urls", func(yield func(Request) bool) {
		for _, u := range urls {
			if !yield(Request{URL: u}) {
				return
			}
		}
	})
	pages := pipeline.Map(p, "fetch", reqs, f.Fetch, pipeline.Workers(workers))
	pipeline.Sink(p, "count", pages, pipeline.WriterFunc[*Response](func(_ context.Context, r *Response) error {
		bytes.Add(int64(len(r.Body)))
		r.Release()
		return nil
	}))
	if err := p.Run(context.Background()); err != nil {
		b.Fatal(err)
	}
	return bytes.Load()
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// heapSampler records the peak of live heap objects while it runs.
type heapSampler struct {
	stop chan struct{}
	done chan struct{}
	peak uint64
}

func sampleHeap() *heapSampler {
	h := &heapSampler{stop: make(chan struct{}), done: make(chan struct{})}
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	go func() {
		defer close(h.done)
		t := time.NewTicker(2 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(s)
			h.peak = max(h.peak, s[0].Value.Uint64())
			select {
			case <-h.stop:
				return
			case <-t.C:
			}
		}
	}()
	return h
}

func (h *heapSampler) end() float64 {
	close(h.stop)
	<-h.done
	return float64(h.peak) / (1 << 20)
}
