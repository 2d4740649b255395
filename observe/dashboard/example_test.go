package dashboard_test

import (
	"fmt"
	"time"

	"github.com/sluicehq/sluice/observe"
	"github.com/sluicehq/sluice/observe/dashboard"
	"github.com/sluicehq/sluice/pipeline"
)

// A dashboard is an observe.Observer: pass it in job.RunOptions.Observers
// and serve d.Handler() (for example with http.ListenAndServe on
// 127.0.0.1). Here it is fed events by hand.
func ExampleNew() {
	d := dashboard.New(dashboard.Config{})
	d.Observe(&observe.RunStarted{Job: "shop", Total: 10, Graph: pipeline.Graph{Stages: []pipeline.GraphStage{
		{Name: "read", Kind: "source", Workers: 1}, {Name: "fetch", Kind: "map", Workers: 4}, {Name: "write", Kind: "sink", Workers: 1}}}})
	d.Observe(&observe.Fetch{Host: "example.com", Status: 200, Attempts: 1, Latency: 20 * time.Millisecond})
	d.Observe(&observe.StageSnapshot{Elapsed: time.Second, Stages: []pipeline.StageStats{
		{Name: "read", Kind: "source", Workers: 1, Emitted: 10},
		{Name: "fetch", Kind: "map", Workers: 4, In: 10, Out: 4, InFlight: 4, Busy: 4 * time.Second},
		{Name: "write", Kind: "sink", Workers: 1, In: 4, Out: 4, Busy: 100 * time.Millisecond}}})
	f := d.Frame()
	fmt.Printf("%s: %d of %d done, eta %.1fs, bottleneck %s\n", f.State, f.Ledger.Done, f.Ledger.Total, f.Ledger.ETA, f.Bottleneck)
	// Output:
	// running: 4 of 10 done, eta 1.5s, bottleneck fetch
}
