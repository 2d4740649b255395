package observe_test

import (
	"fmt"

	"github.com/sluicehq/sluice/observe"
)

// An observer counts failures by reason; the hub delivers on its own
// goroutine and RunFinished comes last.
func ExampleHub() {
	byReason := map[string]int{}
	h := observe.NewHub(observe.Func(func(e observe.Event) {
		switch e := e.(type) {
		case *observe.Failure:
			byReason[e.Reason]++
		case *observe.RunFinished:
			fmt.Println("finished:", e.Outcome, byReason)
		}
	}))
	h.Start()
	h.Publish(&observe.Failure{Reason: "HTTP 404 Not Found"})
	h.Publish(&observe.Failure{Reason: "HTTP 404 Not Found"})
	h.Publish(&observe.RunFinished{Outcome: observe.Complete})
	h.Close()
	// Output: finished: complete map[HTTP 404 Not Found:2]
}

// An observer that reads only failures says so with Only: it is handed
// nothing else (but its RunFinished), and a run whose observers are all
// like it builds no Fetch events at all.
func ExampleOnly() {
	failures := 0
	h := observe.NewHub(observe.Only(observe.Func(func(e observe.Event) {
		switch e.(type) {
		case *observe.Failure:
			failures++
		case *observe.RunFinished:
			fmt.Println("failures:", failures)
		case *observe.Fetch:
			fmt.Println("never printed")
		}
	}), observe.KindFailure))
	fmt.Println("wants fetch events:", h.Wants(observe.KindFetch))
	h.Start()
	h.Publish(&observe.Fetch{Key: "a"})
	h.Publish(&observe.Failure{Key: "b"})
	h.Publish(&observe.RunFinished{})
	h.Close()
	// Output:
	// wants fetch events: false
	// failures: 1
}
