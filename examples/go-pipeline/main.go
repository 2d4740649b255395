// Command go-pipeline is the README's Go example: it starts the bundled
// test shop on loopback, fetches its pages politely with 16 workers,
// extracts every listed item with CSS selectors, keeps the ones under 20 €,
// and writes them to a SQLite table, with failures in a dead-letter file.
//
//	go run ./examples/go-pipeline
package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/sluicehq/sluice/pipeline"
	"github.com/sluicehq/sluice/record"
	"github.com/sluicehq/sluice/sinks"
	"github.com/sluicehq/sluice/stages/extract"
	"github.com/sluicehq/sluice/stages/fetch"
	"github.com/sluicehq/sluice/stages/filter"
	"github.com/sluicehq/sluice/testsite"
)

func main() {
	dir, err := os.MkdirTemp("", "sluice-go-pipeline")
	if err == nil {
		err = run(context.Background(), dir, 40)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "go-pipeline:", err)
		os.Exit(1)
	}
}

// run scrapes pages 0..pages-1 of a local test shop into dir/items.db.
func run(ctx context.Context, dir string, pages int) error {
	site, err := testsite.Start(testsite.Config{Pages: pages})
	if err != nil {
		return err
	}
	defer site.Close()

	fetcher, err := fetch.New(fetch.Config{UserAgent: "sluice-example/1.0"})
	if err != nil {
		return err
	}
	defer fetcher.Close()
	items, err := extract.NewHTML(extract.HTMLSpec{
		Items: "li.item",
		Fields: []extract.Field{
			{Name: "name", Selector: "a", Required: true},
			{Name: "link", Selector: "a", Attr: "href"}, // resolved against <base> and the page URL
			{Name: "price", Selector: ".item-price", Attr: "data-amount", Type: extract.TypeFloat},
		},
	})
	if err != nil {
		return err
	}
	cheap, err := filter.New(filter.Spec{Field: "price", Op: "<", Value: 20})
	if err != nil {
		return err
	}
	deadLetter, err := sinks.NewJSONL[sinks.FailureRecord](filepath.Join(dir, "failures.jsonl"), sinks.JSONLConfig{})
	if err != nil {
		return err
	}
	dl := sinks.NewDeadLetter(deadLetter, sinks.DeadLetterConfig{})
	db, err := sinks.NewSQLite[record.Record](filepath.Join(dir, "items.db"), sinks.SQLiteConfig{SQLConfig: sinks.SQLConfig{Table: "items"}})
	if err != nil {
		return err
	}

	urls := make([]fetch.Request, pages)
	for i := range urls {
		urls[i] = fetch.FromURL(site.PageURL(i))
	}
	p := pipeline.New(pipeline.OnFailure(dl.Handle))
	reqs := pipeline.FromSlice(p, "urls", urls)
	resps := pipeline.Map(p, "fetch", reqs, fetcher.Fetch, pipeline.Workers(16))
	recs := pipeline.FlatMap(p, "extract", resps, items.Extract, pipeline.Workers(2))
	kept := pipeline.Filter(p, "under-20", recs, cheap.Keep)
	pipeline.Sink(p, "sqlite", kept, db)
	err = p.Run(ctx)
	if cerr := dl.Close(context.WithoutCancel(ctx)); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	for _, s := range p.Stats() {
		out := s.Emitted // items sent on; a sink sends nothing on, so show what it wrote
		if s.Kind == "sink" {
			out = s.Out
		}
		fmt.Printf("%-9s in=%-5d out=%-5d filtered=%-5d failed=%d\n", s.Name, s.In, out, s.Filtered, s.Failed)
	}
	fmt.Println("wrote", filepath.Join(dir, "items.db"))
	return nil
}
