package pipeline

import "context"

// lane is the cancellation signal every engine send and receive selects on:
// the Done channel and Err method of the run's context (for sources, of the
// sources' context). The fast paths below check Err (an atomic load) and
// try the channel alone, skipping the two-way select, which locks the done
// channel that every goroutine of the run shares.
type lane struct {
	done <-chan struct{}
	err  func() error
}

func laneOf(ctx context.Context) lane { return lane{done: ctx.Done(), err: ctx.Err} }

// send delivers v on ch unless the lane is closed first. It reports whether
// v was delivered. This and recv are the only places the engine touches
// its channels.
func send[T any](l lane, ch chan<- T, v T) bool {
	if l.err() != nil {
		return false
	}
	select {
	case ch <- v:
		return true
	default:
	}
	select {
	case ch <- v:
		return true
	case <-l.done:
		return false
	}
}

// recv takes the next value from ch. ok is false when ch is closed and
// drained, or when the lane is closed.
func recv[T any](l lane, ch <-chan T) (v T, ok bool) {
	if l.err() != nil {
		return v, false
	}
	select {
	case v, ok = <-ch:
		return v, ok
	default:
	}
	select {
	case v, ok = <-ch:
		if ok && l.err() != nil {
			var zero T
			return zero, false
		}
		return v, ok
	case <-l.done:
		var zero T
		return zero, false
	}
}

// wait blocks until ch is closed or the lane is closed, and reports whether
// ch was.
func wait(l lane, ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	case <-l.done:
		return false
	}
}

// recvOrIdle is recv that calls idle before it waits.
func recvOrIdle[T any](l lane, ch <-chan T, idle func()) (v T, ok bool) {
	if l.err() == nil {
		select {
		case v, ok = <-ch:
			return v, ok
		default:
		}
	}
	if idle != nil {
		idle()
	}
	return recv(l, ch)
}
