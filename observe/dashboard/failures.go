package dashboard

import (
	"cmp"
	"slices"

	"github.com/sluicehq/sluice/observe"
)

// maxReasons bounds the failure groups kept; maxSamples the sample URLs
// kept per group.
const (
	maxReasons   = 500
	maxSamples   = 3
	otherReasons = "(other reasons)"
)

// failureAgg groups failures by stage and reason.
type failureAgg struct {
	groups map[failureKey]*failureGroup
}

type failureKey struct{ stage, reason string }

type failureGroup struct {
	count   int64
	samples []string
}

func (a *failureAgg) reset() { a.groups = map[failureKey]*failureGroup{} }

func (a *failureAgg) add(e *observe.Failure) {
	k := failureKey{e.Stage, e.Reason}
	g := a.groups[k]
	if g == nil {
		if len(a.groups) >= maxReasons {
			k.reason = otherReasons
		}
		if g = a.groups[k]; g == nil {
			g = &failureGroup{}
			a.groups[k] = g
		}
	}
	g.count++
	sample := cmp.Or(e.URL, e.Key)
	if len(g.samples) < maxSamples && sample != "" && !slices.Contains(g.samples, sample) {
		g.samples = append(g.samples, sample)
	}
}

// rows returns the n largest groups, largest first.
func (a *failureAgg) rows(n int) []FailureRow {
	out := make([]FailureRow, 0, len(a.groups))
	for k, g := range a.groups {
		out = append(out, FailureRow{Stage: k.stage, Reason: k.reason, Count: g.count, Samples: slices.Clone(g.samples)})
	}
	slices.SortFunc(out, func(x, y FailureRow) int {
		return cmp.Or(cmp.Compare(y.Count, x.Count), cmp.Compare(x.Stage, y.Stage), cmp.Compare(x.Reason, y.Reason))
	})
	return out[:min(n, len(out))]
}
