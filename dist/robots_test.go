package dist

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/sluicehq/sluice/testsite"
)

// TestRobotsOncePerCluster runs a job over 16 hosts (eight test sites
// under two names each) in two batches: the first with one worker, the
// second after two more workers joined and took partitions from it.
// Every host's robots.txt is fetched once for the whole cluster, though
// three workers and several rounds (each a new fetch stage) saw it.
func TestRobotsOncePerCluster(t *testing.T) {
	srv := startNATS(t)
	_, js := connectJS(t, srv.ClientURL())
	ss := sites(t, 8, testsite.Config{Pages: 200, Latency: 5 * time.Millisecond})
	batch := 400
	if raceEnabled {
		batch = 160
	}
	spec := jobYAML("robots", "{workers: 8, per_host_concurrency: 2, retries: 0}", "{kind: jsonl, path: out.jsonl}")
	dir, second := t.TempDir(), t.TempDir()
	for i, d := range []string{dir, second} {
		writeBatch(t, d, ss, fmt.Sprintf("b%d-", i), batch)
		if err := os.WriteFile(filepath.Join(d, "job.yaml"), []byte(spec), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	set := Settings{Partitions: 8, AckWait: 5 * time.Second}
	enqueue(t, js, dir, set)
	holdOpen(t, js, "robots") // the workers wait for the second batch
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	workers := []*child{startChild(t, srv.ClientURL(), dir)}
	for {
		st, err := ReadStatus(ctx, js, "robots")
		if err == nil && st.Done == int64(batch) {
			break
		}
		if ctx.Err() != nil {
			t.Fatalf("first batch not done: %+v", st)
		}
		time.Sleep(50 * time.Millisecond)
	}
	for range 2 {
		workers = append(workers, startChild(t, srv.ClientURL(), dir))
	}
	for { // the newcomers take their share of the partitions
		st, err := ReadStatus(ctx, js, "robots")
		if err == nil && len(st.Workers) == 3 && len(st.Leases) == set.Partitions && balanced(st, 3) {
			break
		}
		if ctx.Err() != nil {
			t.Fatalf("partitions not shared: %+v", st)
		}
		time.Sleep(50 * time.Millisecond)
	}
	enqueue(t, js, second, set)
	l, err := Wait(ctx, js, "robots", 100*time.Millisecond, nil)
	if err != nil {
		dumpStatus(t, js, "robots")
		t.Fatal(err)
	}
	for _, w := range workers {
		if err := <-w.done; err != nil {
			t.Errorf("worker exit: %v", err)
		}
	}
	if l.Written+l.Dead != int64(2*batch) {
		t.Errorf("%d inputs done, want %d", l.Written+l.Dead, 2*batch)
	}
	for _, s := range ss {
		// Two hosts a site (its address and localhost), one fetch each.
		if n := s.Requests("/robots.txt"); n != 2 {
			t.Errorf("site %s: robots.txt fetched %d times for its 2 hosts, want 2", s.Addr(), n)
		}
	}
}

// writeBatch writes urls.csv in dir: n inputs keyed prefix0, prefix1, ...
// spread over every site under both its names.
func writeBatch(t *testing.T, dir string, ss []*testsite.Server, prefix string, n int) {
	t.Helper()
	var b strings.Builder
	b.WriteString("id,url\n")
	for i := range n {
		s := ss[i%len(ss)]
		base := s.URL()
		if (i/len(ss))%2 == 1 {
			base = s.AltURL()
		}
		fmt.Fprintf(&b, "%s%d,%s%s\n", prefix, i, base, testsite.PagePath((i/len(ss))%s.Pages()))
	}
	if err := os.WriteFile(filepath.Join(dir, "urls.csv"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// holdOpen marks the job's enqueueing unfinished, so that workers run
// with ExitWhenDone wait for more inputs.
func holdOpen(t *testing.T, js jetstream.JetStream, name string) {
	t.Helper()
	ctx := context.Background()
	kv, err := js.KeyValue(ctx, NamesFor(name).StatsBucket())
	if err != nil {
		t.Fatal(err)
	}
	var m Meta
	if _, err := getJSON(ctx, kv, metaKey, &m); err != nil {
		t.Fatal(err)
	}
	m.Done = false
	if err := putJSON(ctx, kv, metaKey, m); err != nil {
		t.Fatal(err)
	}
}
