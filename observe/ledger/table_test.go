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
