package dist

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/sluicehq/sluice/testsite"
)

// TestPerHostLimitClusterWide runs four worker processes, each with 16
// fetch workers, over four hosts with per_host_concurrency 2: the sites'
// high-water mark of concurrent requests per host must stay at 2 for the
// cluster, where four independent workers would reach 8.
func TestPerHostLimitClusterWide(t *testing.T) {
	srv := startNATS(t)
	_, js := connectJS(t, srv.ClientURL())
	ss := sites(t, 2, testsite.Config{Pages: 400, Latency: 20 * time.Millisecond})
	dir := t.TempDir()
	total := 1200
	if raceEnabled {
		total = 600
	}
	writeInputs(t, dir, ss, total)
	spec := jobYAML("polite", "{workers: 16, per_host_concurrency: 2, retries: 0}", "{kind: jsonl, path: out.jsonl}")
	if err := os.WriteFile(filepath.Join(dir, "job.yaml"), []byte(spec), 0o644); err != nil {
		t.Fatal(err)
	}
	enqueue(t, js, dir, Settings{Partitions: 8, AckWait: 5 * time.Second})
	var workers []*child
	for range 4 {
		workers = append(workers, startChild(t, srv.ClientURL(), dir))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	if _, err := Wait(ctx, js, "polite", 200*time.Millisecond, nil); err != nil {
		dumpStatus(t, js, "polite")
		t.Fatal(err)
	}
	for _, w := range workers {
		<-w.done
	}
	hosts := 0
	for _, s := range ss {
		for _, host := range []string{s.Addr(), HostOf(s.AltURL())} {
			peak := s.PeakConcurrency(host)
			t.Logf("host %s: %d requests, peak concurrency %d", host, s.HostRequests(host), peak)
			if peak > 2 {
				t.Errorf("host %s: peak concurrency %d across four workers, limit 2", host, peak)
			}
			if s.HostRequests(host) > 0 {
				hosts++
			}
		}
	}
	if hosts != 4 {
		t.Errorf("%d hosts requested, want 4", hosts)
	}
}
