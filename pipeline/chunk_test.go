package pipeline_test

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"
	"time"

	"github.com/sluicehq/sluice/pipeline"
	"github.com/sluicehq/sluice/pipeline/pipelinetest"
)

// TestSlowProducerHoldsNothing: a slow producer must hand each item on at
// once even while its consumer is busy, or a consumer waiting for that item
// would wait for the producer's next item too. Here item 3 can only be
// produced after the sink has received item 2, so holding item 2 back
// would stall the run (caught by the 5 s wait). It runs in a synctest
// bubble: the sleeps take no real time, and the 5 s wait fires only if the
// run really stalls, never because the machine is slow.
func TestSlowProducerHoldsNothing(t *testing.T) {
	synctest.Test(t, slowProducerHoldsNothing)
}

func slowProducerHoldsNothing(t *testing.T) {
	reached2 := make(chan struct{})
	got2 := make(chan struct{})
	p := pipeline.New()
	slow := pipeline.Map(p, "slow", pipeline.FromSlice(p, "src", ints(6)), func(ctx context.Context, v int) (int, error) {
		time.Sleep(200 * time.Microsecond) // a slow stage, as a fetch is
		switch v {
		case 2:
			close(reached2)
		case 3:
			select {
			case <-got2:
			case <-time.After(5 * time.Second):
				return 0, errors.New("item 2 was held back by its producer")
			}
		}
		return v, nil
	})
	var seen []int
	pipeline.Sink(p, "sink", slow, pipeline.WriterFunc[int](func(_ context.Context, v int) error {
		switch v {
		case 0:
			<-reached2 // stay busy while items 1 and 2 are produced
			time.Sleep(20 * time.Millisecond)
		case 2:
			close(got2)
		}
		seen = append(seen, v)
		return nil
	}))
	if err := pipelinetest.Run(t, p, 20*time.Second); err != nil {
		t.Fatal(err)
	}
	if len(seen) != 6 {
		t.Fatalf("sink saw %v", seen)
	}
}
