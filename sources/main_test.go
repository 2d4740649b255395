package sources

import (
	"context"
	"errors"
	"testing"

	"github.com/sluicehq/sluice/internal/leakcheck"
	"github.com/sluicehq/sluice/pipeline"
)

func TestMain(m *testing.M) { leakcheck.VerifyTestMain(m) }

// runSource runs a pipeline of one source into a slice-collecting sink and
// returns what reached the sink, the failures, and Run's error.
func runSource[T any](t *testing.T, build func(p *pipeline.Pipeline) pipeline.Stream[T]) ([]T, []pipeline.Failure, error) {
	t.Helper()
	var fails []pipeline.Failure
	p := pipeline.New(pipeline.OnFailure(func(_ context.Context, f pipeline.Failure) error {
		fails = append(fails, f)
		return nil
	}))
	var got []T
	pipeline.Sink(p, "collect", build(p), pipeline.WriterFunc[T](func(_ context.Context, v T) error {
		got = append(got, v)
		return nil
	}))
	err := p.Run(t.Context())
	return got, fails, err
}

// failLine returns the line number of a failure's *RowError, or -1.
func failLine(f pipeline.Failure) int {
	if re, ok := asRowError(f.Err); ok {
		return re.Line
	}
	return -1
}

func asRowError(err error) (*RowError, bool) {
	var re *RowError
	ok := errors.As(err, &re)
	return re, ok
}
