package pipeline

// MemoryQueue is an in-memory, first-in first-out [Queue], which makes a
// [Frontier] breadth-first. With a key function it accepts each key once
// and rejects repeats. It keeps everything in memory — the waiting items
// and every key it has seen — so it suits crawls of a bounded size; a
// large crawl wants a queue that spills to disk (package stages/crawl has
// one). The zero value is a FIFO that accepts everything.
type MemoryQueue[T any] struct {
	key   func(T) string
	seen  map[string]struct{}
	items []T
	head  int
}

// NewMemoryQueue returns a FIFO queue that rejects an item whose key was
// pushed before. A nil key accepts every item.
func NewMemoryQueue[T any](key func(T) string) *MemoryQueue[T] {
	return &MemoryQueue[T]{key: key, seen: make(map[string]struct{})}
}

// Push appends v, unless its key was seen before. It never fails.
func (q *MemoryQueue[T]) Push(v T) (bool, error) {
	if q.key != nil {
		k := q.key(v)
		if _, dup := q.seen[k]; dup {
			return false, nil
		}
		q.seen[k] = struct{}{}
	}
	q.items = append(q.items, v)
	return true, nil
}

// Pop removes the oldest item. It never fails.
func (q *MemoryQueue[T]) Pop() (v T, ok bool, err error) {
	if q.head == len(q.items) {
		return v, false, nil
	}
	v = q.items[q.head]
	var zero T
	q.items[q.head] = zero
	q.head++
	if q.head == len(q.items) {
		q.items, q.head = q.items[:0], 0
	} else if q.head >= 1024 && q.head*2 >= len(q.items) {
		n := copy(q.items, q.items[q.head:])
		clear(q.items[n:])
		q.items, q.head = q.items[:n], 0
	}
	return v, true, nil
}

// Len is the number of items waiting.
func (q *MemoryQueue[T]) Len() int { return len(q.items) - q.head }
