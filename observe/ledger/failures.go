package ledger

import (
	"cmp"
	"slices"
	"sync"

	"github.com/sluicehq/sluice/observe"
)

// ReasonCount is how many inputs failed for one reason at one stage on
// one host: a group of failures that share a cause.
type ReasonCount struct {
	Stage  string
	Reason string
	// Host is the host the inputs were on ("" when unknown, such as a
	// malformed input row).
	Host string
	// Status is the HTTP status of a status failure, else 0.
	Status int
	Count  int64
	// Example is the full error text of the first such failure; Sample
	// the URL (or key) of its input.
	Example, Sample string
}

// Failures groups per-item failures by stage, reason and host. It is
// safe for concurrent use; the zero value is ready.
type Failures struct {
	mu    sync.Mutex
	total int64
	by    map[groupKey]*ReasonCount
}

type groupKey struct{ stage, reason, host string }

// Add records one failure and returns the total so far.
func (fs *Failures) Add(f *observe.Failure) int64 {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if fs.by == nil {
		fs.by = map[groupKey]*ReasonCount{}
	}
	k := groupKey{f.Stage, f.Reason, f.Host}
	rc, ok := fs.by[k]
	if !ok {
		rc = &ReasonCount{Stage: f.Stage, Reason: f.Reason, Host: f.Host, Status: f.Status, Sample: cmp.Or(f.URL, f.Key)}
		if f.Err != nil {
			rc.Example = f.Err.Error()
		}
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

// Top returns the n largest groups, largest first (ties by stage, reason
// and host); n <= 0 returns all.
func (fs *Failures) Top(n int) []ReasonCount {
	fs.mu.Lock()
	out := make([]ReasonCount, 0, len(fs.by))
	for _, rc := range fs.by {
		out = append(out, *rc)
	}
	fs.mu.Unlock()
	slices.SortFunc(out, func(a, b ReasonCount) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Stage, b.Stage), cmp.Compare(a.Reason, b.Reason), cmp.Compare(a.Host, b.Host))
	})
	if n > 0 && len(out) > n {
		out = out[:n]
	}
	return out
}
