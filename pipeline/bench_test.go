package pipeline_test

import (
	"context"
	"runtime"
	"testing"

	"github.com/reugn/go-streams/extension"
	"github.com/reugn/go-streams/flow"

	"github.com/sluicehq/sluice/pipeline"
)

// benchItems is how many integers each benchmark iteration pushes through
// five trivial Map stages.
const benchItems = 1_000_000

func inc(_ context.Context, v int) (int, error) { return v + 1, nil }

// BenchmarkFiveMaps compares, in one run, sluice at Workers(1), hand-written
// buffered typed channels (same buffer size) and go-streams. Each op is one
// run of 1,000,000 items; compare items/s and allocs/item.
func BenchmarkFiveMaps(b *testing.B) {
	b.Run("sluice", func(b *testing.B) {
		measure(b, func() int {
			p := pipeline.New()
			s := pipeline.FromSeq(p, "src", func(yield func(int) bool) {
				for i := range benchItems {
					if !yield(i) {
						return
					}
				}
			})
			for _, name := range []string{"m1", "m2", "m3", "m4", "m5"} {
				s = pipeline.Map(p, name, s, inc)
			}
			n := 0
			pipeline.Sink(p, "sink", s, pipeline.WriterFunc[int](func(context.Context, int) error { n++; return nil }))
			if err := p.Run(context.Background()); err != nil {
				b.Fatal(err)
			}
			return n
		})
	})
	b.Run("channels", func(b *testing.B) {
		measure(b, func() int {
			src := make(chan int, pipeline.DefaultBuffer)
			go func() {
				defer close(src)
				for i := range benchItems {
					src <- i
				}
			}()
			var in <-chan int = src
			for range 5 {
				out := make(chan int, pipeline.DefaultBuffer)
				go func(in <-chan int) {
					defer close(out)
					for v := range in {
						out <- v + 1
					}
				}(in)
				in = out
			}
			n := 0
			for range in {
				n++
			}
			return n
		})
	})
	b.Run("go-streams", func(b *testing.B) {
		measure(b, func() int {
			ch := make(chan any, pipeline.DefaultBuffer)
			go func() {
				defer close(ch)
				for i := range benchItems {
					ch <- i
				}
			}()
			out := make(chan any, pipeline.DefaultBuffer)
			done := make(chan int)
			go func() {
				n := 0
				for range out {
					n++
				}
				done <- n
			}()
			f := extension.NewChanSource(ch).Via(flow.NewMap(func(v int) int { return v + 1 }, 1))
			for range 4 {
				f = f.Via(flow.NewMap(func(v int) int { return v + 1 }, 1))
			}
			f.To(extension.NewChanSink(out)) // closes out
			return <-done
		})
	})
}

func measure(b *testing.B, run func() int) {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	b.ResetTimer()
	for b.Loop() {
		if n := run(); n != benchItems {
			b.Fatalf("got %d items, want %d", n, benchItems)
		}
	}
	b.StopTimer()
	runtime.ReadMemStats(&after)
	items := float64(b.N) * benchItems
	b.ReportMetric(items/b.Elapsed().Seconds(), "items/s")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/items, "ns/item")
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/items, "allocs/item")
}
