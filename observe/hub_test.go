package observe_test

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sluicehq/sluice/internal/leakcheck"
	"github.com/sluicehq/sluice/observe"
)

func TestMain(m *testing.M) { leakcheck.VerifyTestMain(m) }

// recorder keeps every event it sees, optionally sleeping in Observe.
type recorder struct {
	mu     sync.Mutex
	sleep  atomic.Int64 // nanoseconds
	events []observe.Event
}

func (r *recorder) Observe(e observe.Event) {
	time.Sleep(time.Duration(r.sleep.Load()))
	r.mu.Lock()
	r.events = append(r.events, e)
	r.mu.Unlock()
}

func TestHubDeliversInOrderAndFinishesLast(t *testing.T) {
	r := &recorder{}
	h := observe.NewHub(r)
	h.Start()
	h.Publish(&observe.RunStarted{Job: "j"})
	for i := range 100 {
		h.Publish(&observe.Failure{Key: string(rune('a' + i%26))})
	}
	h.Publish(&observe.RunFinished{Outcome: observe.Complete})
	h.Close()
	if len(r.events) != 102 {
		t.Fatalf("got %d events, want 102", len(r.events))
	}
	if _, ok := r.events[0].(*observe.RunStarted); !ok {
		t.Fatalf("first event %T, want *RunStarted", r.events[0])
	}
	for i := 1; i <= 100; i++ {
		f := r.events[i].(*observe.Failure)
		if want := string(rune('a' + (i-1)%26)); f.Key != want {
			t.Fatalf("event %d key %q, want %q", i, f.Key, want)
		}
	}
	fin, ok := r.events[101].(*observe.RunFinished)
	if !ok || fin.Dropped != 0 {
		t.Fatalf("last event %#v, want RunFinished with nothing dropped", r.events[101])
	}
}

// A sleeping observer must not block the publisher: publishing many
// events returns at once, the excess is dropped and counted, snapshots
// coalesce, and RunFinished still arrives last.
func TestHubSlowObserverNeverBlocks(t *testing.T) {
	slow := &recorder{}
	slow.sleep.Store(int64(50 * time.Millisecond))
	fast := &recorder{}
	h := observe.NewHub(slow, fast)
	h.Start()
	n := 3 * observe.QueueSize // the mailbox holds QueueSize plus the batch being delivered
	done := make(chan struct{})
	go func() {
		defer close(done)
		for range n {
			h.Publish(&observe.Fetch{Status: 200})
			h.Publish(&observe.StageSnapshot{})
		}
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Publish blocked on a slow observer")
	}
	h.Publish(&observe.RunFinished{})
	// The slow observer has QueueSize events at 50ms each queued: Close
	// waits CloseGrace for it, then drops the rest.
	start := time.Now()
	h.Close()
	if waited := time.Since(start); waited > observe.CloseGrace+5*time.Second {
		t.Errorf("Close waited %v for a slow observer, want about CloseGrace (%v)", waited, observe.CloseGrace)
	}
	fin := slow.events[len(slow.events)-1].(*observe.RunFinished)
	if fin.Dropped == 0 {
		t.Fatal("slow observer dropped nothing; want events dropped, not the publisher blocked")
	}
	fetches := 0
	for _, e := range slow.events {
		if _, ok := e.(*observe.Fetch); ok {
			fetches++
		}
	}
	if int64(fetches)+fin.Dropped != int64(n) {
		t.Fatalf("slow: %d delivered + %d dropped != %d published", fetches, fin.Dropped, n)
	}
	if _, ok := fast.events[len(fast.events)-1].(*observe.RunFinished); !ok {
		t.Fatal("fast observer did not get RunFinished last")
	}
}

func TestHubCloseWithoutFinish(t *testing.T) {
	r := &recorder{}
	h := observe.NewHub(r, nil)
	h.Start()
	h.Close()
	if len(r.events) != 1 {
		t.Fatalf("got %d events, want the RunFinished Close supplies", len(r.events))
	}
	var empty *observe.Hub
	empty.Publish(&observe.Fetch{})
	if !empty.Empty() || !observe.NewHub().Empty() {
		t.Fatal("nil or observer-less hub not Empty")
	}
}

// A Lossless observer sees every event however slow it is, and Close
// waits for it.
func TestHubLosslessObserverSeesEverything(t *testing.T) {
	slow := &recorder{}
	slow.sleep.Store(int64(time.Microsecond))
	h := observe.NewHub(observe.Lossless(slow))
	h.Start()
	n := 3 * observe.QueueSize
	for range n {
		h.Publish(&observe.Committed{Records: 1})
	}
	h.Publish(&observe.RunFinished{})
	h.Close()
	if len(slow.events) != n+1 {
		t.Fatalf("lossless observer saw %d events, want %d", len(slow.events), n+1)
	}
	if fin := slow.events[n].(*observe.RunFinished); fin.Dropped != 0 {
		t.Fatalf("dropped %d", fin.Dropped)
	}
}
