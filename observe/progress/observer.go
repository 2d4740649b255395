package progress

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/sluicehq/sluice/observe"
	"github.com/sluicehq/sluice/pipeline"
)

// Observer shows a run's progress as an observe.Observer: it starts
// drawing at RunStarted (taking the input total from it when Config.Total
// is 0), redraws from the latest stage snapshot, and draws the final
// counters at RunFinished.
type Observer struct {
	r      *Reporter
	latest atomic.Pointer[[]pipeline.StageStats]
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// Observer returns an observer that drives r.
func (r *Reporter) Observer() *Observer { return &Observer{r: r} }

// Kinds makes the Observer an [observe.Selective]: it reads the start,
// the snapshots and the end of a run, so a run it alone observes builds
// no Fetch events.
func (o *Observer) Kinds() observe.Kind {
	return observe.KindRunStarted | observe.KindStageSnapshot | observe.KindRunFinished
}

// Observe handles one event of the run.
func (o *Observer) Observe(e observe.Event) {
	switch e := e.(type) {
	case *observe.RunStarted:
		if o.r.cfg.Total == 0 {
			o.r.cfg.Total = e.Total
		}
		stages := make([]pipeline.StageStats, len(e.Graph.Stages))
		for i, s := range e.Graph.Stages {
			stages[i] = pipeline.StageStats{Name: s.Name, Kind: s.Kind, Workers: s.Workers}
		}
		o.latest.Store(&stages)
		ctx, cancel := context.WithCancel(context.Background())
		o.cancel = cancel
		o.wg.Go(func() { o.r.Run(ctx, o.stats) })
	case *observe.StageSnapshot:
		o.latest.Store(&e.Stages)
	case *observe.RunFinished:
		if o.cancel == nil {
			return
		}
		if e.Stages != nil {
			o.latest.Store(&e.Stages)
		}
		o.cancel()
		o.wg.Wait()
	}
}

func (o *Observer) stats() []pipeline.StageStats { return *o.latest.Load() }
