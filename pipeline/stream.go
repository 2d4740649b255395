package pipeline

import "fmt"

// Stream is a typed flow of items from one stage to the next. It is an
// opaque handle: only the engine makes, writes, closes and drains the
// channel behind it. Every Stream must be consumed by exactly one stage;
// to feed several, use [Broadcast]. The zero Stream is invalid.
type Stream[T any] struct {
	p    *Pipeline
	info *streamInfo
	ch   chan []T
}

// newStream makes the output stream of stage s.
func newStream[T any](p *Pipeline, s *stage, label string) Stream[T] {
	info := &streamInfo{from: s, label: label}
	s.output = append(s.output, info)
	return Stream[T]{p: p, info: info, ch: make(chan []T, s.cfg.buffer)}
}

// check panics with a pipeline: message when in is not a stream of p.
func (in Stream[T]) check(p *Pipeline, kind, name string) *streamInfo {
	switch {
	case in.info == nil:
		panic(fmt.Sprintf("pipeline: %s %q: input is the zero Stream", kind, name))
	case in.p != p:
		panic(fmt.Sprintf("pipeline: %s %q: input stream %q belongs to another Pipeline", kind, name, in.info.from.name))
	}
	return in.info
}
