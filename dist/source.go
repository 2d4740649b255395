package dist

import (
	"context"
	"encoding/json"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/sluicehq/sluice/job"
	"github.com/sluicehq/sluice/observe"
	"github.com/sluicehq/sluice/pipeline"
	"github.com/sluicehq/sluice/sources"
)

// SourceKind is the name the JetStream source kind is registered under
// in a worker's registry.
const SourceKind = "jetstream"

// source pulls a worker's inputs from the partitions it holds.
type source struct {
	w       *Worker
	q       *queue
	leases  *leases
	tracker *tracker
	batch   int
	taken   atomic.Int64
	// settled counts redeliveries acked because the key was settled.
	settled atomic.Int64
	// pause, when set, keeps the source from taking messages.
	pause atomic.Bool
	// stop ends the worker's run.
	stop <-chan struct{}
}

// kind is the job.SourceKind the worker registers: its Build adds a
// source stage that pulls from JetStream.
func (s *source) kind() job.SourceKind {
	return job.SourceKind{Build: func(p *pipeline.Pipeline, name string, _ job.SourceSpec) pipeline.Stream[sources.Item] {
		return pipeline.Source(p, name, func(ctx context.Context, e *pipeline.Emitter[sources.Item]) error {
			return s.pull(ctx, func(in input) error { return e.Emit(in.item()) }, e.Flush)
		})
	}}
}

// idleWait is how long the source sleeps when no partition had a message.
const idleWait = 100 * time.Millisecond

// idleRound is how long the source waits with nothing to take before
// it ends the round to commit the inputs in flight.
const idleRound = 300 * time.Millisecond

// pull hands inputs to the pipeline until the worker stops, or until the
// queue has had nothing for idleRound while inputs taken in this round
// await their commit: returning then ends the round, whose last commit
// makes them durable (a commit round otherwise waits for the next input).
func (s *source) pull(ctx context.Context, emit func(input) error, flush func() error) error {
	var idleSince time.Time
	for {
		select {
		case <-s.stop:
			return nil
		default:
		}
		got := 0
		if !s.pause.Load() {
			for _, p := range s.leases.active() {
				room, err := s.room(ctx, flush)
				if err != nil {
					return err
				}
				if room < 0 {
					return nil // end the round (see windowWait)
				}
				n, err := s.pullPartition(ctx, emit, p, room)
				got += n
				if err != nil {
					return err
				}
			}
		}
		if got > 0 {
			idleSince = time.Time{}
			continue
		}
		if idleSince.IsZero() {
			idleSince = time.Now()
		}
		if s.tracker.len() > 0 && time.Since(idleSince) >= idleRound {
			return nil
		}
		if err := flush(); err != nil {
			return err
		}
		select {
		case <-ctx.Done():
			return context.Cause(ctx)
		case <-s.stop:
			return nil
		case <-time.After(idleWait):
		}
	}
}

// fetchProgress is the observer that opens the source's window as
// inputs are fetched (or fail). It is lossless (a dropped event would
// keep a key in the window) and has a mailbox of its own, apart from the
// acker's, which waits on NATS while it acks.
func (s *source) fetchProgress() observe.Observer {
	return observe.Func(func(e observe.Event) {
		switch e := e.(type) {
		case *observe.Fetch:
			s.tracker.fetched(e.Key)
		case *observe.Failure:
			s.tracker.fetched(e.Key)
		}
	})
}

// window is how many inputs a worker takes ahead of its fetchers: four
// per fetch worker, sixteen at least. A worker that took every queued
// input of its partitions at once (hundreds) kept them from the others:
// partitions moved to balance the load carried little, and with two
// workers one finished while the other still held a few hundred inputs.
func (s *source) window() int { return max(16, 4*s.batch) }

// windowWait is how long the source waits for its window to open. When
// it does not open — under kills, a window's worth of one partition's
// first deliveries was seen neither fetched nor failed, with every stage
// of the pipeline idle; the cause is not found — the source ends the
// round: its last commit acks what was done and handBack returns the
// rest to the queue, to be taken again.
const windowWait = time.Second

// room waits until fewer than a window of taken inputs await their
// fetch and returns how many more the source may take (a batch at most),
// or -1 when the round should end (see windowWait). It sends what the
// emitter holds before it waits, or the fetchers would never see it.
func (s *source) room(ctx context.Context, flush func() error) (int, error) {
	free := s.window() - s.tracker.waiting()
	if free > 0 {
		return min(free, s.batch), nil
	}
	if err := flush(); err != nil {
		return 0, err
	}
	timeout := time.NewTimer(windowWait)
	defer timeout.Stop()
	for {
		if free := s.window() - s.tracker.waiting(); free > 0 {
			return min(free, s.batch), nil
		}
		select {
		case <-s.tracker.progress:
		case <-timeout.C:
			return -1, nil
		case <-s.stop:
			return 0, nil
		case <-ctx.Done():
			return 0, context.Cause(ctx)
		}
	}
}

// pullPartition takes what partition p has, up to max inputs.
func (s *source) pullPartition(ctx context.Context, emit func(input) error, p, max int) (int, error) {
	if ctx.Err() != nil {
		return 0, context.Cause(ctx)
	}
	if max <= 0 {
		return 0, nil
	}
	batch, err := s.q.consumers[p].FetchNoWait(max)
	if err != nil {
		return 0, nil // cut off from NATS: take nothing, the leases lapse
	}
	n := 0
	var stopErr error
	for msg := range batch.Messages() {
		n++
		if stopErr != nil {
			_ = msg.Nak() // taken after the stop: hand it straight back
			continue
		}
		stopErr = s.handle(ctx, emit, p, msg)
	}
	return n, stopErr
}

// handle emits one message's input, or dead-letters it.
func (s *source) handle(ctx context.Context, emit func(input) error, p int, msg jetstream.Msg) error {
	s.taken.Add(1)
	var in input
	if err := json.Unmarshal(msg.Data(), &in); err != nil || in.Key == "" {
		key := msg.Headers().Get(jetstream.MsgIDHeader)
		s.w.deadNow(ctx, msg, DeadLetter{Key: key, Stage: "queue", Reason: "undecodable message", Error: fmt.Sprint(err)})
		return nil
	}
	if md, err := msg.Metadata(); err == nil && md.NumDelivered > uint64(s.w.maxDeliver()) {
		s.w.deadNow(ctx, msg, DeadLetter{Key: in.Key, URL: in.URL, Stage: "queue", Deliveries: md.NumDelivered,
			Reason: "delivered too many times",
			Error:  fmt.Sprintf("delivered %d times, more than max deliver %d, without a commit (workers died or were cut off while holding it)", md.NumDelivered, s.w.maxDeliver())})
		return nil
	}
	if s.w.ckpt.Settled(in.Key) {
		// Committed by a worker that died before acking it (its dead
		// letter, if it failed, published): done, not run again.
		_ = msg.Ack()
		s.settled.Add(1)
		return nil
	}
	if c := s.w.crawl; c != nil {
		if err := c.seeds.sync(ctx, in.Seeds); err != nil {
			_ = msg.Nak()
			return err
		}
	}
	if !s.tracker.add(in.Key, p, msg) {
		return nil // already in flight here: acked with it
	}
	return emit(in)
}
