package pipeline_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/sluicehq/sluice/pipeline"
	"github.com/sluicehq/sluice/pipeline/pipelinetest"
)

// FuzzAccounting is the property test of the accounting law: for random
// sizes, skip and filter rates, fan-outs, worker counts and ordering, every
// stage has in = out + filtered + failed (+ dropped, 0 here), every stage's
// In equals what its producer emitted, the failure handler saw every
// failure, and the sink got exactly the items the law predicts.
func FuzzAccounting(f *testing.F) {
	f.Add(uint16(1000), uint8(7), uint8(5), uint8(3), uint8(1), false)
	f.Add(uint16(0), uint8(1), uint8(1), uint8(0), uint8(8), true)
	f.Add(uint16(513), uint8(2), uint8(0), uint8(4), uint8(8), false)
	f.Add(uint16(64), uint8(0), uint8(2), uint8(1), uint8(3), true)
	f.Fuzz(func(t *testing.T, n uint16, skipMod, filterMod, fanMod, workers uint8, ordered bool) {
		n %= 3000
		opts := []pipeline.StageOption{pipeline.Workers(int(workers%8) + 1)}
		if ordered {
			opts = append(opts, pipeline.Ordered())
		}
		var fails pipelinetest.Failures
		p := pipeline.New(pipeline.OnFailure(fails.Handle))
		src := pipeline.Source(p, "src", func(ctx context.Context, e *pipeline.Emitter[int]) error {
			for i := range int(n) {
				var err error
				if i%11 == 10 {
					err = e.Skip(i, errors.New("malformed"))
				} else {
					err = e.Emit(i)
				}
				if err != nil {
					return err
				}
			}
			return nil
		})
		mapped := pipeline.Map(p, "skip", src, func(_ context.Context, v int) (int, error) {
			if skipMod > 0 && v%int(skipMod) == 0 {
				return 0, pipeline.Skip(errors.New("skipped"))
			}
			return v, nil
		}, opts...)
		kept := pipeline.Filter(p, "filter", mapped, func(_ context.Context, v int) (bool, error) {
			return filterMod == 0 || v%int(filterMod) != 1, nil
		}, opts...)
		fanned := pipeline.FlatMap(p, "fan", kept, func(_ context.Context, v int, emit func(int) error) error {
			for range v % (int(fanMod%5) + 1) {
				if err := emit(v); err != nil {
					return err
				}
			}
			return nil
		}, opts...)
		batched := pipeline.Batch(p, "batch", fanned, 7, time.Millisecond)
		got := pipelinetest.Collect(p, "sink", batched)
		if err := pipelinetest.Run(t, p, 20*time.Second); err != nil {
			t.Fatal(err)
		}
		pipelinetest.CheckAccounting(t, p)
		st := stats(p)
		for _, edge := range [][2]string{{"src", "skip"}, {"skip", "filter"}, {"filter", "fan"}, {"fan", "batch"}, {"batch", "sink"}} {
			if st[edge[0]].Emitted != st[edge[1]].In {
				t.Fatalf("%s emitted %d, %s took in %d", edge[0], st[edge[0]].Emitted, edge[1], st[edge[1]].In)
			}
		}
		var failed int64
		for _, s := range st {
			failed += s.Failed
			if s.Dropped != 0 {
				t.Fatalf("stage %s dropped %d in a run that was not cancelled", s.Name, s.Dropped)
			}
		}
		if int64(len(fails.List())) != failed {
			t.Fatalf("handler saw %d failures, stages counted %d", len(fails.List()), failed)
		}
		items := 0
		for _, b := range got.Items() {
			items += len(b)
		}
		if int64(items) != st["fan"].Emitted || st["src"].In != int64(n) {
			t.Fatalf("sink got %d items, fan emitted %d; src in %d of %d", items, st["fan"].Emitted, st["src"].In, n)
		}
	})
}
