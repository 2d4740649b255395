package fetch

import (
	"time"

	"golang.org/x/time/rate"
)

// HostState is a snapshot of one host's politeness state, for
// dashboards: the adaptive (AIMD) concurrency cap, the requests in flight
// and waiting, and the token bucket's current rate.
type HostState struct {
	// Host is the host name and port (default port left out); HTTPS
	// tells the two origins of one name apart.
	Host  string
	HTTPS bool
	// Limit is the current concurrency cap: MaxLimit, halved on every
	// 429/503 and grown back by one slot per Limit successes in a row.
	Limit, MaxLimit int
	// InFlight is how many requests hold a slot; Waiting how many wait
	// for one.
	InFlight, Waiting int
	// Rate is the current request rate cap per second and BaseRate the
	// one it recovers to; both 0 when the host has no rate cap.
	Rate, BaseRate float64
	// PausedUntil is when a Retry-After pause ends; zero when none was set.
	PausedUntil time.Time
}

// HostStates returns the state of every host the Fetcher holds state for
// (at most Config.MaxHosts, most recently used last). It takes each
// host's lock briefly and does not change which hosts are kept.
func (f *Fetcher) HostStates() []HostState {
	keys := f.hosts.cache.Keys()
	out := make([]HostState, 0, len(keys))
	for _, k := range keys {
		h, ok := f.hosts.cache.Peek(k)
		if !ok {
			continue
		}
		out = append(out, h.snapshot(k))
	}
	return out
}

func (h *hostState) snapshot(k hostID) HostState {
	h.mu.Lock()
	defer h.mu.Unlock()
	s := HostState{Host: k.host, HTTPS: k.https, Limit: h.limit, MaxLimit: h.maxLimit,
		InFlight: h.inFlight, Waiting: len(h.waiters), PausedUntil: h.pausedTo}
	if h.limiter != nil {
		s.Rate, s.BaseRate = perSecond(h.limiter.Limit()), perSecond(h.baseRate)
	}
	return s
}

func perSecond(l rate.Limit) float64 {
	if l == rate.Inf {
		return 0
	}
	return float64(l)
}
