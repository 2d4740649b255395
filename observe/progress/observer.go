package progress

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/sluicehq/sluice/observe"
	"github.com/sluicehq/sluice/pipeline"
)

// Observer shows a run's progress as an observe.Observer: it starts
// drawing at RunStarted, redraws from the latest stage snapshot, and
// draws the final counters at RunFinished. When Config.Total is 0 it
// takes the input total from the run: from RunStarted, then from the
// first snapshot that carries the run's count.
type Observer struct {
	r       *Reporter
	fromRun bool // Config.Total was 0
	latest  atomic.Pointer[[]pipeline.StageStats]
	cancel  context.CancelFunc
	wg      sync.WaitGroup
}

// Observer returns an observer that drives r.
func (r *Reporter) Observer() *Observer { return &Observer{r: r, fromRun: r.cfg.Total == 0} }

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
		if o.fromRun {
			o.r.SetTotal(e.Total)
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
		if o.fromRun && e.Total > 0 {
			o.r.SetTotal(e.Total)
		}
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
