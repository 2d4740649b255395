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

	"github.com/sluicehq/sluice/testsite"
)

const (
	pages   = 20000
	workers = 32
)

// bins are the two programs under test, built once.
var bins struct{ sluice, baseline string }

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "sluice-bench")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	bins.sluice = filepath.Join(dir, "sluice")
	bins.baseline = filepath.Join(dir, "baseline")
	code := 1
	if err := build(bins.sluice, "../cmd/sluice"); err != nil {
		fmt.Fprintln(os.Stderr, err)
	} else if err := build(bins.baseline, "./baseline"); err != nil {
		fmt.Fprintln(os.Stderr, err)
	} else {
		code = m.Run()
	}
	if code == 0 {
		if err := goleak.Find(); err != nil {
			fmt.Fprintln(os.Stderr, "goleak:", err)
			code = 1
		}
	}
	os.RemoveAll(dir)
	os.Exit(code)
}

func build(out, pkg string) error {
	cmd := exec.Command("go", "build", "-o", out, pkg)
	cmd.Stderr = os.Stderr
	return cmd.Run()
}

// usage is what one child process used.
type usage struct {
	wall time.Duration
	cpu  time.Duration // user + system
	rss  int64         // peak resident set, bytes
}

// reqPerCPUSecond is pages fetched per CPU-second.
func (u usage) reqPerCPUSecond() float64 { return pages / u.cpu.Seconds() }

// setup starts the site and writes its URLs; it returns the work dir.
func setup(tb testing.TB) (dir string) {
	tb.Helper()
	srv, err := testsite.Start(testsite.Config{Pages: pages})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(srv.Close)
	dir = tb.TempDir()
	var b bytes.Buffer
	for id := range pages {
		b.WriteString(srv.PageURL(id))
		b.WriteByte('\n')
	}
	if err := os.WriteFile(filepath.Join(dir, "urls.txt"), b.Bytes(), 0o644); err != nil {
		tb.Fatal(err)
	}
	job := fmt.Sprintf(`source: {kind: lines, path: urls.txt}
fetch: {workers: %d, per_host_concurrency: %d}
parse:
  html:
    fields:
      - {name: title, selector: h1.title}
      - {name: price, selector: div.price, attr: data-amount, type: float}
      - {name: items, selector: li.item, take: count}
sink: {path: out.jsonl}
`, workers, workers)
	if err := os.WriteFile(filepath.Join(dir, "job.yaml"), []byte(job), 0o644); err != nil {
		tb.Fatal(err)
	}
	return dir
}

// runSluice runs the sluice command over the site once, with its own GC
// setting (GOGC=200, see cmd/sluice/gc.go).
func runSluice(tb testing.TB, dir string) usage { return runSluiceEnv(tb, dir) }

// runSluiceGOGC100 runs it with the Go default GC setting, the same as the
// baseline's, to show what the GC setting is worth.
func runSluiceGOGC100(tb testing.TB, dir string) usage { return runSluiceEnv(tb, dir, "GOGC=100") }

func runSluiceEnv(tb testing.TB, dir string, env ...string) usage {
	args := []string{"run", "job.yaml", "--quiet", "--restart"}
	if prof := os.Getenv("SLUICE_BENCH_CPUPROFILE"); prof != "" {
		args = append(args, "--cpuprofile", prof)
	}
	return measure(tb, dir, env, bins.sluice, args...)
}

// runBaseline runs the hand-written pool over the site once.
func runBaseline(tb testing.TB, dir string) usage {
	return measure(tb, dir, nil, bins.baseline, "-urls", "urls.txt", "-out", "out.jsonl", "-workers", fmt.Sprint(workers))
}

func measure(tb testing.TB, dir string, env []string, bin string, args ...string) usage {
	tb.Helper()
	os.Remove(filepath.Join(dir, "out.jsonl"))
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		tb.Fatalf("%s: %v\n%s", filepath.Base(bin), err, stderr.String())
	}
	u := usage{wall: time.Since(start), cpu: cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		u.rss = ru.Maxrss * 1024 // kilobytes on Linux
	}
	if n := countLines(tb, filepath.Join(dir, "out.jsonl")); n != pages {
		tb.Fatalf("%s wrote %d lines, want %d", filepath.Base(bin), n, pages)
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

func report(b *testing.B, us []usage) {
	var cpu, wall time.Duration
	var rss int64
	for _, u := range us {
		cpu += u.cpu
		wall += u.wall
		rss = max(rss, u.rss)
	}
	n := float64(len(us))
	b.ReportMetric(pages*n/cpu.Seconds(), "req/cpu-s")
	b.ReportMetric(pages*n/wall.Seconds(), "req/s")
	b.ReportMetric(float64(rss)/(1<<20), "peak-rss-MiB")
	b.ReportMetric(0, "ns/op")
}

// BenchmarkEndToEnd runs the sluice command and the hand-written baseline
// side by side over the same 20,000 pages; each op is a whole run.
func BenchmarkEndToEnd(b *testing.B) {
	dir := setup(b)
	for _, c := range []struct {
		name string
		run  func(testing.TB, string) usage
	}{{"sluice", runSluice}, {"sluice-GOGC100", runSluiceGOGC100}, {"baseline", runBaseline}} {
		b.Run(c.name, func(b *testing.B) {
			var us []usage
			for b.Loop() {
				us = append(us, c.run(b, dir))
			}
			report(b, us)
		})
	}
}
