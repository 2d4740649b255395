package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sluicehq/sluice/internal/leakcheck"
	"github.com/sluicehq/sluice/testsite"
)

// TestMain runs main in a child process when asked (the kill test), and
// else the tests with goleak.
func TestMain(m *testing.M) {
	if args := os.Getenv("CUSTOM_KINDS_CHILD"); args != "" {
		os.Args = append([]string{"custom-kinds"}, strings.Fields(args)...)
		main()
		os.Exit(0)
	}
	leakcheck.VerifyTestMain(m)
}

// setup writes the job and a CSV of the test shop's pages into a new
// directory.
func setup(t *testing.T, site *testsite.Server) string {
	t.Helper()
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("id,url\n")
	for i := range site.Pages() {
		fmt.Fprintf(&b, "%d,%s\n", i, site.PageURL(i))
	}
	if err := os.WriteFile(filepath.Join(dir, "urls.csv"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	job, err := os.ReadFile("outbox-job.yaml")
	if err != nil {
		t.Fatal(err)
	}
	// Commit often, so a kill lands between commits.
	job = append(job, []byte("commit: {every: 10}\n")...)
	if err := os.WriteFile(filepath.Join(dir, "job.yaml"), job, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// outboxLines counts each distinct message of the outbox and checks every
// title was upper-cased by the custom stage.
func outboxLines(t *testing.T, path string) map[string]int {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	lines := map[string]int{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var m message
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("corrupt outbox line %q: %v", sc.Text(), err)
		}
		if title, _ := m.Record["title"].(string); title == "" || title != strings.ToUpper(title) {
			t.Fatalf("title %q not upper-cased by the custom stage", title)
		}
		if m.Topic != "products" {
			t.Fatalf("topic %q, want the job's option \"products\"", m.Topic)
		}
		lines[sc.Text()]++
	}
	return lines
}

// TestRunUninterrupted runs the job in-process through job.Run.
func TestRunUninterrupted(t *testing.T) {
	site, err := testsite.Start(testsite.Config{Pages: 30})
	if err != nil {
		t.Fatal(err)
	}
	defer site.Close()
	dir := setup(t, site)
	rep, err := run(context.Background(), filepath.Join(dir, "job.yaml"), false)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Done != 30 || rep.Failed != 0 || rep.Written == 0 {
		t.Fatalf("report %+v", rep)
	}
	lines := outboxLines(t, filepath.Join(dir, "outbox.jsonl"))
	total := 0
	for _, n := range lines {
		total += n
	}
	if int64(total) != rep.Written {
		t.Fatalf("outbox holds %d messages, report says %d written", total, rep.Written)
	}
}

// TestKillResumeExactlyOnce kills the program with SIGKILL mid-run,
// resumes it until it completes, and finds the outbox holding exactly the
// messages of an uninterrupted run, each once.
func TestKillResumeExactlyOnce(t *testing.T) {
	site, err := testsite.Start(testsite.Config{Pages: 300, Latency: 5 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer site.Close()
	want := func() map[string]int {
		dir := setup(t, site)
		if _, err := run(context.Background(), filepath.Join(dir, "job.yaml"), false); err != nil {
			t.Fatal(err)
		}
		return outboxLines(t, filepath.Join(dir, "outbox.jsonl"))
	}()

	dir := setup(t, site)
	jobPath := filepath.Join(dir, "job.yaml")
	kills := 0
	for attempt := 0; attempt < 20; attempt++ {
		args := jobPath
		if attempt > 0 {
			args = "-resume " + jobPath
		}
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), "CUSTOM_KINDS_CHILD="+args)
		out := &strings.Builder{}
		cmd.Stdout, cmd.Stderr = out, out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		if kills < 3 {
			// Kill once some messages are committed, or after 3 s.
			deadline := time.Now().Add(3 * time.Second)
			for time.Now().Before(deadline) {
				if st, err := os.Stat(filepath.Join(dir, "outbox.jsonl")); err == nil && st.Size() > int64(2000*(kills+1)) {
					break
				}
				time.Sleep(5 * time.Millisecond)
			}
			if err := cmd.Process.Signal(syscall.SIGKILL); err == nil {
				if werr := <-done; werr != nil {
					kills++
					continue
				}
				break // it had finished before the kill
			}
		}
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("resumed run failed: %v\n%s", err, out)
			}
		case <-time.After(2 * time.Minute):
			_ = cmd.Process.Kill()
			t.Fatal("resumed run did not finish")
		}
		break
	}
	if kills == 0 {
		t.Fatal("no kill landed mid-run")
	}
	got := outboxLines(t, filepath.Join(dir, "outbox.jsonl"))
	if !maps.Equal(got, want) {
		var extra, missing []string
		for l, n := range got {
			if want[l] != n {
				extra = append(extra, fmt.Sprintf("%dx %s", n, l))
			}
		}
		for l := range want {
			if got[l] == 0 {
				missing = append(missing, l)
			}
		}
		slices.Sort(extra)
		t.Fatalf("after %d kills the outbox differs from an uninterrupted run: %d wrong counts (e.g. %v), %d missing", kills, len(extra), first(extra), len(missing))
	}
	t.Logf("%d kills, %d distinct messages, each exactly once", kills, len(got))
}

func first(s []string) []string {
	if len(s) > 3 {
		return s[:3]
	}
	return s
}

// A commit killed mid-write leaves a line without its newline: opening
// the outbox drops it, and only it.
func TestCutTornTail(t *testing.T) {
	path := filepath.Join(t.TempDir(), "outbox.jsonl")
	for _, c := range []struct{ in, want string }{
		{"", ""}, {"{\"key\":\"a\"}\n", "{\"key\":\"a\"}\n"},
		{"{\"key\":\"a\"}\n{\"key\":\"b", "{\"key\":\"a\"}\n"}, {"{\"ke", ""},
	} {
		if err := os.WriteFile(path, []byte(c.in), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := cutTornTail(path); err != nil {
			t.Fatal(err)
		}
		if got, _ := os.ReadFile(path); string(got) != c.want {
			t.Errorf("%q: left %q, want %q", c.in, got, c.want)
		}
	}
	if err := cutTornTail(filepath.Join(t.TempDir(), "none")); err != nil {
		t.Errorf("missing file: %v", err)
	}
}
