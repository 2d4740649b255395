package pipeline_test

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"sync/atomic"
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

// TestManyProducersHoldLittle: the workers of a wide stage feeding a
// stage of several workers send their items one by one, and each keeps
// only a small arena of slots between items. 200 workers that have each
// sent one 1 KiB item (each takes one input, and none returns before all
// have taken theirs) and wait for their next input hold under 4 MiB
// between them (8 slots each: 1.6 MiB; a 64-slot arena each was 12.8 MiB).
func TestManyProducersHoldLittle(t *testing.T) {
	const workers = 200
	type item struct{ payload [1024]byte }
	release := make(chan struct{})
	p := pipeline.New()
	src := pipeline.Source(p, "src", func(ctx context.Context, e *pipeline.Emitter[int]) error {
		for i := range workers {
			if err := e.Emit(i); err != nil {
				return err
			}
		}
		<-release
		return nil
	})
	var started sync.WaitGroup // every worker takes one input
	started.Add(workers)
	wide := pipeline.Map(p, "wide", src, func(_ context.Context, v int) (item, error) {
		started.Done()
		started.Wait()
		var it item
		it.payload[0] = byte(v)
		return it, nil
	}, pipeline.Workers(workers))
	var received atomic.Int64
	all := make(chan struct{})
	pipeline.Sink(p, "sink", wide, pipeline.WriterFunc[item](func(context.Context, item) error {
		if received.Add(1) == workers {
			close(all)
		}
		return nil
	}), pipeline.Workers(2))
	var before runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	done := make(chan error, 1)
	go func() { done <- p.Run(context.Background()) }()
	<-all
	var held runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&held)
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	grown := int64(held.HeapAlloc) - int64(before.HeapAlloc)
	t.Logf("%d producers waiting hold %.1f MiB of heap", workers, float64(grown)/(1<<20))
	if grown > 4<<20 {
		t.Errorf("%d producers waiting hold %.1f MiB of heap, want under 4 MiB", workers, float64(grown)/(1<<20))
	}
}
