package progress

import (
	"testing"

	"github.com/sluicehq/sluice/observe"
)

// The progress observer takes the snapshots, not every fetch: a hub with
// it alone wants no Fetch events, so a run it observes builds none.
func TestObserverWantsNoFetchEvents(t *testing.T) {
	h := observe.NewHub(New(Config{}).Observer())
	if h.Wants(observe.KindFetch) || h.Wants(observe.KindFailure) {
		t.Fatal("a hub with only the progress observer wants fetch or failure events")
	}
	if !h.Wants(observe.KindStageSnapshot) || !h.Wants(observe.KindRunStarted) {
		t.Fatal("a hub with the progress observer does not want its snapshots")
	}
}
