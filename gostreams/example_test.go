package gostreams_test

import (
	"context"
	"fmt"
	"time"

	"github.com/reugn/go-streams/flow"

	"github.com/sluicehq/sluice/gostreams"
	"github.com/sluicehq/sluice/pipeline"
)

// A go-streams Batch operator between two typed sluice stages.
func ExampleVia() {
	p := pipeline.New()
	nums := pipeline.FromSlice(p, "nums", []int{1, 2, 3, 4, 5, 6, 7})
	batches := gostreams.Via[int, []int](p, "batch", nums, flow.NewBatch[int](3, time.Hour))
	var got [][]int
	pipeline.Sink(p, "print", batches, pipeline.WriterFunc[[]int](func(_ context.Context, b []int) error {
		got = append(got, b)
		return nil
	}))
	if err := p.Run(context.Background()); err != nil {
		fmt.Println(err)
	}
	fmt.Println(got)
	// Output: [[1 2 3] [4 5 6] [7]]
}
