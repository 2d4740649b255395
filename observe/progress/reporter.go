package progress

import (
	"context"
	"fmt"
	"io"
	"sync/atomic"
	"time"

	"github.com/sluicehq/sluice/pipeline"
)

// Config says where and how progress is shown.
type Config struct {
	// Out receives the progress (standard error, usually).
	Out io.Writer
	// Bars draws a bar per stage; false prints status lines instead.
	// Set it when Out is a terminal.
	Bars bool
	// Interval is the time between status lines; default 2s.
	Interval time.Duration
	// Total is the number of inputs, or -1 when unknown.
	Total int64
	// Now is the clock; default time.Now.
	Now func() time.Time
	// LogTo, if set, is called with a writer that prints above the bars
	// while they are drawn, and with nil when they are done, so that log
	// lines do not tear the bars.
	LogTo func(io.Writer)
}

// Reporter shows the progress of one run.
type Reporter struct {
	cfg   Config
	total atomic.Int64 // Config.Total, then SetTotal's
}

// New returns a Reporter; it starts nothing.
func New(cfg Config) *Reporter {
	if cfg.Interval <= 0 {
		cfg.Interval = 2 * time.Second
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	r := &Reporter{cfg: cfg}
	r.total.Store(cfg.Total)
	return r
}

// SetTotal sets the number of inputs (-1: unknown), also while Run
// draws: a run counts its inputs beside the pipeline, so the total
// arrives after the first requests.
func (r *Reporter) SetTotal(n int64) { r.total.Store(n) }

// Run shows stats until ctx is done, then draws the final state and
// returns. Run it in its own goroutine while the pipeline runs, cancel
// ctx after Pipeline.Run has returned, and wait for Run to return.
func (r *Reporter) Run(ctx context.Context, stats func() []pipeline.StageStats) {
	if r.cfg.Bars {
		r.bars(ctx, stats)
		return
	}
	r.lines(ctx, stats)
}

// lines prints a status line every Interval, and a last one at the end.
func (r *Reporter) lines(ctx context.Context, stats func() []pipeline.StageStats) {
	start := r.cfg.Now()
	t := time.NewTicker(r.cfg.Interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			fmt.Fprintln(r.cfg.Out, "progress:", Line(stats(), r.cfg.Now().Sub(start), r.total.Load()))
			return
		case <-t.C:
			fmt.Fprintln(r.cfg.Out, "progress:", Line(stats(), r.cfg.Now().Sub(start), r.total.Load()))
		}
	}
}
