package dist

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/sluicehq/sluice/job"
	"github.com/sluicehq/sluice/testsite"
)

// TestWorkerConfigure: Configure sees the cluster's job set up for the
// worker (its own checkpoint) and what it changes is what runs: with the
// price field dropped (and the job validated again, which compiles its
// parse section anew), no record carries a price. An error from Configure
// ends Run with it, before anything is taken from the queue.
func TestWorkerConfigure(t *testing.T) {
	srv := startNATS(t)
	_, js := connectJS(t, srv.ClientURL())
	ss := sites(t, 1, testsite.Config{Pages: 40})
	dir := t.TempDir()
	const total = 40
	writeInputs(t, dir, ss, total)
	spec := jobYAML("configured", "{workers: 4, retries: 0}", "{kind: jsonl, path: out.jsonl}")
	if err := os.WriteFile(filepath.Join(dir, "job.yaml"), []byte(spec), 0o644); err != nil {
		t.Fatal(err)
	}
	enqueue(t, js, dir, Settings{Partitions: 2, AckWait: 5 * time.Second})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	boom := errors.New("no budget for this job")
	failing := &Worker{JS: js, Dir: t.TempDir(), Configure: func(*job.Job) error { return boom }}
	if st, err := failing.Run(ctx, nil); !errors.Is(err, boom) || st.Taken != 0 {
		t.Fatalf("Run with a failing Configure = %v, %d taken; want its error, nothing taken", err, st.Taken)
	}

	wdir := t.TempDir()
	var seen *job.Job
	w := &Worker{JS: js, Dir: wdir, ExitWhenDone: true, Configure: func(j *job.Job) error {
		seen = j
		fields := j.Parse.HTML.Fields[:0]
		for _, f := range j.Parse.HTML.Fields {
			if f.Name != "price" {
				fields = append(fields, f)
			}
		}
		j.Parse.HTML.Fields = fields
		return j.Validate() // the parse section is compiled: again, then
	}}
	st, err := w.Run(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if seen == nil || seen.Name != "configured" || filepath.Dir(filepath.Dir(seen.Checkpoint)) != wdir {
		t.Fatalf("Configure saw %+v, want the job configured with its checkpoint under %s", seen, wdir)
	}
	out, err := filepath.Glob(filepath.Join(wdir, "out.*.jsonl"))
	if err != nil || len(out) != 1 {
		t.Fatalf("per-worker output files %v (%v), want one", out, err)
	}
	f, err := os.Open(out[0])
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	lines := 0
	for sc := bufio.NewScanner(f); sc.Scan(); lines++ {
		var rec map[string]any
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatal(err)
		}
		if _, ok := rec["price"]; ok || rec["title"] == nil {
			t.Fatalf("record %v: want a title and no price", rec)
		}
	}
	if lines != total || st.Acked != total {
		t.Errorf("%d records, %d acked; want %d of each", lines, st.Acked, total)
	}
}
