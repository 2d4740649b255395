package pipeline

import "context"

// slot holds one item's outputs until the collector's turn reaches it.
type slot[Out any] struct {
	done chan struct{}
	outs []Out
}

type job[In, Out any] struct {
	v  In
	sl *slot[Out]
}

// runOrdered runs a transform stage whose outputs keep input order: a
// dispatcher numbers items by queueing a slot per item, the workers fill
// the slots in any order, and a collector empties them in queue order.
// The order queue's capacity (workers + buffer) bounds the items in
// progress, so memory stays bounded.
func runOrdered[In, Out any](ctx context.Context, l lane, r *runner, s *stage, in Stream[In], out Stream[Out], do step[In, Out]) {
	n := s.cfg.workers
	jobs := make(chan job[In, Out], n)
	order := make(chan *slot[Out], n+s.cfg.buffer)
	r.spawn(s, 1, func(int) error {
		defer close(order)
		defer close(jobs)
		ib := inbox[In]{ch: in.e.ch}
		for {
			v, ok := ib.next(l, nil)
			if !ok {
				return nil
			}
			sl := &slot[Out]{done: make(chan struct{})}
			if !send(l, order, sl) || !send(l, jobs, job[In, Out]{v: v, sl: sl}) {
				return nil
			}
		}
	}, nil)
	r.spawn(s, n, func(int) error {
		return orderedWorker(ctx, l, r, s, jobs, do)
	}, nil)
	r.spawn(s, 1, func(int) error {
		return collect(l, s, order, newOutbox(out))
	}, func() error { close(out.e.ch); return nil })
}

func orderedWorker[In, Out any](ctx context.Context, l lane, r *runner, s *stage, jobs <-chan job[In, Out], do step[In, Out]) error {
	var clk busyClock
	for {
		j, ok := recv(l, jobs)
		if !ok {
			return nil
		}
		s.stats.in.Add(1)
		err := do(ctx, j.v, func(o Out) error { j.sl.outs = append(j.sl.outs, o); return nil }, &clk)
		if err != nil {
			j.sl.outs = nil
			stop, fatal := r.outcome(ctx, s, j.v, err)
			if stop {
				return fatal
			}
		} else if len(j.sl.outs) > 0 {
			s.stats.out.Add(1)
		} else {
			s.stats.filtered.Add(1)
		}
		close(j.sl.done)
	}
}

// collect emits the slots' outputs in queue order.
func collect[Out any](l lane, s *stage, order <-chan *slot[Out], ob *outbox[Out]) error {
	flush := func() { ob.flush(l) }
	defer flush()
	for {
		sl, ok := recvOrIdle(l, order, flush)
		if !ok {
			return nil
		}
		select {
		case <-sl.done:
		default:
			flush() // the next item is not ready: send what is held first
			if !wait(l, sl.done) {
				return nil
			}
		}
		for _, o := range sl.outs {
			if !ob.put(l, o, false) {
				return nil
			}
			s.stats.emitted.Add(1)
		}
	}
}
