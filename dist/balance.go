package dist

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/nats-io/nats.go/jetstream"
)

// loads returns how many inputs each partition holds in the stream
// (queued or in flight: a work-queue stream drops an input when it is
// acked) and their total; a total of 0 when the stream cannot be read.
func (l *leases) loads(ctx context.Context) ([]int, int) {
	info, err := l.stream.Info(ctx, jetstream.WithSubjectFilter(l.subjects))
	if err != nil {
		return nil, 0
	}
	loads := make([]int, l.n)
	total := 0
	for subj, n := range info.State.Subjects {
		p, err := strconv.Atoi(subj[strings.LastIndexByte(subj, '.')+1:])
		if err != nil || p < 0 || p >= l.n {
			continue
		}
		loads[p] = int(n)
		total += int(n)
	}
	return loads, total
}

// balance moves partitions towards an even share of the inputs left:
// hosts differ in inputs and hash unevenly over partitions, so an even
// count of partitions leaves some workers idle while others still work.
// A worker over its share by more than half a partition's inputs
// releases that partition (the smallest first); a worker under its share
// claims free partitions that bring it closer (the largest first), and a
// worker with nothing claims any partition with inputs.
func (l *leases) balance(ctx context.Context, loads []int, total int) {
	l.mu.Lock()
	fair := float64(total) / float64(max(l.alive, 1))
	mine, busy := 0, []int{}
	for p := range l.held {
		if !l.releasing[p] && loads[p] > 0 {
			mine += loads[p]
			busy = append(busy, p)
		}
	}
	slices.SortFunc(busy, func(a, b int) int { return loads[a] - loads[b] })
	for _, p := range busy[:max(len(busy)-1, 0)] { // keep one: never drop to nothing
		if float64(mine)-fair > float64(loads[p])/2 {
			l.releasing[p] = true
			mine -= loads[p]
		}
	}
	l.mu.Unlock()
	l.dropReleased(ctx)
	for _, p := range l.free(ctx, loads) {
		if mine > 0 && float64(mine)+float64(loads[p])/2 > fair {
			continue
		}
		if l.take(ctx, p) {
			mine += loads[p]
		}
	}
}

// free returns the partitions with inputs that no worker holds, the
// largest first.
func (l *leases) free(ctx context.Context, loads []int) []int {
	held := map[string]bool{}
	lister, err := l.kv.ListKeys(ctx)
	if err != nil {
		return nil
	}
	for k := range lister.Keys() {
		held[k] = true
	}
	var out []int
	for p, n := range loads {
		if n > 0 && !held[leaseKey(p)] {
			out = append(out, p)
		}
	}
	slices.SortFunc(out, func(a, b int) int { return loads[b] - loads[a] })
	return out
}
