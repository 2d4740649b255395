//go:build unix

package job

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/sluicehq/sluice/observe"
	"github.com/sluicehq/sluice/testsite"
)

// A source reading a FIFO (as /dev/stdin and a shell's <(zcat urls.gz)
// are pipes) reads it once: neither the progress count nor the CSV header
// check may read it first, or the run ends with exit 0 and none of the
// inputs, which those readers took.
func TestRunReadsAPipeOnce(t *testing.T) {
	srv := startSite(t, testsite.Config{Pages: 30})
	for _, kind := range []string{"lines", "csv", "jsonl"} {
		t.Run(kind, func(t *testing.T) {
			dir := t.TempDir()
			fifo := filepath.Join(dir, "urls.fifo")
			if err := syscall.Mkfifo(fifo, 0o600); err != nil {
				t.Skipf("no FIFO here: %v", err)
			}
			writeFile(t, filepath.Join(dir, "job.yaml"), titleJob(kind, "urls.fifo"))
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
				if kind == "csv" {
					fmt.Fprintln(f, "id,url")
				}
				for id := range 30 {
					switch kind {
					case "lines":
						fmt.Fprintln(f, srv.PageURL(id))
					case "csv":
						fmt.Fprintf(f, "%d,%s\n", id, srv.PageURL(id))
					case "jsonl":
						fmt.Fprintf(f, "{\"url\": %q}\n", srv.PageURL(id))
					}
				}
				wrote <- f.Close()
			}()
			var rep Report
			ran := make(chan struct{})
			go func() {
				defer close(ran)
				rep, err = Run(context.Background(), j, RunOptions{})
			}()
			select {
			case <-ran:
			case <-time.After(15 * time.Second):
				// Something read the pipe before the source, which now waits
				// to open it for a writer that has gone: give it one.
				if f, err := os.OpenFile(fifo, os.O_WRONLY, 0); err == nil {
					f.Close()
				}
				<-ran
			}
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
		})
	}
}
