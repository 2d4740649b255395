package crawl_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"math/rand/v2"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sluicehq/sluice/testsite"
	bolt "go.etcd.io/bbolt"
)

// TestKillResume crawls the shop in a subprocess with a DiskStore,
// SIGKILLs it at random points after it has written pages, reopens the
// store in a new process each time, and lets the last run finish. The
// products written are exactly the uninterrupted crawl's, and no page
// marked done before a kill is fetched again: the only URLs the server
// saw twice were in flight (handed out, not marked done) at a kill.
func TestKillResume(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes; skipped with -short")
	}
	srv, err := testsite.Start(testsite.Config{Latency: 4 * time.Millisecond, Shop: testsite.ShopConfig{Products: 600}})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	srv.SetRobots(200, "Sitemap: "+srv.URL()+"/shop/sitemap.xml\n")
	dir := t.TempDir()
	env := append(os.Environ(), childEnv+"="+dir, childSiteEnv+"="+srv.URL())
	seed := rand.Uint64()
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, seed))
	inFlight := map[string]bool{} // request URIs in flight at some kill
	kills := 0
	for kills < 3 {
		if !killCrawl(t, env, filepath.Join(dir, "pages.txt"), time.Duration(rng.IntN(100))*time.Millisecond) {
			break
		}
		kills++
		n := flightURIs(t, filepath.Join(dir, "frontier.db"), inFlight)
		t.Logf("kill %d: %d pages written, %d not done", kills, len(pageLines(t, dir)), n)
	}
	if kills == 0 {
		t.Fatal("the first run finished before it could be killed; make the crawl longer")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^$")
	cmd.Env = env
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("final run: %v\n%s", err, out)
	}

	got := map[string]int{}
	for _, l := range pageLines(t, dir) {
		got[strings.Fields(l)[0]]++
	}
	want := srv.ShopProducts() + 1
	if len(got) != want {
		t.Errorf("%d distinct products written, want %d", len(got), want)
		for i := range want {
			if got[strconv.Itoa(i)] == 0 {
				t.Errorf("product %d missing", i)
			}
		}
	}
	for uri, n := range srv.RequestURIs() {
		if n > 1 && uri != "/robots.txt" && uri != "/shop/sitemap.xml" && !inFlight[uri] {
			t.Errorf("%s fetched %d times but was done before a kill", uri, n)
		}
	}
	t.Logf("%d kills, %d URIs in flight at a kill, %d products written (%d lines)", kills, len(inFlight), len(got), len(pageLines(t, dir)))
}

// killCrawl starts the crawl and SIGKILLs it delay after pages.txt has
// grown by 20 lines. It reports false, without killing, if the crawl
// finished first.
func killCrawl(t *testing.T, env []string, pages string, delay time.Duration) bool {
	t.Helper()
	start := fileSize(pages)
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	deadline := time.After(time.Minute)
	for fileSize(pages) < start+20*20 {
		select {
		case err := <-exited:
			if err != nil {
				t.Fatalf("child failed: %v\n%s", err, stderr.Bytes())
			}
			return false
		case <-deadline:
			cmd.Process.Signal(syscall.SIGKILL)
			<-exited
			t.Fatalf("child wrote nothing in a minute\n%s", stderr.Bytes())
		case <-time.After(time.Millisecond):
		}
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("child failed: %v\n%s", err, stderr.Bytes())
		}
		return false
	case <-time.After(delay):
	}
	cmd.Process.Signal(syscall.SIGKILL)
	<-exited
	return true
}

// flightURIs adds to set the request URIs of the entries the killed
// process left in flight or queued in the store's file: every entry not
// marked done. (A Next is written with the next batch, so an entry taken
// just before the kill may still show as queued; either way it is not
// done, and it is handed out again.)
func flightURIs(t *testing.T, path string, set map[string]bool) int {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	n := 0
	add := func(key string) error {
		u, err := url.Parse(key)
		if err != nil {
			return err
		}
		set[u.RequestURI()] = true
		n++
		return nil
	}
	err = db.View(func(tx *bolt.Tx) error {
		err := tx.Bucket([]byte("flight")).ForEach(func(k, _ []byte) error { return add(string(k)) })
		if err != nil {
			return err
		}
		queue := tx.Bucket([]byte("queue"))
		return queue.ForEachBucket(func(host []byte) error {
			return queue.Bucket(host).ForEach(func(_, v []byte) error { return add(entryKey(v)) })
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// entryKey reads the key of an encoded entry: a uvarint depth, then the
// length-prefixed key.
func entryKey(v []byte) string {
	_, n := binary.Uvarint(v)
	l, m := binary.Uvarint(v[n:])
	return string(v[n+m : n+m+int(l)])
}

func pageLines(t *testing.T, dir string) []string {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, "pages.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	return lines
}

func fileSize(path string) int64 {
	st, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return st.Size()
}
