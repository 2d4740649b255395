package ledger

import (
	"cmp"
	"slices"
	"sync"

	"github.com/sluicehq/sluice/pipeline"
)

// ReasonCount is how many items failed for one reason at one stage.
type ReasonCount struct {
	Stage  string
	Reason string
	Count  int64
	// Example is the full error text of the first such failure.
	Example string
}

// Failures groups per-item failures by stage and reason. It is safe for
// concurrent use; the zero value is ready.
type Failures struct {
	mu    sync.Mutex
	total int64
	by    map[[2]string]*ReasonCount
}

// Add records one failure and returns the total so far.
func (fs *Failures) Add(f pipeline.Failure) int64 {
	reason := Reason(f.Err)
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if fs.by == nil {
		fs.by = map[[2]string]*ReasonCount{}
	}
	k := [2]string{f.Stage, reason}
	rc, ok := fs.by[k]
	if !ok {
		rc = &ReasonCount{Stage: f.Stage, Reason: reason, Example: f.Err.Error()}
		fs.by[k] = rc
	}
	rc.Count++
	fs.total++
	return fs.total
}

// Total is the number of failures recorded.
func (fs *Failures) Total() int64 {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return fs.total
}

// Top returns the n most frequent reasons, most frequent first (ties by
// stage and reason); n <= 0 returns all.
func (fs *Failures) Top(n int) []ReasonCount {
	fs.mu.Lock()
	out := make([]ReasonCount, 0, len(fs.by))
	for _, rc := range fs.by {
		out = append(out, *rc)
	}
	fs.mu.Unlock()
	slices.SortFunc(out, func(a, b ReasonCount) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Stage, b.Stage), cmp.Compare(a.Reason, b.Reason))
	})
	if n > 0 && len(out) > n {
		out = out[:n]
	}
	return out
}
