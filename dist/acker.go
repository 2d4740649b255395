package dist

import (
	"context"
	"encoding/json"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/sluicehq/sluice/observe"
)

// acker is the worker's observer: it acks the messages of the inputs a
// commit round made durable, publishing the dead letters of the failed
// ones first, and counts what the worker did for its stats.
type acker struct {
	w *Worker

	mu       sync.Mutex
	failures map[string]*observe.Failure // by key, until committed
	stats    WorkerStats
	rates    []ratePoint
}

type ratePoint struct {
	t     time.Time
	acked int64
}

// Observe handles one run event.
func (a *acker) Observe(e observe.Event) {
	switch e := e.(type) {
	case *observe.Fetch:
		a.mu.Lock()
		a.stats.Fetches++
		a.stats.Bytes += e.Bytes
		a.mu.Unlock()
	case *observe.Failure:
		a.mu.Lock()
		a.failures[e.Key] = e
		a.mu.Unlock()
	case *observe.Committed:
		a.committed(e)
	}
}

// committed dead-letters the failed keys, then acks every key's messages.
func (a *acker) committed(e *observe.Committed) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var futures []jetstream.PubAckFuture
	unpublished := map[string]bool{}
	reasons := map[string]int64{}
	for _, key := range e.Failed {
		a.mu.Lock()
		f := a.failures[key]
		delete(a.failures, key)
		a.mu.Unlock()
		dl := DeadLetter{Key: key, Stage: "unknown", Reason: "unknown", Worker: a.w.id, Time: time.Now()}
		if f != nil {
			dl.URL, dl.Stage, dl.Reason, dl.Error, dl.Attempts = f.URL, f.Stage, f.Reason, errString(f.Err), f.Attempts
		}
		reasons[dl.Reason]++
		data, _ := json.Marshal(dl)
		fut, err := a.w.js.PublishAsync(a.w.names.DeadSubject(), data, jetstream.WithMsgID(key))
		if err == nil {
			futures = append(futures, fut)
		} else {
			unpublished[key] = true
		}
	}
	for _, f := range futures {
		select {
		case <-f.Ok():
		case <-f.Err():
			// not acked below either: the input is redelivered and fails again
			key := f.Msg().Header.Get(jetstream.MsgIDHeader)
			unpublished[key] = true
			a.w.src.tracker.take([]string{key})
		case <-ctx.Done():
			unpublished[f.Msg().Header.Get(jetstream.MsgIDHeader)] = true
		}
	}
	keys := append(append([]string(nil), e.Written...), e.Failed...)
	// Settled before acked: a redelivery after a crash here is acked
	// without running again. If this fails, redeliveries just run again.
	settle := make([]string, 0, len(keys))
	for _, k := range keys {
		if !unpublished[k] {
			settle = append(settle, k)
		}
	}
	_ = a.w.ckpt.Settle(ctx, settle)
	for _, m := range a.w.src.tracker.take(keys) {
		_ = m.Ack()
	}
	a.mu.Lock()
	a.stats.Acked += int64(len(keys))
	a.stats.Written += int64(len(e.Written))
	a.stats.Failed += int64(len(e.Failed))
	a.stats.Records += e.Records
	for r, n := range reasons {
		a.stats.Reasons[r] += n
	}
	a.mu.Unlock()
}

// acked is how many inputs the worker acked.
func (a *acker) acked() int64 {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.stats.Acked
}

// roundFailed counts a failed round and keeps its error for the stats.
func (a *acker) roundFailed(err error) {
	a.mu.Lock()
	a.stats.FailedRounds++
	a.stats.LastError = err.Error()
	a.mu.Unlock()
}

// deadLettered counts a dead letter the source published itself.
func (a *acker) deadLettered(reason string) {
	a.mu.Lock()
	a.stats.Acked++
	a.stats.Failed++
	a.stats.Reasons[reason]++
	a.mu.Unlock()
}

// snapshot returns the worker's stats with the rate over the last ten
// seconds.
func (a *acker) snapshot(now time.Time) WorkerStats {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.rates = append(a.rates, ratePoint{now, a.stats.Acked})
	for len(a.rates) > 1 && now.Sub(a.rates[0].t) > 10*time.Second {
		a.rates = a.rates[1:]
	}
	s := a.stats
	if first := a.rates[0]; now.Sub(first.t) > 0 {
		s.Rate = float64(s.Acked-first.acked) / now.Sub(first.t).Seconds()
	}
	s.Reasons = make(map[string]int64, len(a.stats.Reasons))
	for r, n := range a.stats.Reasons {
		s.Reasons[r] = n
	}
	s.Updated = now
	return s
}
