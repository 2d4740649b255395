package job

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sluicehq/sluice/observe"
	"github.com/sluicehq/sluice/testsite"
)

// A second run on the same outputs is refused, naming the first run's
// pid, while the first goes on undisturbed.
func TestRunLocksItsOutputs(t *testing.T) {
	srv, err := testsite.Start(testsite.Config{Pages: 100, Latency: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	j := siteJob(t, srv, 100, "")
	started := make(chan struct{})
	var once sync.Once
	obs := observe.Func(func(e observe.Event) {
		if _, ok := e.(*observe.RunStarted); ok {
			once.Do(func() { close(started) })
		}
	})
	var first Report
	var firstErr error
	var wg sync.WaitGroup
	wg.Go(func() { first, firstErr = Run(context.Background(), j, RunOptions{Observers: []observe.Observer{obs}}) })
	<-started
	j2, err := Load(j.file, Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = Run(context.Background(), j2, RunOptions{Restart: true})
	wg.Wait()
	if err == nil || !strings.Contains(err.Error(), "another run is using these outputs") || !strings.Contains(err.Error(), "pid "+strconv.Itoa(pid())) {
		t.Fatalf("second run: %v, want a refusal naming pid %d", err, pid())
	}
	if firstErr != nil || first.Done != 100 {
		t.Fatalf("first run: %v %+v", firstErr, first)
	}
	// The lock is released with the run.
	if _, err := Run(context.Background(), j2, RunOptions{Restart: true}); err != nil {
		t.Fatalf("a run after the first ended: %v", err)
	}
}

// Resuming after the job was edited is refused, saying what changed and
// offering --restart; nothing is written.
func TestResumeRefusesAnEditedJob(t *testing.T) {
	srv := faultySite(t, 20)
	j := siteJob(t, srv, 20, "")
	if _, err := Run(context.Background(), j, RunOptions{}); err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(readFile(t, j.file), "h1.title", "h1", 1)
	writeFile(t, j.file, edited)
	j2, err := Load(j.file, Options{})
	if err != nil {
		t.Fatal(err)
	}
	before := readFile(t, j2.Sink.Path)
	_, err = Run(context.Background(), j2, RunOptions{Resume: true})
	if !IsUsage(err) || !strings.Contains(err.Error(), "fields changed from") || !strings.Contains(err.Error(), "--restart") {
		t.Fatalf("resume of an edited job: %v", err)
	}
	if readFile(t, j2.Sink.Path) != before {
		t.Fatal("the refused resume wrote to the output")
	}
	// The unedited job resumes fine (nothing left to do).
	writeFile(t, j.file, strings.Replace(edited, "selector: h1,", "selector: h1.title,", 1))
	j3, err := Load(j.file, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep, err := Run(context.Background(), j3, RunOptions{Resume: true}); err != nil || rep.Resumed != 20 {
		t.Fatalf("resume of the same job: %v %+v", err, rep)
	}
}
