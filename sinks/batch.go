package sinks

// Batch is everything one input produced: the unit a [Committer] commits
// atomically. Items may be empty (a page filtered out or with no matches):
// the key is still done once committed.
type Batch[T any] struct {
	// Key is the input's stable key (its URL or a CSV column).
	Key string
	// Items are the input's outputs, in order.
	Items []T
}

func (b Batch[T]) inputKey() string { return b.Key }
