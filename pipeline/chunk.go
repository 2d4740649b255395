package pipeline

// Items travel between stages in chunks ([]T), so that a fast stage
// feeding a busy one pays for one channel operation per chunk instead of
// one per item. The rules keep chunking from costing latency or
// parallelism:
//
//   - A producer sends at once when its consumer is idle (the channel is
//     empty); it only gathers items while the consumer is behind, and only
//     while its own items are quick (see busyClock): a slow producer, such
//     as a fetch worker, sends every item at once, so nothing waits in its
//     hands while it works on the next.
//   - A chunk holds at most maxChunk items, and only 1 when the consuming
//     stage has several workers, so work is never hoarded by one worker
//     while others idle (a slow fetch stage with 64 workers gets items one
//     by one).
//   - Producers flush what they hold before they wait for their own input,
//     and when they finish.
//
// Chunks are cut from an arena that the producer allocates maxChunk items
// at a time, so chunking costs one allocation per maxChunk items; a
// producer whose chunks hold one item allocates singleArena at a time, as
// many such producers (a fetch stage's hundreds of workers) would
// otherwise each keep most of a 64-item arena alive. A consumer zeroes
// each slot it takes, so items are not kept alive by the arena after they
// are done with.
const (
	maxChunk    = 64
	singleArena = 8
)

// outbox gathers one producer goroutine's items into chunks.
type outbox[T any] struct {
	ch    chan []T
	max   int
	size  int // items in an arena
	arena []T
	start int   // first item of arena not yet sent
	sent  int64 // items sent so far
}

func newOutbox[T any](s Stream[T]) *outbox[T] {
	o := &outbox[T]{ch: s.e.ch, max: s.info.chunkMax(), size: maxChunk}
	if o.max == 1 {
		o.size = singleArena
	}
	return o
}

// put adds v and sends when the consumer is idle, the chunk is full, or
// eager is set (the producer is slow, so holding items would only delay
// them). It reports false when the lane closed; the items it held are then
// lost with the run.
func (o *outbox[T]) put(l lane, v T, eager bool) bool {
	if len(o.arena) == cap(o.arena) {
		o.arena, o.start = make([]T, 0, o.size), 0
	}
	o.arena = append(o.arena, v)
	if n := len(o.arena) - o.start; eager || n >= o.max || len(o.ch) == 0 || len(o.arena) == cap(o.arena) {
		_, ok := o.flush(l)
		return ok
	}
	return true
}

// putAll adds the items of vs, whose backing array it takes over: on a
// chunking edge it sends what it held, then vs in chunks cut from vs in
// place; on an edge of single items it puts them one by one.
func (o *outbox[T]) putAll(l lane, vs []T) bool {
	if o.max < maxChunk {
		for _, v := range vs {
			if !o.put(l, v, false) {
				return false
			}
		}
		return true
	}
	if _, ok := o.flush(l); !ok {
		return false
	}
	for len(vs) > 0 {
		n := min(len(vs), maxChunk)
		if !send(l, o.ch, vs[:n:n]) {
			return false
		}
		o.sent += int64(n)
		vs = vs[n:]
	}
	return true
}

// flush sends the items held, if any, and reports how many it sent.
func (o *outbox[T]) flush(l lane) (int, bool) {
	n := len(o.arena) - o.start
	if n == 0 {
		return 0, true
	}
	if !send(l, o.ch, o.arena[o.start:len(o.arena):len(o.arena)]) {
		return 0, false
	}
	o.start = len(o.arena)
	o.sent += int64(n)
	return n, true
}

// inbox hands out the items of the chunks one consumer goroutine receives.
type inbox[T any] struct {
	ch    <-chan []T
	chunk []T
	i     int
}

// next returns the next item. Before it would wait for a chunk, it calls
// idle (which publishes the worker's tally and flushes its outbox).
func (b *inbox[T]) next(l lane, idle func()) (v T, ok bool) {
	if l.err() != nil {
		return v, false
	}
	if b.i == len(b.chunk) {
		if b.chunk, ok = recvOrIdle(l, b.ch, idle); !ok {
			return v, false
		}
		b.i = 0
	}
	v = b.chunk[b.i]
	var zero T
	b.chunk[b.i] = zero
	b.i++
	return v, true
}

// rest returns how many items of the current chunk are still unread.
func (b *inbox[T]) rest() int { return len(b.chunk) - b.i }

// chunkMax is the largest chunk the stream's producer may send: 1 when the
// consumer has several workers.
func (si *streamInfo) chunkMax() int {
	if len(si.consumerStages) == 1 && si.consumerStages[0].cfg.workers == 1 {
		return maxChunk
	}
	return 1
}

// capacity is the channel capacity in chunks: buffer when chunks are
// single items, else buffer/8 (at least 1 when buffer > 0), so a chunking
// edge holds at most 8×buffer items (512 by default) rather than 64×.
func (si *streamInfo) capacity(buffer int) int {
	if si.chunkMax() == 1 || buffer == 0 {
		return buffer
	}
	return max(1, buffer/8)
}
