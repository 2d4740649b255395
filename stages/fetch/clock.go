package fetch

import (
	"context"
	"math/rand/v2"
	"time"
)

// clock is the fetcher's view of time. Tests replace it to observe and
// skip waits instead of sleeping.
type clock struct {
	now    func() time.Time
	sleep  func(ctx context.Context, d time.Duration) error
	jitter func() float64 // uniform in [0,1)
}

func realClock() clock {
	return clock{now: time.Now, sleep: sleepCtx, jitter: rand.Float64}
}

// sleepCtx waits d, or returns the context's error when it ends first.
func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
