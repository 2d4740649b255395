package sources

import (
	"context"
	"io"
	"runtime"
	"testing"

	"github.com/sluicehq/sluice/pipeline"
)

// peakHeap runs a CSV source over n generated rows, fed through an
// io.Pipe so no copy of the input exists anywhere, into a sink that samples
// the live heap every 10,000 rows. It returns the highest sample and the
// number of rows that reached the sink.
func peakHeap(t testing.TB, n int) (peak uint64, rows int) {
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := genCSV(pw, n)
		pw.CloseWithError(err)
		done <- err
	}()
	runtime.GC()
	var ms runtime.MemStats
	p := pipeline.New()
	items := CSV(p, "csv", pr, CSVConfig{})
	pipeline.Sink(p, "sample", items, pipeline.WriterFunc[Item](func(context.Context, Item) error {
		rows++
		if rows%10_000 == 0 {
			runtime.GC() // measure what is live, not garbage awaiting collection
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapAlloc)
		}
		return nil
	}))
	if err := p.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	return peak, rows
}

// TestCSVStreamsInBoundedMemory reads 200,000 rows (about 14 MB of CSV)
// and checks that the live heap never holds more than a small fraction of
// them: the bound, 4 MiB, is what 200,000 Items alone would need several
// times over.
func TestCSVStreamsInBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("generates 200,000 rows")
	}
	peak, rows := peakHeap(t, 200_000)
	if rows != 200_000 {
		t.Fatalf("rows = %d", rows)
	}
	const bound = 4 << 20
	t.Logf("peak live heap while streaming 200,000 rows: %d KiB", peak>>10)
	if peak > bound {
		t.Fatalf("peak live heap %d bytes > %d: the source holds rows", peak, bound)
	}
}

// BenchmarkPeakHeap reports the peak live heap reading 100,000 and
// 1,000,000 rows; the two should be about equal.
func BenchmarkPeakHeap(b *testing.B) {
	for _, n := range []int{100_000, 1_000_000} {
		b.Run(map[int]string{100_000: "100k", 1_000_000: "1M"}[n], func(b *testing.B) {
			var peak uint64
			for b.Loop() {
				p, _ := peakHeap(b, n)
				peak = max(peak, p)
			}
			b.ReportMetric(float64(peak)/(1<<20), "peak-MiB")
		})
	}
}
