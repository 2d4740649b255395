package dist

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/sluicehq/sluice/testsite"
)

// BenchmarkDistributed times a job of 1,600 inputs over 32 hosts (16
// test sites under two names) with 50 ms latency, run by 1, 2 and 4
// worker processes of 8 fetch workers each, from the enqueue to the last
// ack (the workers are started and have taken their partitions first):
//
//	go test -run '^$' -bench Distributed -benchtime 1x ./dist
func BenchmarkDistributed(b *testing.B) {
	for _, n := range []int{1, 2, 4} {
		b.Run(fmt.Sprintf("workers=%d", n), func(b *testing.B) {
			for range b.N {
				b.StopTimer()
				elapsed := distributedRun(b, n)
				b.ReportMetric(elapsed.Seconds(), "s/run")
			}
		})
	}
}

func distributedRun(b *testing.B, workers int) time.Duration {
	srv := startNATS(b)
	_, js := connectJS(b, srv.ClientURL())
	ss := sites(b, 16, testsite.Config{Pages: 1000, Latency: 50 * time.Millisecond})
	dir := b.TempDir()
	writeInputs(b, dir, ss, 1600)
	spec := jobYAML("bench", "{workers: 8, per_host_concurrency: 8, retries: 0}", "{kind: jsonl, path: out.jsonl}")
	if err := os.WriteFile(filepath.Join(dir, "job.yaml"), []byte(spec), 0o644); err != nil {
		b.Fatal(err)
	}
	// An empty job first, so the queue exists for the workers to join.
	set := Settings{Partitions: 64, AckWait: 10 * time.Second}
	empty := filepath.Join(dir, "empty")
	if err := os.MkdirAll(empty, 0o755); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(empty, "urls.csv"), []byte("id,url\n"), 0o644); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(empty, "job.yaml"), []byte(spec), 0o644); err != nil {
		b.Fatal(err)
	}
	enqueue(b, js, empty, set)
	meta, _ := js.KeyValue(context.Background(), NamesFor("bench").StatsBucket())
	var m Meta
	_, _ = getJSON(context.Background(), meta, metaKey, &m)
	m.Done = false // keep the workers waiting for the real inputs
	_ = putJSON(context.Background(), meta, metaKey, m)
	for range workers {
		startChild(b, srv.ClientURL(), dir)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	for { // wait until the workers share every partition
		st, err := ReadStatus(ctx, js, "bench")
		if err == nil && len(st.Workers) == workers && len(st.Leases) == set.Partitions && balanced(st, workers) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	start := time.Now()
	enqueue(b, js, dir, set)
	if _, err := Wait(ctx, js, "bench", 20*time.Millisecond, nil); err != nil {
		b.Fatal(err)
	}
	return time.Since(start)
}

// balanced reports whether every worker holds its share of partitions.
func balanced(st Status, workers int) bool {
	per := map[string]int{}
	for _, w := range st.Leases {
		per[w]++
	}
	for _, n := range per {
		if n > (st.Meta.Partitions+workers-1)/workers {
			return false
		}
	}
	return len(per) == workers
}
