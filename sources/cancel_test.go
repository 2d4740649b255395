package sources

import (
	"context"
	"testing"
	"time"

	"github.com/sluicehq/sluice/pipeline"
)

// endlessBad yields "bad\n" forever.
type endlessBad struct{}

func (endlessBad) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = "bad\n"[i%4]
	}
	return len(p) - len(p)%4, nil
}

// runUntilStopped runs p, which the test stops, and fails if Run returns
// an error or does not return within 10 s.
func runUntilStopped(t *testing.T, p *pipeline.Pipeline) {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- p.Run(t.Context()) }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second): // a bound on a hang, not a timing check
		t.Fatalf("Run did not return after Stop; stats: %+v", p.Stats())
	}
}

// TestStopWhileOnlyFailing checks that a source meeting nothing but bad
// rows still stops when the pipeline is stopped: the failure path checks
// the context too, not only Emit.
func TestStopWhileOnlyFailing(t *testing.T) {
	builds := map[string]func(p *pipeline.Pipeline) pipeline.Stream[Item]{
		"csv": func(p *pipeline.Pipeline) pipeline.Stream[Item] {
			return CSV(p, "src", endlessBad{}, CSVConfig{NoHeader: true, URLColumn: ColumnAt(0)})
		},
		"lines": func(p *pipeline.Pipeline) pipeline.Stream[Item] { return Lines(p, "src", endlessBad{}, LinesConfig{}) },
	}
	for name, build := range builds {
		t.Run(name, func(t *testing.T) {
			var p *pipeline.Pipeline
			failures := 0
			p = pipeline.New(pipeline.OnFailure(func(context.Context, pipeline.Failure) error {
				if failures++; failures == 100 {
					p.Stop()
				}
				return nil
			}))
			pipeline.Sink(p, "sink", build(p), pipeline.WriterFunc[Item](func(context.Context, Item) error { return nil }))
			runUntilStopped(t, p)
			if failures != 100 {
				t.Fatalf("failures after Stop: %d, want exactly 100", failures)
			}
		})
	}
}
