package pipeline

import (
	"context"
	"fmt"
	"strconv"
)

// Merge adds a stage that forwards the items of all ins into one stream, in
// no particular order. It runs one goroutine per input.
func Merge[T any](p *Pipeline, name string, ins ...Stream[T]) Stream[T] {
	if len(ins) == 0 {
		panic(fmt.Sprintf("pipeline: Merge %q: no input streams", name))
	}
	infos := make([]*streamInfo, len(ins))
	for i, in := range ins {
		infos[i] = in.check(p, "merge", name)
	}
	s := p.addStage(name, "merge", newStageConfig(name, nil), infos)
	out := newStream[T](p, s, "")
	s.run = func(ctx context.Context, l lane, r *runner) {
		r.spawn(s, len(ins), func(i int) error {
			for {
				v, ok := recv(l, ins[i].ch)
				if !ok {
					return nil
				}
				s.stats.in.Add(1)
				if !send(l, out.ch, v) {
					s.stats.dropped.Add(1)
					return nil
				}
				s.stats.out.Add(1)
				s.stats.emitted.Add(1)
			}
		}, func() error { close(out.ch); return nil })
	}
	return out
}

// Broadcast adds a stage that sends every item of in to each of n output
// streams (n >= 1). Each branch gets every item; the slowest branch sets the
// pace. Branches share the item value: if T holds pointers, maps or slices,
// the branches must not modify what they share.
func Broadcast[T any](p *Pipeline, name string, in Stream[T], n int, opts ...StageOption) []Stream[T] {
	if n < 1 {
		panic(fmt.Sprintf("pipeline: Broadcast %q: need n >= 1, got %d", name, n))
	}
	cfg := newStageConfig(name, opts)
	cfg.noWorkers("Broadcast", name)
	info := in.check(p, "broadcast", name)
	s := p.addStage(name, "broadcast", cfg, []*streamInfo{info})
	outs := make([]Stream[T], n)
	for i := range outs {
		outs[i] = newStream[T](p, s, strconv.Itoa(i))
	}
	s.run = func(ctx context.Context, l lane, r *runner) {
		r.spawn(s, 1, func(int) error {
			for {
				v, ok := recv(l, in.ch)
				if !ok {
					return nil
				}
				s.stats.in.Add(1)
				for _, o := range outs {
					if !send(l, o.ch, v) {
						s.stats.dropped.Add(1)
						return nil
					}
					s.stats.emitted.Add(1)
				}
				s.stats.out.Add(1)
			}
		}, func() error {
			for _, o := range outs {
				close(o.ch)
			}
			return nil
		})
	}
	return outs
}
