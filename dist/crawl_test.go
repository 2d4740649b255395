package dist

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/sluicehq/sluice/job"
	"github.com/sluicehq/sluice/testsite"
)

// shops starts n test sites whose robots.txt names their shop's sitemap.
func shops(t testing.TB, n int, cfg testsite.Config) []*testsite.Server {
	t.Helper()
	ss := sites(t, n, cfg)
	for _, s := range ss {
		s.SetRobots(200, "User-agent: *\nAllow: /\nSitemap: "+s.URL()+"/shop/sitemap.xml\n")
	}
	return ss
}

// crawlJobYAML is a crawl of every shop from its home page and its
// robots.txt sitemap, extracting product pages, into sink.
func crawlJobYAML(name string, ss []*testsite.Server, sink string) string {
	var urls []string
	for _, s := range ss {
		urls = append(urls, s.URL()+"/shop/")
	}
	return fmt.Sprintf(`name: %s
crawl:
  urls: [%s]
  robots_sitemaps: true
  extract: [{has: div.product}]
fetch: {workers: 4, retries: 1, backoff: 10ms, timeout: 5s}
parse:
  html:
    fields:
      - {name: name, selector: span.name, required: true}
      - {name: id, selector: div.product, attr: data-id}
sink: %s
commit: {every: 50, interval: 300ms}
`, name, strings.Join(urls, ", "), sink)
}

// writeJob writes spec to dir/job.yaml and loads it.
func writeJob(t testing.TB, dir, spec string) *job.Job {
	t.Helper()
	path := filepath.Join(dir, "job.yaml")
	if err := os.WriteFile(path, []byte(spec), 0o644); err != nil {
		t.Fatal(err)
	}
	j, err := job.Load(path, job.Options{Lookup: os.LookupEnv})
	if err != nil {
		t.Fatal(err)
	}
	return j
}

// jsonlURLs counts the url field of every record in the files matching
// pattern.
func jsonlURLs(t testing.TB, pattern string) map[string]int {
	t.Helper()
	files, err := filepath.Glob(pattern)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			var r struct {
				URL, Name, ID string
			}
			if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if r.Name == "" || !strings.HasSuffix(r.URL, "/shop/p/"+r.ID) {
				t.Errorf("record %+v", r)
			}
			out[r.URL]++
		}
		f.Close()
	}
	return out
}

// requests sums the server-side request counts of the sites, by URL.
func requests(ss []*testsite.Server) map[string]int64 {
	out := map[string]int64{}
	for _, s := range ss {
		for uri, n := range s.RequestURIs() {
			if uri != "/robots.txt" {
				out[s.URL()+uri] += n
			}
		}
		s.ResetStats()
	}
	return out
}

// runWorkers runs n in-process workers on the only job until the queue
// is drained.
func runWorkers(t *testing.T, url, dir string, n int) []WorkerStats {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var wg sync.WaitGroup
	stats := make([]WorkerStats, n)
	errs := make([]error, n)
	for i := range n {
		_, js := connectJS(t, url)
		w := &Worker{JS: js, Dir: dir, ExitWhenDone: true, StatsInterval: 200 * time.Millisecond}
		wg.Go(func() { stats[i], errs[i] = w.Run(ctx, nil) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	return stats
}

// TestDistributedCrawlExact crawls four test shops in one process, then
// with three workers sharing the cluster's queue and seen-set: the
// distributed crawl extracts the same pages, each once, and requests
// exactly the same URLs, each once (robots.txt aside, which the cluster
// caches), as the single-process crawl; the ledger balances and shows
// the crawl counts.
func TestDistributedCrawlExact(t *testing.T) {
	ss := shops(t, 4, testsite.Config{Shop: testsite.ShopConfig{Products: 60}})
	single := t.TempDir()
	j := writeJob(t, single, crawlJobYAML("dcrawl", ss, "{kind: jsonl, path: out.jsonl}"))
	rep, err := job.Run(context.Background(), j, job.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	wantPages := jsonlURLs(t, filepath.Join(single, "out.jsonl"))
	wantReqs := requests(ss)
	if len(wantPages) != 4*61 {
		t.Fatalf("single-process crawl extracted %d pages, want %d", len(wantPages), 4*61)
	}

	srv := startNATS(t)
	_, js := connectJS(t, srv.ClientURL())
	dir := t.TempDir()
	dj := writeJob(t, dir, crawlJobYAML("dcrawl", ss, "{kind: jsonl, path: out.jsonl}"))
	er, err := (&Coordinator{JS: js, Settings: Settings{Partitions: 8}}).Enqueue(context.Background(), dj, nil)
	if err != nil {
		t.Fatal(err)
	}
	if er.Enqueued != 4*62 { // each home page and the sitemap's home page and products
		t.Errorf("enqueued %+v, want %d seeds", er, 4*62)
	}
	stats := runWorkers(t, srv.ClientURL(), dir, 3)

	gotPages := jsonlURLs(t, filepath.Join(dir, "out.*.jsonl"))
	for u, n := range gotPages {
		if n != 1 {
			t.Errorf("%s extracted %d times", u, n)
		}
	}
	if !maps.Equal(onceEach(wantPages), onceEach(gotPages)) {
		t.Errorf("pages extracted: %d, single-process %d", len(gotPages), len(wantPages))
	}
	gotReqs := requests(ss)
	for u, n := range gotReqs {
		if n != 1 {
			t.Errorf("%s requested %d times", u, n)
		}
	}
	if !slices.Equal(slices.Sorted(maps.Keys(gotReqs)), slices.Sorted(maps.Keys(wantReqs))) {
		t.Errorf("URLs requested: %d, single-process %d", len(gotReqs), len(wantReqs))
	}
	busy := 0
	for _, s := range stats {
		if s.Acked > 0 {
			busy++
		}
	}
	if busy < 2 {
		t.Errorf("only %d of 3 workers took pages: %+v", busy, stats)
	}

	st, err := ReadStatus(context.Background(), js, "dcrawl")
	if err != nil {
		t.Fatal(err)
	}
	l, err := LedgerOf(context.Background(), js, st)
	if err != nil {
		t.Fatal(err)
	}
	c, want := l.Crawl, rep.Crawl
	t.Logf("ledger %+v; crawl %+v; single-process %+v", l, c, want)
	if !st.Drained() || !l.Balanced() || c == nil || l.Written+l.Dead != int64(len(gotReqs))-4 { // the sitemaps are not pages
		t.Fatalf("ledger %+v, %d pages requested", l, len(gotReqs))
	}
	if c.Stats.Pages != want.Pages || c.Stats.Nofollow != want.Nofollow || c.Stats.OutOfScope != want.OutOfScope ||
		c.Stats.Discovered != want.Discovered || c.Stats.Duplicate != want.Duplicate || c.Stats.FollowOnly != want.FollowOnly || c.Seen < int64(len(gotReqs))-4 {
		t.Errorf("crawl counts %+v, single-process %+v", c, want)
	}
}

func onceEach(m map[string]int) map[string]int {
	out := map[string]int{}
	for k := range m {
		out[k] = 1
	}
	return out
}

// TestDistributedCrawlSurvivesKills crawls four test shops with three
// worker processes into Postgres, SIGKILLing a worker (stopped first, so
// what it holds can be counted) and starting a new one three times, at a
// tenth, three tenths and half of the crawl: the
// pages extracted are the uninterrupted crawl's, each in Postgres once,
// nothing is dead-lettered, and the only URLs requested twice are pages
// the killed workers held unacked.
func TestDistributedCrawlSurvivesKills(t *testing.T) {
	conn, dsn, table := postgres(t)
	ss := shops(t, 4, testsite.Config{Latency: 20 * time.Millisecond, Shop: testsite.ShopConfig{Products: 200}})
	single := t.TempDir()
	j := writeJob(t, single, crawlJobYAML("kcrawl", ss, "{kind: jsonl, path: out.jsonl}"))
	if _, err := job.Run(context.Background(), j, job.RunOptions{}); err != nil {
		t.Fatal(err)
	}
	want := jsonlURLs(t, filepath.Join(single, "out.jsonl"))
	requests(ss)

	srv := startNATS(t)
	_, js := connectJS(t, srv.ClientURL())
	dir := t.TempDir()
	dj := writeJob(t, dir, crawlJobYAML("kcrawl", ss, "{kind: postgres, dsn: '"+dsn+"', table: "+table+"}"))
	if _, err := (&Coordinator{JS: js, Settings: Settings{Partitions: 8, AckWait: 3 * time.Second}}).Enqueue(context.Background(), dj, nil); err != nil {
		t.Fatal(err)
	}
	workers := []*child{}
	for range 3 {
		workers = append(workers, startChild(t, srv.ClientURL(), dir))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	// Kill by progress, not by the clock, so that a fast machine cannot
	// end the crawl before the third kill: at a tenth, three tenths and
	// half of the pages the single-process crawl extracted.
	kills, held := 0, 0
	at := []int{len(want) / 10, 3 * len(want) / 10, len(want) / 2}
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	var st Status
	for {
		var err error
		if st, err = ReadStatus(ctx, js, "kcrawl"); err != nil {
			t.Fatal(err)
		}
		if st.Drained() {
			break
		}
		select {
		case <-ctx.Done():
			dumpStatus(t, js, "kcrawl")
			t.Fatalf("not drained: %+v", st)
		case <-tick.C:
		}
		if kills < 3 && int(st.Done) >= at[kills] {
			i := kills % len(workers)
			held += killHolding(t, ctx, js, "kcrawl", workers[i])
			kills++
			workers[i] = startChild(t, srv.ClientURL(), dir)
		}
	}
	if kills < 3 {
		t.Fatalf("only %d kills before the crawl ended; make it longer", kills)
	}
	waitExits(t, workers, "the crawl ended")

	rows, err := conn.Query(ctx, "SELECT url, count(*) FROM "+table+" GROUP BY url")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for rows.Next() {
		var u string
		var n int
		if err := rows.Scan(&u, &n); err != nil {
			t.Fatal(err)
		}
		got[u] = n
		if n != 1 {
			t.Errorf("%s is in Postgres %d times", u, n)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if !maps.Equal(onceEach(got), onceEach(want)) {
		t.Errorf("%d pages in Postgres, the uninterrupted crawl extracted %d", len(got), len(want))
	}
	if dead, err := ReadDeadLetters(ctx, js, "kcrawl"); err != nil || len(dead) > 0 {
		t.Errorf("dead letters %+v (%v)", dead, err)
	}
	refetched := 0
	for u, n := range requests(ss) {
		if n > 1 {
			refetched += int(n - 1)
			if refetched > held {
				t.Logf("%s requested %d times", u, n)
			}
		}
	}
	l, err := LedgerOf(ctx, js, st)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d kills; %d pages held unacked by the killed workers, %d requests repeated; ledger %+v, crawl %+v", kills, held, refetched, l, l.Crawl)
	if refetched > held {
		t.Errorf("%d requests repeated, more than the %d pages the killed workers held", refetched, held)
	}
	if !l.Balanced() || l.Dead != 0 {
		t.Errorf("ledger %+v", l)
	}
}

// killHolding stops the worker, counts the messages of the partitions it
// leases that await an ack (what it holds: at most what is fetched
// again), kills it and returns the count.
func killHolding(t *testing.T, ctx context.Context, js jetstream.JetStream, name string, w *child) int {
	t.Helper()
	_ = w.cmd.Process.Signal(syscall.SIGSTOP)
	time.Sleep(100 * time.Millisecond) // let replies in flight to it land
	st, err := ReadStatus(ctx, js, name)
	if err != nil {
		t.Fatal(err)
	}
	pid := fmt.Sprintf("-%d-", w.cmd.Process.Pid)
	s, err := js.Stream(ctx, NamesFor(name).Stream())
	if err != nil {
		t.Fatal(err)
	}
	held := 0
	for p, holder := range st.Leases {
		if strings.Contains(holder, pid) {
			c, err := s.Consumer(ctx, NamesFor(name).Consumer(p))
			if err != nil {
				t.Fatal(err)
			}
			info, err := c.Info(ctx)
			if err != nil {
				t.Fatal(err)
			}
			held += info.NumAckPending
		}
	}
	_ = w.cmd.Process.Signal(syscall.SIGKILL)
	<-w.done
	t.Logf("killed worker %d holding %d pages; %d done, %d queued", w.cmd.Process.Pid, held, st.Done, st.Queued)
	return held
}
