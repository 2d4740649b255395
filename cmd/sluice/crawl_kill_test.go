package main

import (
	"bytes"
	bin "encoding/binary"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// TestCrawlKillResume SIGKILLs `sluice crawl` at random points once it
// has committed pages, then resumes it until it finishes. The records
// are exactly the uninterrupted crawl's product pages, each written once.
// The only pages the server saw twice were in flight at a kill: taken
// from the frontier and not yet committed. That count is read from the
// store after each kill (its flight records, plus entries still queued
// on disk that the killed run had already requested), and the excess
// requests must not exceed it. By construction it is at most one commit
// round (--commit-every) plus what the stages from fetch to write hold:
// their workers and channel buffers.
func TestCrawlKillResume(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes; skipped with -short")
	}
	srv := startShop(t, 500, 3*time.Millisecond)
	dir := t.TempDir()
	args := crawlArgs(srv, "out.jsonl", "--commit-every", "10", "-q")
	seed := rand.Uint64()
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, seed))
	inFlight := map[string]bool{}
	kills, flight := 0, 0
	for kills < 3 {
		before := srv.RequestURIs()
		run := args
		if kills > 0 {
			run = append(run, "--resume")
		}
		if !killAfterRecords(t, dir, run, 15, time.Duration(rng.IntN(60))*time.Millisecond) {
			break
		}
		kills++
		n := unfinished(t, filepath.Join(dir, "out.jsonl.frontier"), before, srv.RequestURIs(), inFlight)
		flight += n
		t.Logf("kill %d: %d records, %d pages in flight", kills, len(crawlRecords(t, filepath.Join(dir, "out.jsonl"))), n)
	}
	if kills == 0 {
		t.Fatal("the first run finished before it could be killed; make the shop bigger")
	}
	r := sluice(t, dir, append(args, "--resume")...)
	if r.code != 0 {
		t.Fatalf("final run: exit %d\n%s", r.code, r.stderr)
	}
	checkProducts(t, srv, crawlRecords(t, filepath.Join(dir, "out.jsonl")))
	excess := int64(0)
	for uri, n := range srv.RequestURIs() {
		if n <= 1 || uri == "/robots.txt" || uri == "/shop/sitemap.xml" {
			continue
		}
		excess += n - 1
		if !inFlight[uri] {
			t.Errorf("%s requested %d times, but it was not in flight at a kill", uri, n)
		}
	}
	if excess > int64(flight) {
		t.Errorf("%d repeated requests, more than the %d pages in flight at the kills", excess, flight)
	}
	t.Logf("%d kills, %d pages in flight at them, %d repeated requests", kills, flight, excess)
}

// killAfterRecords runs sluice with args in dir and SIGKILLs it delay
// after out.jsonl has grown by at least records lines. It reports false,
// without killing, when the run ended first.
func killAfterRecords(t *testing.T, dir string, args []string, records int, delay time.Duration) bool {
	t.Helper()
	out := filepath.Join(dir, "out.jsonl")
	start := lineCount(out)
	cmd := command(t, dir, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	deadline := time.After(time.Minute)
	for lineCount(out) < start+records {
		select {
		case err := <-exited:
			if code := exitStatus(t, err); code != 0 {
				t.Fatalf("run failed: exit %d\n%s", code, stderr.String())
			}
			return false
		case <-deadline:
			_ = cmd.Process.Signal(syscall.SIGKILL)
			<-exited
			t.Fatalf("no records in a minute\n%s", stderr.String())
		case <-time.After(2 * time.Millisecond):
		}
	}
	select {
	case err := <-exited:
		if code := exitStatus(t, err); code != 0 {
			t.Fatalf("run failed: exit %d\n%s", code, stderr.String())
		}
		return false
	case <-time.After(delay):
	}
	_ = cmd.Process.Signal(syscall.SIGKILL)
	<-exited
	return true
}

func lineCount(path string) int {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	return bytes.Count(b, []byte{'\n'})
}

// unfinished adds to set the request URIs of the pages the killed run
// left in flight, and returns how many there are: the store's flight
// records, and the entries still queued on disk that the run requested
// (taken after the store's last write).
func unfinished(t *testing.T, path string, before, after map[string]int64, set map[string]bool) int {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	n := 0
	add := func(key string, requested bool) error {
		u, err := url.Parse(key)
		if err != nil {
			return err
		}
		if uri := u.RequestURI(); requested || after[uri] > before[uri] {
			set[uri] = true
			n++
		}
		return nil
	}
	err = db.View(func(tx *bolt.Tx) error {
		if err := tx.Bucket([]byte("flight")).ForEach(func(k, _ []byte) error { return add(string(k), true) }); err != nil {
			return err
		}
		queue := tx.Bucket([]byte("queue"))
		return queue.ForEachBucket(func(host []byte) error {
			return queue.Bucket(host).ForEach(func(_, v []byte) error { return add(storedKey(v), false) })
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// storedKey reads the key of a stored entry: a uvarint depth, then the
// length-prefixed key (see stages/crawl/store.go).
func storedKey(v []byte) string {
	_, n := bin.Uvarint(v)
	l, m := bin.Uvarint(v[n:])
	return string(v[n+m : n+m+int(l)])
}
