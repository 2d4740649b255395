package progress

import (
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/sluicehq/sluice/observe"
	"github.com/sluicehq/sluice/pipeline"
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

// A run counts its inputs beside the pipeline: the lines show no total
// until a snapshot carries the count, then the count and an ETA. A total
// set in the Config is the user's and stays.
func TestObserverTakesTheCountFromSnapshots(t *testing.T) {
	for _, tc := range []struct {
		cfgTotal int64
		want     []string
	}{
		{0, []string{"progress: 1s | read 0 | 0.0/s", "progress: 2s | read 3/40 | 1.5/s | eta 25s", "progress: 2s | read 3/40 | 1.5/s | eta 25s"}},
		{7, []string{"progress: 1s | read 0/7 | 0.0/s", "progress: 2s | read 3/7 | 1.5/s | eta 3s", "progress: 2s | read 3/7 | 1.5/s | eta 3s"}},
	} {
		synctest.Test(t, func(t *testing.T) {
			var out syncBuffer
			o := New(Config{Out: &out, Interval: time.Second, Total: tc.cfgTotal}).Observer()
			o.Observe(&observe.RunStarted{Total: -1, Graph: pipeline.Graph{Stages: []pipeline.GraphStage{{Name: "read", Kind: "source"}}}})
			time.Sleep(time.Second)
			synctest.Wait()
			o.Observe(&observe.StageSnapshot{Stages: []pipeline.StageStats{{Name: "read", Kind: "source", Emitted: 3}}, Total: 40})
			time.Sleep(time.Second)
			synctest.Wait()
			o.Observe(&observe.RunFinished{})
			if got := strings.Split(strings.TrimSpace(out.String()), "\n"); !slices.Equal(got, tc.want) {
				t.Errorf("Config.Total %d: lines\n%s\nwant\n%s", tc.cfgTotal, strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}
