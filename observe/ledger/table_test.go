package ledger

import (
	"strings"
	"testing"
	"time"
)

// TestWriteCrawl: a crawl's totals count seeds read and pages finished,
// and its rate is pages per second.
func TestWriteCrawl(t *testing.T) {
	var b strings.Builder
	sum := Summary{Elapsed: 2 * time.Second, Inputs: 1, Done: 97, Failed: 3, Extracted: 85, Written: 85, Crawl: true}
	if err := Write(&b, nil, sum, nil); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"seeds 1 read, pages 97 finished (3 failed); records 85 extracted, 85 written", "elapsed 2s, 48.5 pages/s"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("no %q in\n%s", want, b.String())
		}
	}
}

// TestWritePeakMemory: the peak resident memory is shown against the
// budget, whole MiB without decimals, and said to be over it when it is;
// no peak, no memory line.
func TestWritePeakMemory(t *testing.T) {
	const mib = 1 << 20
	for _, c := range []struct {
		peak, budget int64
		want         string
	}{
		{35*mib + mib/4, 256 * mib, "elapsed 2s, 5.0 inputs/s; peak memory 35.2 MiB of the 256 MiB budget\n"},
		{40 * mib, 40 * mib, "; peak memory 40 MiB of the 40 MiB budget\n"},
		{20*mib + mib/2, 16 * mib, "; peak memory 20.5 MiB of the 16 MiB budget (over it)\n"},
		{0, 256 * mib, "elapsed 2s, 5.0 inputs/s\n"},
	} {
		var b strings.Builder
		sum := Summary{Elapsed: 2 * time.Second, Done: 10, PeakMemory: c.peak, MemoryBudget: c.budget}
		if err := Write(&b, nil, sum, nil); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(b.String(), c.want) {
			t.Errorf("peak %d, budget %d: no %q in\n%s", c.peak, c.budget, c.want, b.String())
		}
	}
}

// TestWriteRefused: records a sink refused are not "filtered out": the
// totals say how many the sink refused, and what the filters dropped is
// what is left.
func TestWriteRefused(t *testing.T) {
	for _, c := range []struct {
		extracted, written, refused int64
		want                        string
	}{
		{10, 6, 4, "records 10 extracted, 4 refused by the sink, 6 written\n"},
		{10, 4, 4, "records 10 extracted, 2 filtered out, 4 refused by the sink, 4 written\n"},
		{10, 8, 0, "records 10 extracted, 2 filtered out, 8 written\n"},
	} {
		var b strings.Builder
		sum := Summary{Elapsed: time.Second, Inputs: 10, Done: 10, Failed: c.refused, Extracted: c.extracted, Written: c.written, Refused: c.refused}
		if err := Write(&b, nil, sum, nil); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(b.String(), c.want) {
			t.Errorf("no %q in\n%s", c.want, b.String())
		}
	}
}
