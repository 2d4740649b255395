package dist

import (
	"context"
	"math/rand/v2"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// leases is a worker's share of the job's partitions. A partition is
// held by one worker at a time through a create-only key in the lease
// bucket, renewed every leaseRenew and gone leaseTTL after its holder
// stops renewing (killed, or cut off from NATS). Every host maps to one
// partition, so the holder's fetcher enforces the host's concurrency and
// rate limits for the whole cluster.
//
// While the queue holds inputs, each worker aims at an even share of
// them, counting the inputs each partition holds (see balance); with an
// empty queue, at an even share of the partitions, ceil(partitions /
// workers alive). A worker over its share releases partitions: it stops
// pulling them, lets their inputs in flight commit and be acked, then
// deletes the lease for another worker to take.
type leases struct {
	kv, workers jetstream.KeyValue
	stream      jetstream.Stream
	subjects    string // the wildcard of every partition's subject
	me          string
	n           int
	inFlight    func(p int) int

	mu        sync.Mutex
	held      map[int]uint64 // partition → lease revision
	releasing map[int]bool
	alive     int
}

// leaseRenew is how often leases are renewed and shares recomputed.
const leaseRenew = 500 * time.Millisecond

func newLeases(q *queue, me string, inFlight func(int) int) *leases {
	return &leases{kv: q.leases, workers: q.workers, stream: q.stream, subjects: q.names.Subjects(), me: me, n: q.settings.Partitions, inFlight: inFlight,
		held: map[int]uint64{}, releasing: map[int]bool{}}
}

func leaseKey(p int) string { return "p." + strconv.Itoa(p) }

// active returns the partitions the worker may pull from.
func (l *leases) active() []int {
	l.mu.Lock()
	defer l.mu.Unlock()
	var ps []int
	for p := range l.held {
		if !l.releasing[p] {
			ps = append(ps, p)
		}
	}
	slices.Sort(ps)
	return ps
}

// run maintains the leases until ctx ends, then releases them all.
func (l *leases) run(ctx context.Context) {
	t := time.NewTicker(leaseRenew)
	defer t.Stop()
	for {
		l.tick(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// tick renews, releases and claims.
func (l *leases) tick(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	l.renew(ctx)
	target := l.target(ctx)
	if loads, total := l.loads(ctx); total > 0 {
		l.balance(ctx, loads, total)
		return
	}
	l.mu.Lock()
	active := len(l.held) - len(l.releasing)
	extra := active - target
	for p := l.n - 1; p >= 0 && extra > 0; p-- {
		if _, ok := l.held[p]; ok && !l.releasing[p] {
			l.releasing[p] = true
			extra--
		}
	}
	l.mu.Unlock()
	l.dropReleased(ctx)
	if active < target {
		l.claim(ctx, target-active)
	}
}

// renew extends every lease held; one that cannot be renewed is lost.
func (l *leases) renew(ctx context.Context) {
	l.mu.Lock()
	held := copyHeld(l.held)
	l.mu.Unlock()
	for p, rev := range held {
		nrev, err := l.kv.Update(ctx, leaseKey(p), []byte(l.me), rev)
		l.mu.Lock()
		if err != nil {
			delete(l.held, p)
			delete(l.releasing, p)
		} else {
			l.held[p] = nrev
		}
		l.mu.Unlock()
	}
}

// target is this worker's fair share of the partitions.
func (l *leases) target(ctx context.Context) int {
	alive := 0
	if lister, err := l.workers.ListKeys(ctx); err == nil {
		for range lister.Keys() {
			alive++
		}
	}
	alive = max(alive, 1)
	l.mu.Lock()
	l.alive = alive
	l.mu.Unlock()
	return (l.n + alive - 1) / alive
}

// dropReleased deletes the leases of released partitions with nothing
// in flight.
func (l *leases) dropReleased(ctx context.Context) {
	l.mu.Lock()
	var done []int
	for p := range l.releasing {
		if l.inFlight(p) == 0 {
			done = append(done, p)
		}
	}
	l.mu.Unlock()
	for _, p := range done {
		l.mu.Lock()
		rev := l.held[p]
		delete(l.held, p)
		delete(l.releasing, p)
		l.mu.Unlock()
		_ = l.kv.Delete(ctx, leaseKey(p), jetstream.LastRevision(rev))
	}
}

// claim tries to take up to want free partitions, starting at a random
// one so that workers starting together spread out.
func (l *leases) claim(ctx context.Context, want int) {
	start := rand.IntN(l.n)
	for i := 0; i < l.n && want > 0; i++ {
		p := (start + i) % l.n
		l.mu.Lock()
		_, mine := l.held[p]
		l.mu.Unlock()
		if mine {
			continue
		}
		if l.take(ctx, p) {
			want--
		}
	}
}

// take creates partition p's lease for this worker; false if another
// worker holds it (or NATS did not answer).
func (l *leases) take(ctx context.Context, p int) bool {
	rev, err := l.kv.Create(ctx, leaseKey(p), []byte(l.me))
	if err != nil {
		return false
	}
	l.mu.Lock()
	l.held[p] = rev
	l.mu.Unlock()
	return true
}

// releaseAll deletes every lease held (a worker stopping cleanly, after
// its last commit).
func (l *leases) releaseAll(ctx context.Context) {
	l.mu.Lock()
	held := copyHeld(l.held)
	clear(l.held)
	clear(l.releasing)
	l.mu.Unlock()
	for p, rev := range held {
		_ = l.kv.Delete(ctx, leaseKey(p), jetstream.LastRevision(rev))
	}
}

// snapshot returns the partitions held and the workers alive.
func (l *leases) snapshot() ([]int, int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	ps := make([]int, 0, len(l.held))
	for p := range l.held {
		ps = append(ps, p)
	}
	slices.Sort(ps)
	return ps, l.alive
}

func copyHeld(m map[int]uint64) map[int]uint64 {
	out := make(map[int]uint64, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
