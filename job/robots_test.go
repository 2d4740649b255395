package job

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sluicehq/sluice/testsite"
)

// A run keeps the robots.txt answers it fetched beside its checkpoint; a
// later run of the job (restarted here) keeps to them without asking the
// host again, and fresh_robots: true asks anew.
func TestRobotsKeptAcrossRuns(t *testing.T) {
	srv, err := testsite.Start(testsite.Config{Pages: 5, Robots: "User-agent: *\nDisallow: /products/3\n"})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	var csv strings.Builder
	csv.WriteString("id,lnk\n")
	for id := range 5 {
		fmt.Fprintf(&csv, "%d,%s\n", id, srv.PageURL(id))
	}
	dir, j := writeJob(t, csv.String(), "sink: {path: out.jsonl}\n")
	for round := range 2 {
		rep, err := Run(context.Background(), j, RunOptions{Restart: round > 0})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Written != 4 || rep.Failed != 1 {
			t.Errorf("run %d: %d written, %d failed; want 4 and 1 (robots.txt disallows one page)", round, rep.Written, rep.Failed)
		}
		if n := srv.Requests("/robots.txt"); n != 1 {
			t.Errorf("after run %d robots.txt was fetched %d times, want 1", round, n)
		}
		if srv.Requests(testsite.PagePath(3)) != 0 {
			t.Errorf("run %d requested the disallowed page", round)
		}
	}
	kept := readFile(t, filepath.Join(dir, "out.jsonl.robots.json"))
	if !strings.Contains(kept, srv.URL()) || !strings.Contains(kept, `"status":200`) {
		t.Errorf("robots store: %s", kept)
	}

	// The same job in another directory has no store yet: it asks.
	other, j := writeJob(t, csv.String(), "sink: {path: out.jsonl}\nfetch: {fresh_robots: true}\n")
	for round := range 2 {
		if _, err := Run(context.Background(), j, RunOptions{Restart: round > 0}); err != nil {
			t.Fatal(err)
		}
		if n := srv.Requests("/robots.txt"); n != 2+int64(round) {
			t.Errorf("fresh_robots, run %d: robots.txt fetched %d times in all, want %d", round, n, 2+round)
		}
	}
	if _, err := os.Stat(filepath.Join(other, "out.jsonl.robots.json")); !os.IsNotExist(err) {
		t.Errorf("a job with fresh_robots wrote a store: %v", err)
	}
}
