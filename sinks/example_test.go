package sinks_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"

	"github.com/sluicehq/sluice/pipeline"
	"github.com/sluicehq/sluice/record"
	"github.com/sluicehq/sluice/resume"
	"github.com/sluicehq/sluice/sinks"
)

// A resumable job: each page's words become records, committed per page
// to JSONL and SQLite together with the checkpoint; failures go to a
// dead-letter file. Run it again after a crash and done pages are skipped.
func ExampleCommitter() {
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/missing" {
			http.NotFound(w, r)
			return
		}
		fmt.Fprint(w, strings.TrimPrefix(r.URL.Path, "/"), " words")
	}))
	defer site.Close()
	dir, _ := os.MkdirTemp("", "sluice-example")
	defer os.RemoveAll(dir)

	ckpt, err := resume.Open(filepath.Join(dir, "checkpoint"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer ckpt.Close()
	out, _ := sinks.NewJSONL[record.Record](filepath.Join(dir, "out.jsonl"), sinks.JSONLConfig{})
	db, _ := sinks.NewSQLite[record.Record](filepath.Join(dir, "out.db"), sinks.SQLiteConfig{})
	dead, _ := sinks.NewJSONL[sinks.FailureRecord](filepath.Join(dir, "failed.jsonl"), sinks.JSONLConfig{})
	c, _ := sinks.NewCommitter(ckpt, []sinks.Target[record.Record]{out, db}, dead, sinks.CommitterConfig{})

	p := pipeline.New(pipeline.OnFailure(c.Fail))
	urls := pipeline.Source(p, "urls", func(ctx context.Context, e *pipeline.Emitter[string]) error {
		for _, path := range []string{"/alpha", "/missing", "/beta"} {
			if u := site.URL + path; !ckpt.Done(u) {
				if err := e.Emit(u); err != nil {
					return err
				}
			}
		}
		return nil
	})
	pages := pipeline.Map(p, "words", urls, func(ctx context.Context, u string) (sinks.Batch[record.Record], error) {
		resp, err := http.Get(u)
		if err != nil {
			return sinks.Batch[record.Record]{}, err
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return sinks.Batch[record.Record]{}, pipeline.Skip(fmt.Errorf("status %d", resp.StatusCode))
		}
		body, _ := io.ReadAll(resp.Body)
		b := sinks.Batch[record.Record]{Key: u}
		for _, w := range strings.Fields(string(body)) {
			r := record.Record{Key: u, URL: u}
			r.Set("word", w)
			b.Items = append(b.Items, r)
		}
		return b, nil
	})
	pipeline.Sink(p, "commit", pages, c)
	if err := p.Run(context.Background()); err != nil {
		fmt.Println(err)
		return
	}
	data, _ := os.ReadFile(filepath.Join(dir, "out.jsonl"))
	fmt.Print(strings.ReplaceAll(string(data), site.URL, "http://site"))
	fmt.Println("done keys:", ckpt.Len())
	// Output:
	// {"key":"http://site/alpha","url":"http://site/alpha","word":"alpha"}
	// {"key":"http://site/alpha","url":"http://site/alpha","word":"words"}
	// {"key":"http://site/beta","url":"http://site/beta","word":"beta"}
	// {"key":"http://site/beta","url":"http://site/beta","word":"words"}
	// done keys: 3
}

// Sinks work on their own as pipeline writers, for structs too.
func ExampleNewCSV() {
	type Product struct {
		SKU   string  `sluice:"sku,key"`
		Name  string  `json:"name"`
		Price float64 `sluice:"price"`
	}
	dir, _ := os.MkdirTemp("", "sluice-example")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "products.csv")
	w, _ := sinks.NewCSV[Product](path, sinks.CSVConfig{EscapeFormulas: true})
	ctx := context.Background()
	w.Write(ctx, Product{SKU: "p1", Name: "Pen, blue", Price: 1.5})
	w.Write(ctx, Product{SKU: "p2", Name: "=HYPERLINK(\"x\")", Price: 2})
	if err := w.Close(ctx); err != nil {
		fmt.Println(err)
	}
	data, _ := os.ReadFile(path)
	fmt.Print(string(data))
	// Output:
	// sku,name,price
	// p1,"Pen, blue",1.5
	// p2,"'=HYPERLINK(""x"")",2
}
