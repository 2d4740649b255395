package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sluicehq/sluice/dist/disttest"
	"github.com/sluicehq/sluice/testsite"
)

// startNATS starts an in-process JetStream server for the commands under
// test to connect to and returns its URL.
func startNATS(t *testing.T) string { return disttest.StartNATS(t).ClientURL() }

// scrapeCluster is a NATS server and a test site of pages, with their
// id,url CSV in a work directory.
func scrapeCluster(t *testing.T, pages int) (natsURL string, srv *testsite.Server, dir string) {
	t.Helper()
	natsURL = startNATS(t)
	srv = startSite(t, pages, 0)
	dir = t.TempDir()
	writeSiteCSV(t, filepath.Join(dir, "urls.csv"), srv, pages)
	return natsURL, srv, dir
}

// process is a sluice command running in the background.
type process struct {
	cmd    *exec.Cmd
	out    watchedBuffer
	exited chan error
}

func startProcess(t *testing.T, dir string, args ...string) *process {
	t.Helper()
	p := &process{exited: make(chan error, 1)}
	p.out.changed = make(chan struct{}, 1)
	cmd := command(t, dir, args...)
	p.cmd = cmd
	cmd.Stdout, cmd.Stderr = &p.out, &p.out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.exited <- cmd.Wait() }()
	return p
}

// wait waits for the process to exit and returns its exit code.
func (p *process) wait(t *testing.T, what string) int {
	t.Helper()
	select {
	case err := <-p.exited:
		return exitStatus(t, err)
	case <-time.After(2 * time.Minute):
		t.Fatalf("%s did not exit:\n%s", what, p.out.String())
		return -1
	}
}

// workerRecords reads every per-worker JSONL file named like out under
// dir's worker directories and merges them as the README says: the last
// line per key wins. It returns the merged records and the line count.
func workerRecords(t *testing.T, dir, out string) (map[string]map[string]any, int) {
	t.Helper()
	ext := filepath.Ext(out)
	files, err := filepath.Glob(filepath.Join(dir, "w*", strings.TrimSuffix(out, ext)+".*"+ext))
	if err != nil || len(files) == 0 {
		t.Fatalf("no per-worker %s files under %s (%v)", out, dir, err)
	}
	merged := map[string]map[string]any{}
	lines := 0
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(fh)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			var rec map[string]any
			if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
				t.Fatalf("%s: %v: %s", f, err, sc.Text())
			}
			key, _ := rec["key"].(string)
			if key == "" {
				key, _ = rec["url"].(string)
			}
			merged[key] = rec
			lines++
		}
		fh.Close()
	}
	return merged, lines
}

var ledgerLine = regexp.MustCompile(`ledger: (\d+) enqueued = (\d+) written \+ (\d+) dead \+ (\d+) queued`)

// TestNATSCommands runs the README's three-worker commands end to end:
// workers started before the coordinator wait for its job, `sluice scrape
// --nats` enqueues a CSV, prints the cluster's progress and a balanced
// ledger once the workers drained the queue, the per-worker files merged
// by key hold every page that did not fail, and `sluice status` reports
// the finished job.
func TestNATSCommands(t *testing.T) {
	const pages = 300
	natsURL, srv, dir := scrapeCluster(t, pages)

	var workers []*process
	for i := range 3 {
		args := []string{"worker", "--nats", natsURL, "--dir", "w" + strconv.Itoa(i), "--exit-when-done"}
		if i == 0 {
			args = append(args, "--memory", "64MiB") // in place of the job's default 256 MiB
		}
		workers = append(workers, startProcess(t, dir, args...))
	}
	for _, w := range workers {
		w.out.waitFor(t, w.exited, "worker: waiting for a job on "+natsURL)
	}
	coord := startProcess(t, dir, "scrape", "urls.csv", "--key-column", "id", "--field", "title=h1.title", "-o", "out.jsonl",
		"--nats", natsURL)
	if code := coord.wait(t, "the coordinator"); code != exitOK {
		t.Fatalf("coordinator: exit %d\n%s", code, coord.out.String())
	}
	for i, w := range workers {
		if code := w.wait(t, "worker"); code != exitOK {
			t.Errorf("worker %d: exit %d\n%s", i, code, w.out.String())
		}
	}
	out := coord.out.String()
	m := ledgerLine.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no ledger:\n%s", out)
	}
	enq, _ := strconv.Atoi(m[1])
	written, _ := strconv.Atoi(m[2])
	dead, _ := strconv.Atoi(m[3])
	queued, _ := strconv.Atoi(m[4])
	failures := expectedFailures(srv, pages)
	if enq != pages || written != pages-failures || dead != failures || queued != 0 {
		t.Errorf("ledger %q, want %d enqueued = %d written + %d dead + 0 queued\n%s", m[0], pages, pages-failures, failures, out)
	}
	if !strings.Contains(out, "404") {
		t.Errorf("ledger lists no 404s among the failures:\n%s", out)
	}
	// The reasons under the ledger come most frequent first.
	counts := []int{}
	for _, m := range regexp.MustCompile(`(?m)^\s+(\d+)  \S.*$`).FindAllStringSubmatch(out[strings.Index(out, "ledger:"):], -1) {
		n, _ := strconv.Atoi(m[1])
		counts = append(counts, n)
	}
	if len(counts) < 2 || !slices.IsSortedFunc(counts, func(a, b int) int { return b - a }) {
		t.Errorf("reasons %v not listed most frequent first:\n%s", counts, out)
	}
	if !strings.Contains(out, "start workers with:\n  sluice worker --nats "+natsURL) {
		t.Errorf("the coordinator does not say how to start workers:\n%s", out)
	}

	recs, _ := workerRecords(t, dir, "out.jsonl")
	if len(recs) != written {
		t.Errorf("merged per-worker files hold %d keys, want %d", len(recs), written)
	}
	for key, rec := range recs {
		id, err := strconv.Atoi(key)
		if err != nil || id < 0 || id >= pages {
			t.Errorf("record with key %q: %v", key, rec)
			continue
		}
		if want := fmt.Sprintf("Catalogue page %d", id); rec["title"] != want || rec["url"] != srv.PageURL(id) {
			t.Errorf("key %s: %v, want title %q", key, rec, want)
		}
	}
	// Each worker says what it did, and together they did everything;
	// each says its peak memory against its budget: its own --memory, or
	// the job's.
	acked := 0
	for i, w := range workers {
		var a, wr, f int
		line := lastLineWith(w.out.String(), "worker ")
		if _, err := fmt.Sscanf(line, "worker %s %d inputs acked (%d written, %d failed)", new(string), &a, &wr, &f); err != nil {
			t.Fatalf("worker summary: %v\n%s", err, w.out.String())
		}
		acked += a
		budget := map[bool]string{true: "64", false: "256"}[i == 0]
		if !regexp.MustCompile(`; peak memory [0-9.]+ MiB of the ` + budget + ` MiB budget$`).MatchString(line) {
			t.Errorf("worker %d: summary %q, want its peak memory against a %s MiB budget", i, line, budget)
		}
	}
	if acked < pages {
		t.Errorf("workers acked %d inputs, want at least %d", acked, pages)
	}

	st := sluice(t, dir, "status", "--nats", natsURL)
	if st.code != exitOK || !strings.Contains(st.stdout+st.stderr, fmt.Sprintf("%d enqueued, %d done, 0 queued (0 in flight), %d dead; drained", pages, pages, failures)) {
		t.Errorf("status: exit %d\n%s%s", st.code, st.stdout, st.stderr)
	}
}

// lastLineWith is the last line of s that starts with prefix.
func lastLineWith(s, prefix string) string {
	last := ""
	for line := range strings.Lines(s) {
		if strings.HasPrefix(line, prefix) {
			last = strings.TrimSpace(line)
		}
	}
	return last
}

// TestNATSCrawlCommand: `sluice crawl --nats` with two workers extracts
// every product page of the shop once, merged from the workers' files,
// and the site sees every shop page requested exactly once across the
// cluster. A worker asked for a job that is not there with --wait=false,
// and one pointed at no server, fail at once with exit 1.
func TestNATSCrawlCommand(t *testing.T) {
	natsURL := startNATS(t)
	srv := startShop(t, 30, 0)
	dir := t.TempDir()

	r := sluice(t, dir, "worker", "--nats", natsURL, "--wait=false")
	if r.code != exitFailure || !strings.Contains(r.stderr, "the cluster has no job yet") {
		t.Errorf("worker --wait=false with no job: exit %d, want 1\n%s", r.code, r.stderr)
	}
	for _, args := range [][]string{
		{"worker", "--nats", "nats://127.0.0.1:1"},
		append(crawlArgs(srv, "products.jsonl"), "--nats", "nats://127.0.0.1:1"),
		{"status", "--nats", "nats://127.0.0.1:1"},
	} {
		begin := time.Now()
		r = sluice(t, dir, args...)
		if took := time.Since(begin); r.code != exitFailure || took > 5*time.Second || !strings.Contains(r.stderr, "127.0.0.1:1") {
			t.Errorf("%s with NATS unreachable: exit %d after %s, want 1 within 5 s, naming the server\n%s", args[0], r.code, took, r.stderr)
		}
	}

	coord := startProcess(t, dir, append(crawlArgs(srv, "products.jsonl"), "--nats", natsURL)...)
	var workers []*process
	for i := range 2 {
		workers = append(workers, startProcess(t, dir, "worker", "--nats", natsURL, "--dir", "w"+strconv.Itoa(i), "--exit-when-done"))
	}
	if code := coord.wait(t, "the coordinator"); code != exitOK {
		t.Fatalf("coordinator: exit %d\n%s", code, coord.out.String())
	}
	for i, w := range workers {
		if code := w.wait(t, "worker"); code != exitOK {
			t.Errorf("worker %d: exit %d\n%s", i, code, w.out.String())
		}
	}
	recs, _ := workerRecords(t, dir, "products.jsonl")
	var list []crawlRecord
	for _, rec := range recs {
		s := func(k string) string { v, _ := rec[k].(string); return v }
		list = append(list, crawlRecord{URL: s("url"), Name: s("name"), ID: s("id")})
	}
	checkProducts(t, srv, list)
	uris := srv.RequestURIs()
	for _, uri := range srv.ShopPages() {
		if uris[uri] != 1 {
			t.Errorf("%s requested %d times across the cluster, want 1", uri, uris[uri])
		}
	}
	out := coord.out.String()
	for _, want := range []string{"0 dead + 0 queued", "seen-set: ", " nofollow"} {
		if !strings.Contains(out, want) {
			t.Errorf("coordinator's ledger lacks %q:\n%s", want, out)
		}
	}
}

// TestNATSCoordinatorInterrupted: Ctrl-C on `sluice run --nats` stops the
// coordinator (exit 130, saying how to follow the job), not the job: a
// worker started afterwards runs every input. Running the job again takes
// --resume or --restart.
func TestNATSCoordinatorInterrupted(t *testing.T) {
	const pages = 40
	natsURL, srv, dir := scrapeCluster(t, pages)
	coord := startProcess(t, dir, "scrape", "urls.csv", "--key-column", "id", "--field", "title=h1.title", "-o", "out.jsonl", "--nats", natsURL)
	coord.out.waitFor(t, coord.exited, "start workers with:")
	if err := coord.cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	if code := coord.wait(t, "the coordinator"); code != exitInterrupted || !strings.Contains(coord.out.String(), "stopped watching job scrape; it goes on in the cluster") {
		t.Fatalf("coordinator after SIGINT: exit %d, want %d\n%s", code, exitInterrupted, coord.out.String())
	}
	w := startProcess(t, dir, "worker", "--nats", natsURL, "--dir", "w0", "--exit-when-done")
	if code := w.wait(t, "worker"); code != exitOK {
		t.Fatalf("worker: exit %d\n%s", code, w.out.String())
	}
	failures := expectedFailures(srv, pages)
	if recs, _ := workerRecords(t, dir, "out.jsonl"); len(recs) != pages-failures {
		t.Errorf("the worker wrote %d keys, want %d", len(recs), pages-failures)
	}
	st := sluice(t, dir, "status", "--nats", natsURL)
	if !strings.Contains(st.stdout, fmt.Sprintf("%d enqueued, %d done, 0 queued (0 in flight), %d dead; drained", pages, pages, failures)) {
		t.Errorf("status: exit %d\n%s%s", st.code, st.stdout, st.stderr)
	}

	// The same job again: refused as a single-process run refuses an
	// existing checkpoint, unless --resume (nothing enqueued twice) or
	// --restart (deleted, then enqueued afresh).
	scrape := []string{"scrape", "urls.csv", "--key-column", "id", "--field", "title=h1.title", "-o", "out.jsonl", "--nats", natsURL}
	r := sluice(t, dir, scrape...)
	if r.code != exitUsage || !strings.Contains(r.stderr, "job scrape is already in the cluster (40 enqueued, 40 done, 0 queued") ||
		!strings.Contains(r.stderr, "--resume") || !strings.Contains(r.stderr, "--restart") {
		t.Errorf("the job again: exit %d, want %d\n%s", r.code, exitUsage, r.stderr)
	}
	r = sluice(t, dir, append(scrape, "--resume")...)
	if r.code != exitOK || !strings.Contains(r.stderr, fmt.Sprintf("enqueued 0 inputs of job scrape (%d already queued earlier", pages)) {
		t.Errorf("--resume: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r = sluice(t, dir, append(scrape, "--resume", "--restart")...); r.code != exitUsage {
		t.Errorf("--resume --restart: exit %d, want %d\n%s", r.code, exitUsage, r.stderr)
	}
	coord = startProcess(t, dir, append(scrape, "--restart")...)
	coord.out.waitFor(t, coord.exited, fmt.Sprintf("enqueued %d inputs of job scrape (0 already queued earlier", pages))
	if !strings.Contains(coord.out.String(), "deleted job scrape from the cluster (40 enqueued, 40 done") {
		t.Errorf("--restart does not say what it deleted:\n%s", coord.out.String())
	}
	w = startProcess(t, dir, "worker", "--nats", natsURL, "--dir", "w1", "--exit-when-done")
	if code := w.wait(t, "worker"); code != exitOK {
		t.Fatalf("worker after --restart: exit %d\n%s", code, w.out.String())
	}
	if code := coord.wait(t, "the coordinator"); code != exitOK || !strings.Contains(coord.out.String(), fmt.Sprintf("ledger: %d enqueued = %d written + %d dead + 0 queued", pages, pages-failures, failures)) {
		t.Errorf("coordinator after --restart: exit %d\n%s", code, coord.out.String())
	}
	if !strings.Contains(w.out.String(), fmt.Sprintf("%d inputs acked (%d written, %d failed)", pages, pages-failures, failures)) {
		t.Errorf("the worker after --restart did not run every input again:\n%s", w.out.String())
	}
}
