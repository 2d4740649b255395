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
			t := tally{c: &s.stats}
			ob := newOutbox(out)
			ib := inbox[T]{ch: ins[i].e.ch}
			idle := func() { t.flush(); ob.flush(l) }
			defer idle()
			for {
				v, ok := ib.next(l, idle)
				if !ok {
					return nil
				}
				t.in++
				if !ob.put(l, v, false) {
					t.dropped++
					return nil
				}
				t.out++
				t.emitted++
				t.done(false)
			}
		}, func() error { close(out.e.ch); return nil })
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
		r.spawn(s, 1, func(int) error { return broadcast(l, s, in, outs) }, func() error {
			for _, o := range outs {
				close(o.e.ch)
			}
			return nil
		})
	}
	return outs
}

// broadcast sends every item of in to each output, in step.
func broadcast[T any](l lane, s *stage, in Stream[T], outs []Stream[T]) error {
	t := tally{c: &s.stats}
	obs := make([]*outbox[T], len(outs))
	for i, o := range outs {
		obs[i] = newOutbox(o)
	}
	idle := func() {
		t.flush()
		for _, ob := range obs {
			ob.flush(l)
		}
	}
	defer idle()
	ib := inbox[T]{ch: in.e.ch}
	for {
		v, ok := ib.next(l, idle)
		if !ok {
			return nil
		}
		t.in++
		for _, ob := range obs {
			if !ob.put(l, v, false) {
				t.dropped++
				return nil
			}
			t.emitted++
		}
		t.out++
		t.done(false)
	}
}
