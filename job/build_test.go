package job

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sluicehq/sluice/pipeline"
	"github.com/sluicehq/sluice/testsite"
)

// siteJob writes a job over n pages of srv into dir and loads it.
func siteJob(t *testing.T, srv *testsite.Server, n int, extra string) *Job {
	t.Helper()
	dir := t.TempDir()
	var urls strings.Builder
	for id := range n {
		fmt.Fprintln(&urls, srv.PageURL(id))
	}
	if err := os.WriteFile(filepath.Join(dir, "urls.txt"), []byte(urls.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	yaml := `source: {kind: lines, path: urls.txt}
fetch: {workers: 8, retries: -1}
parse:
  html:
    fields:
      - {name: title, selector: h1.title, required: true}
      - {name: price, selector: div.price, attr: data-amount, type: float}
sink: {path: out.jsonl}
` + extra
	path := filepath.Join(dir, "job.yaml")
	if err := os.WriteFile(path, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	j, err := Load(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return j
}

func readLines(t *testing.T, path string) []map[string]any {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []map[string]any
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatal(err)
		}
		out = append(out, m)
	}
	return out
}

func TestBuildRunsTheJob(t *testing.T) {
	srv, err := testsite.Start(testsite.Config{Pages: 50, Faults: []testsite.FaultRate{{Fault: testsite.FaultNotFound, Fraction: 0.1}}})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	j := siteJob(t, srv, 50, "filters: [{field: price, op: '>=', value: 50}]\n")
	var failures int
	r, err := j.Build(BuildOptions{OnFailure: func(context.Context, pipeline.Failure) error { failures++; return nil }})
	if err != nil {
		t.Fatal(err)
	}
	runErr := r.Pipeline.Run(context.Background())
	if err := errors.Join(runErr, r.Close()); err != nil {
		t.Fatal(err)
	}
	want404 := 0
	wantKept := 0
	for id := range 50 {
		if srv.PageFault(id) == testsite.FaultNotFound {
			want404++
		} else if p := srv.Page(id); p.Amount >= "50" && len(p.Amount) == 5 {
			wantKept++
		}
	}
	rows := readLines(t, j.Sink.Path)
	dead := readLines(t, j.DeadLetter.Path)
	if failures != want404 || len(dead) != want404 {
		t.Errorf("failures %d, dead letters %d, want %d", failures, len(dead), want404)
	}
	if len(rows) != wantKept || r.Records.Kept.Load() != int64(wantKept) || r.Records.Extracted.Load() != int64(50-want404) {
		t.Errorf("rows %d kept %d extracted %d, want %d kept of %d", len(rows), r.Records.Kept.Load(), r.Records.Extracted.Load(), wantKept, 50-want404)
	}
	if n := j.total(context.Background()); n != 50 {
		t.Errorf("total = %d", n)
	}
}

func TestBuildRefusesToOverwriteACheckpoint(t *testing.T) {
	srv, err := testsite.Start(testsite.Config{Pages: 5})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	j := siteJob(t, srv, 5, "")
	run := func(opts BuildOptions) error {
		r, err := j.Build(opts)
		if err != nil {
			return err
		}
		return errors.Join(r.Pipeline.Run(context.Background()), r.Close())
	}
	if err := run(BuildOptions{}); err != nil {
		t.Fatal(err)
	}
	var ce *CheckpointExistsError
	if err := run(BuildOptions{}); !errors.As(err, &ce) || ce.Done != 5 {
		t.Fatalf("second fresh run: %v", err)
	}
	before := srv.TotalRequests()
	if err := run(BuildOptions{Resume: true}); err != nil {
		t.Fatal(err)
	}
	if srv.TotalRequests() != before {
		t.Errorf("resume of a finished run fetched %d pages", srv.TotalRequests()-before)
	}
	if err := run(BuildOptions{Restart: true}); err != nil {
		t.Fatal(err)
	}
	if n := len(readLines(t, j.Sink.Path)); n != 5 {
		t.Errorf("after restart %d rows, want 5", n)
	}
}

func TestGraphOpensNothing(t *testing.T) {
	j, err := Decode("job.yaml", []byte(base), Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	g, err := j.Graph(true)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range g.Stages {
		names = append(names, s.Name)
	}
	if got := strings.Join(names, ","); got != "read,dedupe,resume,fetch,parse,write" {
		t.Errorf("stages = %s", got)
	}
	if _, err := os.Stat(j.Checkpoint); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Graph created the checkpoint: %v", err)
	}
}
