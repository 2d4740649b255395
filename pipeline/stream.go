package pipeline

import "fmt"

// Stream is a typed flow of items from one stage to the next. It is an
// opaque handle: only the engine makes, writes, closes and drains the
// channel behind it. Every Stream must be consumed by exactly one stage;
// to feed several, use [Broadcast]. The zero Stream is invalid.
type Stream[T any] struct {
	p    *Pipeline
	info *streamInfo
	e    *edge[T]
}

// edge holds a stream's channel, made when the run starts, once the
// consumer and so the chunk size are known.
type edge[T any] struct{ ch chan []T }

// newStream makes the output stream of stage s.
func newStream[T any](p *Pipeline, s *stage, label string) Stream[T] {
	info := &streamInfo{from: s, label: label}
	e := &edge[T]{}
	info.open = func() { e.ch = make(chan []T, info.capacity(s.cfg.buffer)) }
	s.output = append(s.output, info)
	return Stream[T]{p: p, info: info, e: e}
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
