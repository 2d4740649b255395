package dashboard

import (
	"fmt"
	"math"
	"time"

	"github.com/sluicehq/sluice/pipeline"
)

// pointEvery is the least time between two chart points; maxPoints
// bounds the charts' history (600 × 500 ms: the last five minutes and
// more when snapshots come less often).
const (
	pointEvery = 500 * time.Millisecond
	maxPoints  = 600
)

// points is the charts' history and the per-interval stage figures.
type points struct {
	t, p50, p95, fetches []float64
	done                 []int64
	rates                map[string][]float64

	lastAt   time.Duration
	lastProc map[string]int64
	lastBusy map[string]time.Duration

	rate, busy      map[string]float64 // over the last interval
	bottleneck, why string
}

func (p *points) reset() {
	*p = points{rates: map[string][]float64{}, lastProc: map[string]int64{}, lastBusy: map[string]time.Duration{},
		rate: map[string]float64{}, busy: map[string]float64{}}
}

// add closes the interval ending at elapsed: stage rates and busy
// ratios, fetch latency quantiles (emptying lat), and the bottleneck.
func (p *points) add(elapsed time.Duration, stages []pipeline.StageStats, queues map[string]int, done int64, lat *histogram) {
	dt := (elapsed - p.lastAt).Seconds()
	if dt <= 0 {
		return
	}
	if len(p.t) == maxPoints {
		p.drop()
	}
	p.t = append(p.t, elapsed.Seconds())
	p.done = append(p.done, done)
	p.p50 = append(p.p50, lat.quantile(0.5))
	p.p95 = append(p.p95, lat.quantile(0.95))
	p.fetches = append(p.fetches, float64(lat.n)/dt)
	lat.reset()
	for _, st := range stages {
		n := processed(st)
		p.rate[st.Name] = float64(n-p.lastProc[st.Name]) / dt
		p.busy[st.Name] = busyRatio(st, st.Busy-p.lastBusy[st.Name], dt)
		p.rates[st.Name] = append(p.rates[st.Name], p.rate[st.Name])
		p.lastProc[st.Name], p.lastBusy[st.Name] = n, st.Busy
	}
	p.lastAt = elapsed
	p.bottleneck, p.why = pickBottleneck(stages, p.busy, queues, "over the last %.1f s", dt)
}

// drop forgets the oldest point.
func (p *points) drop() {
	p.t, p.done, p.p50, p.p95, p.fetches = p.t[1:], p.done[1:], p.p50[1:], p.p95[1:], p.fetches[1:]
	for k, v := range p.rates {
		if len(v) > 0 {
			p.rates[k] = v[1:]
		}
	}
}

// wholeRun rates the stages over the whole run, for the final state.
func (p *points) wholeRun(stages []pipeline.StageStats, elapsed time.Duration) {
	whole := make(map[string]float64, len(stages))
	for _, st := range stages {
		whole[st.Name] = busyRatio(st, st.Busy, elapsed.Seconds())
	}
	p.bottleneck, p.why = pickBottleneck(stages, whole, nil, "over the whole run (%.1f s)", elapsed.Seconds())
}

// busyRatio is the share of its workers' time a stage spent in its own
// code over dt seconds; without busy time, in-flight ÷ workers.
func busyRatio(st pipeline.StageStats, busy time.Duration, dt float64) float64 {
	w := float64(max(st.Workers, 1))
	r := busy.Seconds() / (w * dt)
	if busy <= 0 {
		r = float64(st.InFlight) / w
	}
	return math.Min(math.Max(r, 0), 1)
}

// pickBottleneck returns the stage with the highest ratio, a tie within
// 0.05 going to the longer queue, and why; "" when all are below 0.05.
func pickBottleneck(stages []pipeline.StageStats, ratio map[string]float64, queues map[string]int, format string, arg float64) (string, string) {
	best, bestR, bestQ := "", 0.0, 0
	for _, st := range stages {
		r, q := ratio[st.Name], queues[st.Name]
		if r < 0.05 {
			continue
		}
		if best == "" || r > bestR+0.05 || (r >= bestR-0.05 && q > bestQ) {
			best, bestR, bestQ = st.Name, r, q
		}
	}
	if best == "" {
		return "", "no stage is busy"
	}
	return best, fmt.Sprintf("highest busy ratio (%.0f%% of its workers' time) "+format, 100*bestR, arg)
}

// doneRate is inputs done per second over the last window of points.
func (p *points) doneRate(window time.Duration) float64 {
	n := len(p.t)
	if n < 2 {
		if n == 1 && p.t[0] > 0 {
			return float64(p.done[0]) / p.t[0]
		}
		return 0
	}
	i := n - 2
	for i > 0 && p.t[n-1]-p.t[i] < window.Seconds() {
		i--
	}
	return float64(p.done[n-1]-p.done[i]) / (p.t[n-1] - p.t[i])
}

// series copies the history for a frame.
func (p *points) series() Series {
	s := Series{T: clone(p.t), P50: clone(p.p50), P95: clone(p.p95), Fetches: clone(p.fetches),
		Rates: make(map[string][]float64, len(p.rates))}
	for k, v := range p.rates {
		s.Rates[k] = clone(v)
	}
	return s
}

func clone(v []float64) []float64 { return append(make([]float64, 0, len(v)), v...) }
