package main

import (
	"context"
	_ "embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/sluicehq/sluice/job"
	"github.com/sluicehq/sluice/testsite"
)

//go:embed demo_job.yaml
var demoJob []byte

// demoFiles are the files the demo writes into its directory.
var demoFiles = []string{"urls.csv", "job.yaml", "demo.db", "demo.db-wal", "demo.db-shm", "demo.failed.jsonl", "demo.db.checkpoint"}

// demoFlags configure `sluice demo`.
type demoFlags struct {
	dir     string
	pages   int
	latency time.Duration
	run     runFlags
}

func (a *app) demoCmd() *cobra.Command {
	var df demoFlags
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Run an example job offline against a built-in test site",
		Long: `Start a test shop site in-process (with some latency and a sprinkle of
faults: 404s, 500s, connection resets, pages in other charsets), write a CSV
of its URLs and an example job into --dir, and run the job: CSV → fetch →
parse HTML → filter → SQLite. Then show where the records and the
dead-letter file are, and a few rows. Needs no network.

Each run starts afresh unless --resume is given.`,
		Example: `  go run ./cmd/sluice demo
  sluice demo --dir /tmp/demo --pages 2000
  sluice demo --resume      # after interrupting it with Ctrl-C`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error { return a.demo(cmd.Context(), df) },
	}
	f := cmd.Flags()
	f.StringVar(&df.dir, "dir", "sluice-demo", "directory for the demo's files")
	f.IntVar(&df.pages, "pages", 1000, "pages on the test site")
	f.DurationVar(&df.latency, "latency", 25*time.Millisecond, "latency the test site adds to each response")
	df.run.register(f)
	return cmd
}

func (a *app) demo(ctx context.Context, df demoFlags) error {
	if df.pages < 1 {
		return usageError(errors.New("--pages must be at least 1"))
	}
	srv, err := testsite.Start(testsite.Config{Pages: df.pages, Latency: df.latency, Faults: siteFaults(0.1)})
	if err != nil {
		return fmt.Errorf("demo: start test site: %w", err)
	}
	defer srv.Close()
	if err := prepareDemoDir(df.dir, srv, df.run.resume); err != nil {
		return err
	}
	fmt.Fprintf(a.Out, "sluice demo: test site %s with %d pages (%s latency, ~10%% faulty)\njob: %s\n\n",
		srv.URL(), df.pages, df.latency, filepath.Join(df.dir, "job.yaml"))
	j, err := job.Load(filepath.Join(df.dir, "job.yaml"), job.Options{Lookup: a.lookup})
	if err != nil {
		return err
	}
	df.run.restart = true
	hint := "sluice demo --dir " + shellQuote(df.dir) + " --resume"
	if err := a.execute(ctx, j, df.run, hint); err != nil {
		return err
	}
	if err := a.showDemoResults(ctx, j); err != nil {
		return err
	}
	return a.demoCrawl(ctx, srv, df)
}

// prepareDemoDir writes the demo's URLs and job, removing the files of an
// earlier demo unless resuming.
func prepareDemoDir(dir string, srv *testsite.Server, resume bool) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	if !resume {
		for _, name := range append(demoFiles, demoCrawlFiles...) {
			if err := os.Remove(filepath.Join(dir, name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return fmt.Errorf("demo: %w", err)
			}
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "job.yaml"), demoJob, 0o644); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	return writeURLs(filepath.Join(dir, "urls.csv"), srv)
}

// writeURLs writes a CSV of the site's page URLs: id,url.
func writeURLs(path string, srv *testsite.Server) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	w := csv.NewWriter(f)
	_ = w.Write([]string{"id", "url"})
	for id := range srv.Pages() {
		_ = w.Write([]string{strconv.Itoa(id), srv.PageURL(id)})
	}
	w.Flush()
	if err := errors.Join(w.Error(), f.Close()); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	return nil
}
