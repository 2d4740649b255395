package dashboard

import (
	"math"
	"time"
)

// The latency histogram's buckets grow by 8% from 50 µs, so a quantile
// is within 4% of the true value; the last bucket holds everything above
// about 18 minutes.
const (
	histMin     = 50 * time.Microsecond
	histGrowth  = 1.08
	histBuckets = 240
)

var logGrowth = math.Log(histGrowth)

// histogram counts durations in log-spaced buckets: constant memory and
// time per sample, whatever the fetch rate.
type histogram struct {
	n      int64
	counts [histBuckets]int64
}

func (h *histogram) add(d time.Duration) {
	i := 0
	if d > histMin {
		i = min(int(math.Log(float64(d)/float64(histMin))/logGrowth)+1, histBuckets-1)
	}
	h.counts[i]++
	h.n++
}

func (h *histogram) reset() { *h = histogram{} }

// quantile returns the q-quantile in milliseconds (the geometric middle
// of its bucket), 0 for an empty histogram.
func (h *histogram) quantile(q float64) float64 {
	if h.n == 0 {
		return 0
	}
	rank := max(int64(math.Ceil(q*float64(h.n))), 1)
	var seen int64
	for i, c := range h.counts {
		seen += c
		if seen >= rank {
			if i == 0 {
				return float64(histMin) / 2 / float64(time.Millisecond)
			}
			return float64(histMin) * math.Pow(histGrowth, float64(i)-0.5) / float64(time.Millisecond)
		}
	}
	return 0 // not reached: the counts sum to n
}
