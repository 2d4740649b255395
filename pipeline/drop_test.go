package pipeline_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/sluicehq/sluice/pipeline"
)

// ErrDrop drops items without failing them: the failure handler never
// sees them and the ledger counts them as dropped.
func TestErrDrop(t *testing.T) {
	for _, workers := range []int{1, 4} {
		failures := 0
		p := pipeline.New(pipeline.OnFailure(func(context.Context, pipeline.Failure) error { failures++; return nil }))
		src := pipeline.FromSlice(p, "src", []int{1, 2, 3, 4, 5, 6})
		odd := pipeline.Map(p, "odd", src, func(_ context.Context, v int) (int, error) {
			if v%2 == 0 {
				return 0, fmt.Errorf("leave %d for later: %w", v, pipeline.ErrDrop)
			}
			return v, nil
		}, pipeline.Workers(workers))
		var got []int
		pipeline.Sink(p, "sink", odd, pipeline.WriterFunc[int](func(_ context.Context, v int) error { got = append(got, v); return nil }))
		if err := p.Run(context.Background()); err != nil {
			t.Fatal(err)
		}
		st := p.Stats()[1]
		if len(got) != 3 || failures != 0 || st.In != 6 || st.Out != 3 || st.Dropped != 3 || st.Failed != 0 {
			t.Fatalf("workers %d: got %v, failures %d, stats %+v", workers, got, failures, st)
		}
	}
}
