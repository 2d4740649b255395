//go:build unix

package job

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/sluicehq/sluice/observe"
	"github.com/sluicehq/sluice/testsite"
)

// A source reading a FIFO (as /dev/stdin or a shell's <(zcat urls.gz)
// are pipes) is not counted: the count would read the inputs the source
// waits for, and the run would end with none of them done.
func TestRunDoesNotCountAPipe(t *testing.T) {
	srv := startSite(t, testsite.Config{Pages: 30})
	dir := t.TempDir()
	fifo := filepath.Join(dir, "urls.fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("no FIFO here: %v", err)
	}
	writeFile(t, filepath.Join(dir, "job.yaml"), titleJob("lines", "urls.fifo"))
	j, err := Load(filepath.Join(dir, "job.yaml"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	wrote := make(chan error, 1)
	go func() {
		f, err := os.OpenFile(fifo, os.O_WRONLY, 0)
		if err != nil {
			wrote <- err
			return
		}
		for id := range 30 {
			fmt.Fprintln(f, srv.PageURL(id))
		}
		wrote <- f.Close()
	}()
	rep, err := Run(context.Background(), j, RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := <-wrote; err != nil {
		t.Fatal(err)
	}
	if rep.Outcome != observe.Complete || rep.Done != 30 || rep.Total != -1 {
		t.Fatalf("report: outcome %v, done %d, total %d; want complete, 30 done, total unknown", rep.Outcome, rep.Done, rep.Total)
	}
	if n := len(readLines(t, j.Sink.Path)); n != 30 {
		t.Fatalf("output holds %d records, want 30", n)
	}
}
