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
