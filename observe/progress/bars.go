package progress

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"

	"github.com/sluicehq/sluice/pipeline"
)

// stageBar is one stage's bar and the snapshot its decorators read.
type stageBar struct {
	bar   *mpb.Bar
	last  atomic.Pointer[pipeline.StageStats]
	final atomic.Bool
}

// bars draws one bar per stage, refreshed from stats.
func (r *Reporter) bars(ctx context.Context, stats func() []pipeline.StageStats) {
	start := r.cfg.Now()
	p := mpb.New(mpb.WithOutput(r.cfg.Out), mpb.WithWidth(32), mpb.WithRefreshRate(200*time.Millisecond), mpb.WithAutoRefresh())
	var bars []*stageBar
	for _, st := range stats() {
		bars = append(bars, r.addBar(p, st, start))
	}
	if r.cfg.LogTo != nil {
		r.cfg.LogTo(p)
	}
	t := time.NewTicker(100 * time.Millisecond)
	defer t.Stop()
	for {
		done := false
		select {
		case <-ctx.Done():
			done = true
		case <-t.C:
		}
		update(bars, stats(), r.total.Load(), done)
		if done {
			if r.cfg.LogTo != nil {
				r.cfg.LogTo(nil)
			}
			p.Wait()
			return
		}
	}
}

// update moves the bars to the latest counters; final completes them.
func update(bars []*stageBar, stats []pipeline.StageStats, total int64, final bool) {
	if !final {
		stats = Smooth(stats)
	}
	var read int64
	for i, st := range stats {
		if i >= len(bars) {
			break
		}
		st := st
		b := bars[i]
		b.last.Store(&st)
		b.final.Store(final)
		n := Done(st)
		if st.Kind == "source" {
			read = n
		}
		switch {
		case final:
			b.bar.SetTotal(n, false)
		case total >= 0:
			b.bar.SetTotal(max(total, n), false)
		default:
			b.bar.SetTotal(max(read, n)+1, false)
		}
		b.bar.SetCurrent(n)
		if final {
			b.bar.SetTotal(-1, true)
		}
	}
}

func (r *Reporter) addBar(p *mpb.Progress, st pipeline.StageStats, start time.Time) *stageBar {
	sb := &stageBar{}
	sb.last.Store(&st)
	total := r.total.Load()
	now := r.cfg.Now
	sb.bar = p.AddBar(max(total, 0),
		mpb.PrependDecorators(decor.Name(st.Name, decor.WCSyncSpaceR), decor.CurrentNoUnit("%d", decor.WCSyncSpace)),
		mpb.AppendDecorators(decor.Any(func(decor.Statistics) string {
			s := sb.last.Load()
			n := Done(*s)
			rate := Rate(n, now().Sub(start))
			out := fmt.Sprintf("%.1f/s", rate)
			if s.Failed > 0 {
				out += fmt.Sprintf("  %d failed", s.Failed)
			}
			if s.Filtered > 0 {
				out += fmt.Sprintf("  %d filtered", s.Filtered)
			}
			if s.InFlight > 0 {
				out += fmt.Sprintf("  %d %s", s.InFlight, BusyLabel(*s))
			}
			if eta := ETA(n, total, rate); eta >= 0 && n < total && !sb.final.Load() {
				out += "  eta " + eta.String()
			}
			return out
		})))
	return sb
}
