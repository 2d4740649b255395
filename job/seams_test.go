package job

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/sluicehq/sluice/resume"
)

type countingTransport struct{ n atomic.Int64 }

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return http.DefaultTransport.RoundTrip(r)
}

// RunOptions.Checkpoint replaces the job's checkpoint file with a store
// the caller keeps (a JetStream bucket, say), and RunOptions.Transport
// carries every request of the fetch stage.
func TestRunWithAStoreAndATransportOfTheCallers(t *testing.T) {
	srv := faultySite(t, 15)
	j := siteJob(t, srv, 15, "")
	store, err := resume.Open(filepath.Join(t.TempDir(), "elsewhere.checkpoint"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	tr := &countingTransport{}
	rep, err := Run(context.Background(), j, RunOptions{Checkpoint: store, Transport: tr})
	if err != nil || rep.Done != 15 {
		t.Fatalf("%v %+v", err, rep)
	}
	if store.Len() != 15 {
		t.Fatalf("the caller's store holds %d keys, want 15", store.Len())
	}
	if _, err := os.Stat(j.Checkpoint); !os.IsNotExist(err) {
		t.Fatalf("the job's own checkpoint file was used: %v", err)
	}
	if _, err := os.Stat(j.robotsPath); !os.IsNotExist(err) {
		t.Fatalf("a run over the caller's store kept robots.txt beside the job's checkpoint: %v", err)
	}
	if tr.n.Load() != 16 { // robots.txt and 15 pages
		t.Fatalf("the transport carried %d requests, want 16", tr.n.Load())
	}
	// Resuming over the same store skips everything.
	rep, err = Run(context.Background(), j, RunOptions{Checkpoint: store, Resume: true})
	if err != nil || rep.Resumed != 15 || rep.Done != 0 {
		t.Fatalf("resume over the store: %v %+v", err, rep)
	}
}
