package progress

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/sluicehq/sluice/pipeline"
)

// Done is how many items a stage has finished: for a source, the items it
// emitted and the rows it rejected; for other stages, those that came out,
// were filtered, failed or were dropped.
func Done(st pipeline.StageStats) int64 {
	if st.Kind == "source" {
		return st.Emitted + st.Failed
	}
	return st.Out + st.Filtered + st.Failed + st.Dropped
}

// BusyLabel names a stage's items in flight: "queued" for a crawl
// frontier (the URLs waiting to be fetched: the frontier's size, while
// its count is the URLs it admitted), "busy" for other stages.
func BusyLabel(st pipeline.StageStats) string {
	if st.Kind == "frontier" {
		return "queued"
	}
	return "busy"
}

// Smooth returns stats with each source's emitted count capped at what
// the stage after it has taken in. A source that reads in blocks emits
// a block's items at once; capped, its count moves item by item as the
// next stage takes them, and never goes back.
func Smooth(stats []pipeline.StageStats) []pipeline.StageStats {
	out := slices.Clone(stats)
	for i := range len(out) - 1 {
		if out[i].Kind == "source" && out[i+1].In < out[i].Emitted {
			out[i].Emitted = out[i+1].In
		}
	}
	return out
}

// Rate is items per second over elapsed.
func Rate(done int64, elapsed time.Duration) float64 {
	if elapsed <= 0 {
		return 0
	}
	return float64(done) / elapsed.Seconds()
}

// ETA is the time left to finish total items at rate; -1 when unknown.
func ETA(done, total int64, rate float64) time.Duration {
	if total < 0 || rate <= 0 {
		return -1
	}
	left := max(total-done, 0)
	return (time.Duration(float64(left) / rate * float64(time.Second))).Round(time.Second)
}

// Line is the one-line status of a run: every stage's finished count
// (with failures and items in flight), the rate of the last stage, and
// the ETA when total (the number of inputs) is known (>= 0).
func Line(stats []pipeline.StageStats, elapsed time.Duration, total int64) string {
	stats = Smooth(stats)
	var b strings.Builder
	fmt.Fprintf(&b, "%s", elapsed.Round(time.Second))
	var last int64
	for _, st := range stats {
		last = Done(st)
		fmt.Fprintf(&b, " | %s %d", st.Name, last)
		if total >= 0 && st.Kind == "source" {
			fmt.Fprintf(&b, "/%d", total)
		}
		if st.Failed > 0 {
			fmt.Fprintf(&b, " (%d failed)", st.Failed)
		}
		if st.InFlight > 0 {
			fmt.Fprintf(&b, " [%d %s]", st.InFlight, BusyLabel(st))
		}
	}
	rate := Rate(last, elapsed)
	fmt.Fprintf(&b, " | %.1f/s", rate)
	if eta := ETA(last, total, rate); eta >= 0 {
		fmt.Fprintf(&b, " | eta %s", eta)
	}
	return b.String()
}
