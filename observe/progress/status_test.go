package progress

import (
	"testing"
	"time"

	"github.com/sluicehq/sluice/pipeline"
)

func TestLine(t *testing.T) {
	stats := []pipeline.StageStats{
		{Name: "read", Kind: "source", Emitted: 600, Out: 600},
		{Name: "fetch", Kind: "map", In: 600, Out: 480, Failed: 20, InFlight: 16},
		{Name: "write", Kind: "sink", In: 480, Out: 400},
	}
	got := Line(stats, 10*time.Second, 1000)
	want := "10s | read 600/1000 | fetch 500 (20 failed) [16 busy] | write 400 | 40.0/s | eta 15s"
	if got != want {
		t.Errorf("Line =\n  %s\nwant\n  %s", got, want)
	}
	if got := Line(stats[:1], 0, -1); got != "0s | read 600 | 0.0/s" {
		t.Errorf("unknown total: %q", got)
	}
}

// TestLineCrawl: a crawl's frontier shows the URLs it admitted and, as
// its items in flight, the URLs queued to be fetched.
func TestLineCrawl(t *testing.T) {
	stats := []pipeline.StageStats{
		{Name: "crawl-frontier", Kind: "frontier", In: 272, Out: 97, Filtered: 175, InFlight: 40},
		{Name: "crawl-fetch", Kind: "map", In: 97, Out: 90, InFlight: 7},
	}
	got := Line(stats, 2*time.Second, -1)
	want := "2s | crawl-frontier 272 [40 queued] | crawl-fetch 90 [7 busy] | 45.0/s"
	if got != want {
		t.Errorf("Line =\n  %s\nwant\n  %s", got, want)
	}
}

func TestETA(t *testing.T) {
	for _, tc := range []struct {
		done, total int64
		rate        float64
		want        time.Duration
	}{
		{0, 100, 10, 10 * time.Second},
		{100, 100, 10, 0},
		{150, 100, 10, 0},
		{10, -1, 10, -1},
		{10, 100, 0, -1},
	} {
		if got := ETA(tc.done, tc.total, tc.rate); got != tc.want {
			t.Errorf("ETA(%d, %d, %v) = %v, want %v", tc.done, tc.total, tc.rate, got, tc.want)
		}
	}
}

// A source that emits in 1,000-item blocks still shows its progress item
// by item, monotone, as the next stage takes the items in.
func TestSmoothReadMovesItemByItem(t *testing.T) {
	var last int64
	for taken := int64(0); taken <= 2500; taken++ {
		emitted := min((taken/1000+1)*1000, 2500) // the block the source has handed over
		stats := Smooth([]pipeline.StageStats{
			{Name: "read", Kind: "source", Emitted: emitted},
			{Name: "fetch", Kind: "map", In: taken},
		})
		n := Done(stats[0])
		if n != taken || n < last {
			t.Fatalf("taken %d: read shows %d (before %d)", taken, n, last)
		}
		last = n
	}
}
