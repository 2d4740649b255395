package observe_test

import (
	"fmt"
	"testing"

	"github.com/sluicehq/sluice/observe"
)

// selective is a recorder that declares its kinds itself.
type selective struct {
	recorder
	kinds observe.Kind
}

func (s *selective) Kinds() observe.Kind { return s.kinds }

// kindsSeen lists the kinds of the events r saw, in order.
func kindsSeen(r *recorder) []observe.Kind {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []observe.Kind
	for _, e := range r.events {
		out = append(out, observe.KindOf(e))
	}
	return out
}

// Observers wrapped by Only, alone or with Lossless in either order, and
// observers that declare their kinds see only those kinds, their
// RunFinished last; an unwrapped observer sees everything; Wants is the
// union.
func TestHubOnlyDeliversTheKindsAsked(t *testing.T) {
	all, fetches, failuresLossless, losslessFailures := &recorder{}, &recorder{}, &recorder{}, &recorder{}
	declared := &selective{kinds: observe.KindWarning}
	h := observe.NewHub(
		observe.Only(fetches, observe.KindFetch),
		observe.Only(observe.Lossless(failuresLossless), observe.KindFailure),
		observe.Lossless(observe.Only(losslessFailures, observe.KindFailure)),
		declared,
	)
	for _, c := range []struct {
		k    observe.Kind
		want bool
	}{{observe.KindFetch, true}, {observe.KindFailure, true}, {observe.KindWarning, true},
		{observe.KindStageSnapshot, false}, {observe.KindCommitted, false}, {observe.KindRunStarted, false},
		{observe.KindCommitted | observe.KindFetch, true}} {
		if got := h.Wants(c.k); got != c.want {
			t.Errorf("Wants(%b) = %v, want %v", c.k, got, c.want)
		}
	}
	h.Start()
	publish := func(h *observe.Hub) {
		h.Publish(&observe.RunStarted{})
		h.Publish(&observe.Fetch{Key: "a"})
		h.Publish(&observe.Failure{Key: "b"})
		h.Publish(&observe.StageSnapshot{})
		h.Publish(&observe.Warning{Msg: "w"})
		h.Publish(&observe.Committed{})
		h.Publish(&observe.Fetch{Key: "c"})
		h.Publish(&observe.RunFinished{})
		h.Close()
	}
	publish(h)
	full := observe.NewHub(all)
	if !full.Wants(observe.KindFetch) || !full.Wants(observe.KindAll) {
		t.Error("a hub with an unwrapped observer does not want every kind")
	}
	full.Start()
	publish(full)

	for _, c := range []struct {
		name string
		r    *recorder
		want []observe.Kind
	}{
		{"Only(Fetch)", fetches, []observe.Kind{observe.KindFetch, observe.KindFetch, observe.KindRunFinished}},
		{"Only(Lossless, Failure)", failuresLossless, []observe.Kind{observe.KindFailure, observe.KindRunFinished}},
		{"Lossless(Only(Failure))", losslessFailures, []observe.Kind{observe.KindFailure, observe.KindRunFinished}},
		{"Selective(Warning)", &declared.recorder, []observe.Kind{observe.KindWarning, observe.KindRunFinished}},
		{"unwrapped", all, []observe.Kind{observe.KindRunStarted, observe.KindFetch, observe.KindFailure,
			observe.KindWarning, observe.KindCommitted, observe.KindFetch, observe.KindStageSnapshot, observe.KindRunFinished}},
	} {
		if got := kindsSeen(c.r); fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("%s saw kinds %v, want %v", c.name, got, c.want)
		}
	}
	if observe.NewHub().Wants(observe.KindAll) {
		t.Error("an empty hub wants events")
	}
	var nilHub *observe.Hub
	if nilHub.Wants(observe.KindAll) {
		t.Error("a nil hub wants events")
	}
}

// Every event has a kind bit of its own; KindAll is their union.
func TestKindOf(t *testing.T) {
	events := []observe.Event{&observe.RunStarted{}, &observe.StageSnapshot{}, &observe.Fetch{}, &observe.Failure{},
		&observe.Committed{}, &observe.Warning{}, &observe.RunFinished{}}
	var union observe.Kind
	for _, e := range events {
		k := observe.KindOf(e)
		if k == 0 || union&k != 0 {
			t.Fatalf("KindOf(%T) = %b: zero or shared with another kind", e, k)
		}
		union |= k
	}
	if union != observe.KindAll {
		t.Fatalf("kinds cover %b, KindAll is %b", union, observe.KindAll)
	}
	if observe.KindOf(nil) != 0 {
		t.Fatal("KindOf(nil) is not 0")
	}
}
