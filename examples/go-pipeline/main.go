// Command go-pipeline is a sluice pipeline written in Go rather than YAML:
// it starts the built-in test shop, fetches its pages, extracts each
// page's title and price, keeps the pages under 50 €, and writes them to
// JSON Lines, with failures dead-lettered.
//
//	go run ./examples/go-pipeline
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/sluicehq/sluice/internal/testserver"
	"github.com/sluicehq/sluice/pipeline"
	"github.com/sluicehq/sluice/record"
	"github.com/sluicehq/sluice/sinks"
	"github.com/sluicehq/sluice/sources"
	"github.com/sluicehq/sluice/stages/extract"
	"github.com/sluicehq/sluice/stages/fetch"
	"github.com/sluicehq/sluice/stages/filter"
)

func main() {
	if err := run(context.Background(), os.Stdout, os.TempDir(), 100); err != nil {
		fmt.Fprintln(os.Stderr, "go-pipeline:", err)
		os.Exit(1)
	}
}

// run scrapes pages of a test site into dir/cheap.jsonl and reports.
func run(ctx context.Context, w io.Writer, dir string, pages int) error {
	site, err := testserver.Start(testserver.Config{Pages: pages,
		Faults: []testserver.FaultRate{{Fault: testserver.FaultNotFound, Fraction: 0.05}}})
	if err != nil {
		return err
	}
	defer site.Close()
	urls := make([]string, pages)
	for i := range urls {
		urls[i] = site.PageURL(i)
	}

	fetcher, err := fetch.New(fetch.Config{Workers: 16})
	if err != nil {
		return err
	}
	defer fetcher.Close()
	html, err := extract.NewHTML(extract.HTMLSpec{Fields: []extract.Field{
		{Name: "title", Selector: "h1.title", Required: true},
		{Name: "price", Selector: "div.price", Attr: "data-amount", Type: extract.TypeFloat},
	}})
	if err != nil {
		return err
	}
	cheap, err := filter.New(filter.Spec{Field: "price", Op: filter.OpLess, Value: 50})
	if err != nil {
		return err
	}
	out, _ := sinks.NewJSONL[record.Record](filepath.Join(dir, "cheap.jsonl"), sinks.JSONLConfig{})
	dead, _ := sinks.NewJSONL[sinks.FailureRecord](filepath.Join(dir, "cheap.failed.jsonl"), sinks.JSONLConfig{})
	dl := sinks.NewDeadLetter(dead, sinks.DeadLetterConfig{})

	p := pipeline.New(pipeline.OnFailure(dl.Handle))
	items := sources.URLs(p, "urls", urls)
	pagesOut := pipeline.Map(p, "fetch", items, func(ctx context.Context, it sources.Item) (*fetch.Response, error) {
		return fetcher.Fetch(ctx, it.Request())
	}, pipeline.Workers(16))
	recs := pipeline.FlatMap(p, "parse", pagesOut, html.Extract, pipeline.Workers(2))
	kept := pipeline.Filter(p, "cheap", recs, cheap.Keep)
	pipeline.Sink(p, "write", kept, out)

	runErr := p.Run(ctx)
	if err := dl.Close(context.Background()); err != nil && runErr == nil {
		runErr = err
	}
	if runErr != nil {
		return runErr
	}
	for _, st := range p.Stats() {
		fmt.Fprintf(w, "%-6s in %3d  out %3d  filtered %3d  failed %d\n", st.Name, st.In, st.Out, st.Filtered, st.Failed)
	}
	return nil
}
