package job

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

func TestSeenSet(t *testing.T) {
	s := newSeenSet()
	for i := range 100_000 {
		if !s.add(fmt.Sprint("k", i)) {
			t.Fatalf("key %d reported seen on first add", i)
		}
	}
	for i := range 100_000 {
		if s.add(fmt.Sprint("k", i)) {
			t.Fatalf("key %d reported new on second add", i)
		}
	}
	if s.n != 100_000 || len(s.slots) > 4*s.n {
		t.Fatalf("n %d slots %d", s.n, len(s.slots))
	}
}

// An input listed twice is fetched and written once and counted as a
// duplicate; keep_duplicates turns that off.
func TestRunSkipsDuplicateInputs(t *testing.T) {
	srv := faultySite(t, 10)
	dir := t.TempDir()
	var urls strings.Builder
	for _, id := range []int{1, 2, 1, 3, 2, 2} {
		fmt.Fprintln(&urls, srv.PageURL(id))
	}
	writeFile(t, filepath.Join(dir, "urls.txt"), urls.String())
	yaml := "source: {kind: lines, path: urls.txt%s}\nparse: {html: {fields: [{name: t, selector: h1.title}]}}\nsink: {path: out.jsonl}\n"
	writeFile(t, filepath.Join(dir, "job.yaml"), fmt.Sprintf(yaml, ""))
	j, err := Load(filepath.Join(dir, "job.yaml"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Run(context.Background(), j, RunOptions{})
	if err != nil || rep.Duplicates != 3 || rep.Done != 3 || rep.Inputs != 6 || srv.TotalRequests() != 3+1 {
		t.Fatalf("%v: duplicates %d done %d inputs %d requests %d", err, rep.Duplicates, rep.Done, rep.Inputs, srv.TotalRequests())
	}
	if n := len(readLines(t, j.Sink.Path)); n != 3 {
		t.Fatalf("wrote %d records, want 3", n)
	}
	writeFile(t, filepath.Join(dir, "job.yaml"), fmt.Sprintf(yaml, ", keep_duplicates: true"))
	j, err = Load(filepath.Join(dir, "job.yaml"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	rep, err = Run(context.Background(), j, RunOptions{Restart: true})
	if err != nil || rep.Duplicates != 0 || rep.Done != 6 {
		t.Fatalf("keep_duplicates: %v %+v", err, rep)
	}
}
