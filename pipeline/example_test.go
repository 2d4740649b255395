package pipeline_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"

	"github.com/sluicehq/sluice/pipeline"
)

// A whole pipeline against a local HTTP server: read paths, fetch them with
// four workers, keep the ones that mention "sluice", and collect titles.
// The missing page is a per-item failure routed to the failure handler.
func Example() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/missing" {
			http.NotFound(w, r)
			return
		}
		fmt.Fprintf(w, "page %s about sluice", r.URL.Path)
	}))
	defer srv.Close()

	var failed []string
	p := pipeline.New(pipeline.OnFailure(func(_ context.Context, f pipeline.Failure) error {
		failed = append(failed, fmt.Sprintf("%s: %v", f.Stage, f.Err))
		return nil
	}))
	paths := pipeline.FromSlice(p, "paths", []string{"/a", "/b", "/missing", "/c"})
	bodies := pipeline.Map(p, "fetch", paths, func(ctx context.Context, path string) (string, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+path, nil)
		if err != nil {
			return "", err
		}
		resp, err := srv.Client().Do(req)
		if err != nil {
			return "", pipeline.Skip(err)
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return "", pipeline.Skip(errors.New(path + ": " + resp.Status))
		}
		b, err := io.ReadAll(resp.Body)
		return string(b), err
	}, pipeline.Workers(4))
	relevant := pipeline.Filter(p, "about-sluice", bodies, func(_ context.Context, body string) (bool, error) {
		return strings.Contains(body, "sluice"), nil
	})
	var got []string
	pipeline.Sink(p, "collect", relevant, pipeline.WriterFunc[string](func(_ context.Context, body string) error {
		got = append(got, body)
		return nil
	}))

	if err := p.Run(context.Background()); err != nil {
		fmt.Println("run failed:", err)
		return
	}
	slices.Sort(got)
	fmt.Println(strings.Join(got, "\n"))
	fmt.Println(failed)
	for _, s := range p.Stats() {
		fmt.Printf("%-12s in=%d out=%d failed=%d\n", s.Name, s.In, s.Out, s.Failed)
	}
	// Output:
	// page /a about sluice
	// page /b about sluice
	// page /c about sluice
	// [fetch: /missing: 404 Not Found]
	// paths        in=4 out=4 failed=0
	// fetch        in=4 out=3 failed=1
	// about-sluice in=3 out=3 failed=0
	// collect      in=3 out=3 failed=0
}

// Ordered keeps input order with several workers.
func ExampleOrdered() {
	p := pipeline.New()
	nums := pipeline.FromSlice(p, "nums", []int{1, 2, 3, 4, 5, 6})
	squares := pipeline.Map(p, "square", nums, func(_ context.Context, v int) (int, error) {
		return v * v, nil
	}, pipeline.Workers(3), pipeline.Ordered())
	var out []int
	pipeline.Sink(p, "print", squares, pipeline.WriterFunc[int](func(_ context.Context, v int) error {
		out = append(out, v)
		return nil
	}))
	if err := p.Run(context.Background()); err != nil {
		fmt.Println(err)
	}
	fmt.Println(out)
	// Output: [1 4 9 16 25 36]
}

// Graph renders the stages and streams for documentation.
func ExamplePipeline_Graph() {
	p := pipeline.New()
	src := pipeline.FromSlice(p, "urls", []string{"https://example.com"})
	n := pipeline.Map(p, "length", src, func(_ context.Context, s string) (int, error) { return len(s), nil }, pipeline.Workers(8))
	pipeline.Sink(p, "discard", n, pipeline.WriterFunc[int](func(context.Context, int) error { return nil }))
	fmt.Print(p.Graph().Mermaid())
	// Output:
	// flowchart LR
	//   s0["urls (source)"]
	//   s1["length (map, 8 workers)"]
	//   s2["discard (sink)"]
	//   s0 --> s1
	//   s1 --> s2
}

// A source that builds its items in batches hands each batch over whole;
// the slice travels downstream without a copy per item, and belongs to the
// pipeline after the call.
func ExampleEmitter_EmitSlice() {
	p := pipeline.New()
	squares := pipeline.Source(p, "squares", func(_ context.Context, e *pipeline.Emitter[int]) error {
		for start := 0; start < 9; start += 3 {
			batch := make([]int, 3) // a new slice for every call
			for i := range batch {
				batch[i] = (start + i) * (start + i)
			}
			if err := e.EmitSlice(batch); err != nil {
				return err
			}
		}
		return nil
	})
	var got []int
	pipeline.Sink(p, "collect", squares, pipeline.WriterFunc[int](func(_ context.Context, v int) error {
		got = append(got, v)
		return nil
	}))
	if err := p.Run(context.Background()); err != nil {
		fmt.Println(err)
	}
	fmt.Println(got)
	// Output: [0 1 4 9 16 25 36 49 64]
}
