package fetch

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sluicehq/sluice/testsite"
)

// newRobotsFile opens a RobotsFile in a new directory.
func newRobotsFile(t *testing.T) *RobotsFile {
	t.Helper()
	s, err := OpenRobotsFile(filepath.Join(t.TempDir(), "robots.json"), 0)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// A second Fetcher with the first one's store asks the host nothing more
// and keeps to the rules the first one fetched, Crawl-delay included,
// until RobotsTTL has passed since the fetch.
func TestRobotsStoreSkipsTheFetchWithinTTL(t *testing.T) {
	s := startSite(t, testsite.Config{Pages: 5, Robots: "User-agent: *\nDisallow: /products/1\nCrawl-delay: 2\n"})
	store := newRobotsFile(t)
	first, clock := newTestFetcher(t, Config{RobotsStore: store})
	mustFetch(t, first, FromURL(s.PageURL(0)))
	if n := s.Requests("/robots.txt"); n != 1 {
		t.Fatalf("robots.txt fetched %d times, want 1", n)
	}
	origin := s.URL()
	a, ok := store.LoadRobots(origin)
	if !ok || a.Status != 200 || !strings.Contains(string(a.Body), "Disallow: /products/1") || !a.Fetched.Equal(clock.now()) {
		t.Fatalf("store holds %+v, %v for %s", a, ok, origin)
	}

	second, clock2 := newTestFetcher(t, Config{RobotsStore: store})
	clock2.sleep(context.Background(), 23*time.Hour) // the stored answer is 23h old
	s.SetRobots(200, "User-agent: *\nDisallow:\n")   // changed on the site: not seen yet
	if e := mustFail(t, second, FromURL(s.PageURL(1))); !errors.Is(e, ErrDisallowed) {
		t.Errorf("a page the kept rules disallow: %v, want ErrDisallowed", e)
	}
	mustFetch(t, second, FromURL(s.PageURL(2)))
	mustFetch(t, second, FromURL(s.PageURL(3)))
	if n := s.Requests("/robots.txt"); n != 1 {
		t.Errorf("robots.txt fetched %d times in all, want 1: the second fetcher used the kept answer", n)
	}
	if got := clock2.slept(); len(got) != 2 || got[1] != 2*time.Second {
		t.Errorf("second fetcher slept %v, want the kept Crawl-delay of 2s between its two fetches", got)
	}

	// 24h after the fetch the answer is too old: asked again, and the
	// new rules allow the page.
	third, clock3 := newTestFetcher(t, Config{RobotsStore: store})
	clock3.sleep(context.Background(), 24*time.Hour)
	mustFetch(t, third, FromURL(s.PageURL(1)))
	if n := s.Requests("/robots.txt"); n != 2 {
		t.Errorf("robots.txt fetched %d times in all, want 2", n)
	}
	if a, _ := store.LoadRobots(origin); strings.Contains(string(a.Body), "/products/1") {
		t.Errorf("store still holds the old rules: %q", a.Body)
	}
}

// A 4xx is kept (no rules: all allowed); 5xx and 429 are not (the next
// run asks again), and neither is a host that could not be reached.
func TestRobotsStoreKeepsOnlyDecidingAnswers(t *testing.T) {
	for _, tc := range []struct {
		status int
		kept   bool
	}{{404, true}, {403, true}, {429, false}, {503, false}} {
		s := startSite(t, testsite.Config{Pages: 2, RobotsStatus: tc.status})
		store := newRobotsFile(t)
		f, _ := newTestFetcher(t, Config{RobotsStore: store, Retries: -1})
		f.Fetch(context.Background(), FromURL(s.PageURL(0)))
		a, ok := store.LoadRobots(s.URL())
		if ok != tc.kept || ok && (a.Status != tc.status || len(a.Body) != 0) {
			t.Errorf("robots.txt %d: store holds %+v, %v; want kept=%v with no body", tc.status, a, ok, tc.kept)
		}
		if tc.kept {
			again, _ := newTestFetcher(t, Config{RobotsStore: store})
			mustFetch(t, again, FromURL(s.PageURL(1)))
			if n := s.Requests("/robots.txt"); n != 1 {
				t.Errorf("robots.txt %d: fetched %d times, want 1", tc.status, n)
			}
		}
	}
	store := newRobotsFile(t)
	f, _ := newTestFetcher(t, Config{RobotsStore: store, Retries: -1})
	f.Fetch(context.Background(), FromURL("http://127.0.0.1:1/x")) // refused
	if store.Len() != 0 {
		t.Errorf("an unreachable host was kept: %d answers", store.Len())
	}
}

// RobotsFile keeps answers across opens: written on Close (the rules as
// text), read on open, answers older than its max age dropped, and past
// its host bound the oldest answer makes room for a new one.
func TestRobotsFileRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "job.robots.json")
	s, err := OpenRobotsFile(path, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	s.maxHosts = 3
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a store nothing was put in wrote a file: %v", err)
	}
	now := time.Now()
	s.StoreRobots("http://a", RobotsAnswer{Fetched: now.Add(-3 * time.Minute), Status: 200, Body: []byte("User-agent: *\nDisallow: /a\n")})
	s.StoreRobots("http://b", RobotsAnswer{Fetched: now.Add(-2 * time.Minute), Status: 404})
	s.StoreRobots("http://c", RobotsAnswer{Fetched: now.Add(-time.Minute), Status: 200, Body: []byte("x")})
	s.StoreRobots("http://old", RobotsAnswer{Fetched: now.Add(-2 * time.Hour), Status: 200})
	if s.Len() != 3 {
		t.Errorf("store holds %d answers, want 3 (its bound)", s.Len())
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); !strings.Contains(string(b), `"body":"x"`) {
		t.Errorf("the file does not hold the rules as text: %s", b)
	}
	r, err := OpenRobotsFile(path, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if r.Len() != 2 {
		t.Errorf("reopened store holds %d answers, want 2 (a made room for old, which is stale)", r.Len())
	}
	if a, ok := r.LoadRobots("http://c"); !ok || string(a.Body) != "x" || !a.Fetched.Equal(now.Add(-time.Minute)) {
		t.Errorf("http://c: %+v, %v", a, ok)
	}
	if a, ok := r.LoadRobots("http://b"); !ok || a.Status != 404 {
		t.Errorf("http://b: %+v, %v", a, ok)
	}
	for _, gone := range []string{"http://a", "http://old"} {
		if _, ok := r.LoadRobots(gone); ok {
			t.Errorf("%s was kept", gone)
		}
	}
	matches, _ := filepath.Glob(path + ".*.tmp")
	if len(matches) != 0 {
		t.Errorf("temporary files left: %v", matches)
	}
}

// A store file that does not parse is a cache lost, not a failed run: it
// opens empty and the next Close replaces it.
func TestRobotsFileDamagedStartsEmpty(t *testing.T) {
	path := filepath.Join(t.TempDir(), "job.robots.json")
	if err := os.WriteFile(path, []byte(`{"version":1,"hosts":{"http://a":`), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := OpenRobotsFile(path, 0)
	if err != nil || s.Len() != 0 {
		t.Fatalf("damaged file: %v, %d answers", err, s.Len())
	}
	s.StoreRobots("http://a", RobotsAnswer{Fetched: time.Now(), Status: 404})
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if r, err := OpenRobotsFile(path, 0); err != nil || r.Len() != 1 {
		t.Errorf("after Close: %v, %d answers, want 1", err, r.Len())
	}
	if _, err := OpenRobotsFile(t.TempDir(), 0); err == nil {
		t.Error("a directory in place of the file opened without an error")
	}
}

// The byte bound: the oldest answers make room for a new one's rules, and
// rules over the bound alone are not kept (the next run asks again).
func TestRobotsFileByteBound(t *testing.T) {
	s := newRobotsFile(t)
	s.maxBytes = 10
	now := time.Now()
	s.StoreRobots("http://x", RobotsAnswer{Fetched: now.Add(-3 * time.Second), Status: 200, Body: []byte("12345")})
	s.StoreRobots("http://y", RobotsAnswer{Fetched: now.Add(-2 * time.Second), Status: 200, Body: []byte("1234")})
	s.StoreRobots("http://z", RobotsAnswer{Fetched: now.Add(-time.Second), Status: 200, Body: []byte("123")})
	if _, ok := s.LoadRobots("http://x"); ok || s.Len() != 2 || s.bytes != 7 {
		t.Errorf("after z: x kept %v, %d answers, %d bytes; want x dropped, 2, 7", ok, s.Len(), s.bytes)
	}
	s.StoreRobots("http://y", RobotsAnswer{Fetched: now, Status: 200, Body: []byte("12345678901")})
	if _, ok := s.LoadRobots("http://y"); ok || s.Len() != 1 || s.bytes != 3 {
		t.Errorf("rules over the bound: y kept %v, %d answers, %d bytes; want y gone, 1, 3", ok, s.Len(), s.bytes)
	}
}
