package sinks

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/sluicehq/sluice/resume"
)

// ready opens the sinks on first use, positioned from the checkpoint.
func (c *Committer[T]) ready(ctx context.Context) error {
	if c.err != nil {
		return c.err
	}
	if c.closed {
		return errClosed
	}
	if c.opened {
		return nil
	}
	for i, s := range c.sinks {
		at := int64(-1)
		if c.ckpt != nil && s.isFile() {
			if off, ok := c.ckpt.Offset(s.id()); ok {
				at = off
			}
		}
		if err := s.open(ctx, at); err != nil {
			for _, o := range c.sinks[:i] {
				o.close()
			}
			return c.fail(err)
		}
	}
	c.opened = true
	// Record the starting offsets at once, so that a crash before the
	// first commit is cut back to them rather than to an empty file.
	return c.commit(ctx)
}

// Commit commits everything buffered now: files are flushed and fsync'd,
// the checkpoint prepares the round with their offsets, the SQL
// transactions commit, and the checkpoint commits the round.
func (c *Committer[T]) Commit(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.ready(ctx); err != nil {
		return err
	}
	return c.commit(ctx)
}

// commit commits the round. When a sink rejects inputs' rows, the round
// is written again without them (see redo) and committed.
func (c *Committer[T]) commit(ctx context.Context) error {
	for {
		err := c.commitOnce(ctx)
		if err == nil {
			return nil
		}
		if err := c.redo(ctx, err); err != nil {
			return err
		}
	}
}

func (c *Committer[T]) commitOnce(ctx context.Context) error {
	offsets := map[string]int64{}
	for _, s := range c.sinks {
		off, err := s.prepare(ctx)
		if err != nil {
			return err
		}
		if s.isFile() {
			offsets[s.id()] = off
		}
	}
	var round resume.Round
	if c.ckpt != nil {
		r, err := c.ckpt.Prepare(c.roundKeys(), offsets)
		if err != nil {
			return c.fail(err)
		}
		round = r
	}
	for _, s := range c.sinks {
		if err := s.commit(ctx); err != nil {
			return c.fail(err)
		}
	}
	if c.ckpt != nil {
		if err := c.ckpt.Commit(round); err != nil {
			return c.fail(err)
		}
	}
	c.committed()
	return nil
}

func (c *Committer[T]) roundKeys() []string {
	keys := make([]string, 0, c.nkeys)
	for i := range c.round {
		if k := c.round[i].key; k != "" {
			keys = append(keys, k)
		}
	}
	return keys
}

// committed ends the round and reports it to OnCommit.
func (c *Committer[T]) committed() {
	if c.cfg.OnCommit != nil {
		if ev := c.event(); len(ev.Written)+len(ev.Failed) > 0 {
			c.cfg.OnCommit(ev)
		}
	}
	clear(c.round)
	c.round, c.nkeys = c.round[:0], 0
}

// event describes the round.
func (c *Committer[T]) event() CommitEvent {
	var ev CommitEvent
	for i := range c.round {
		e := &c.round[i]
		switch {
		case e.key == "":
		case e.rejected:
			ev.Failed = append(ev.Failed, e.key)
			ev.Rejected = append(ev.Rejected, e.key)
			ev.Rejections = append(ev.Rejections, e.reason)
			ev.Refused += e.refused
		case e.failed:
			ev.Failed = append(ev.Failed, e.key)
		default:
			ev.Written = append(ev.Written, e.key)
		}
		if !e.failed {
			ev.Items += len(e.rows)
		}
	}
	return ev
}

// redo handles err from putting or preparing the round. If it is not a
// sink's rejection of some inputs' rows it is fatal (and sticky).
// Otherwise every sink drops what it took since its last commit, the
// rejected inputs become failures (a *RowRejectedError in the dead-letter
// sink), and the round is put again; a rejection found then starts over,
// with one input fewer each time at least.
func (c *Committer[T]) redo(ctx context.Context, err error) error {
	for {
		var rej *rejectedError
		if !errors.As(err, &rej) || c.dead == nil {
			return c.fail(err)
		}
		for _, s := range c.sinks {
			r, ok := s.(rewinder)
			if !ok {
				return c.fail(err)
			}
			if rerr := r.rewind(ctx); rerr != nil {
				return c.fail(errors.Join(err, rerr))
			}
		}
		n := 0
		for i := range c.round {
			e := &c.round[i]
			reason, bad := rej.inputs[e.key]
			if !bad {
				continue
			}
			if e.failed || e.key == "" { // the dead-letter sink refused a failure
				return c.fail(err)
			}
			if ferr := c.rejectEntry(e, rej.sink, reason); ferr != nil {
				return c.fail(ferr)
			}
			n++
		}
		if n == 0 {
			return c.fail(err)
		}
		err = nil
		for i := range c.round {
			if err = c.put(ctx, &c.round[i]); err != nil {
				break
			}
		}
		if err == nil {
			return nil
		}
	}
}

// rejectEntry turns an input whose rows a sink refused into its failure.
func (c *Committer[T]) rejectEntry(e *entry, sink string, reason error) error {
	rej := &RowRejectedError{Sink: sink, Err: reason}
	rec := FailureRecord{Key: e.key, Stage: "commit", Error: rej.Error(),
		Attempts: 1, Time: c.cfg.Now().UTC(), Input: mustJSON(e.key)}
	rows := []row{{}}
	if err := c.fconv.convert(&rec, &rows[0]); err != nil {
		return err
	}
	rows[0].in = e.key
	e.refused = len(e.rows)
	e.rows, e.failed, e.rejected, e.reason = rows, true, true, rej
	return nil
}

// Close commits what is buffered, if anything, and closes every sink
// (not the checkpoint). After a failed commit it only closes them.
func (c *Committer[T]) Close(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil
	}
	err := c.ready(ctx)
	if err == nil && len(c.round) > 0 {
		// With nothing put since the last commit, a round would record
		// the same offsets again: three fsyncs for nothing.
		err = c.commit(ctx)
	}
	c.closed = true
	if c.opened {
		for _, s := range c.sinks {
			err = errors.Join(err, s.close())
		}
	}
	return err
}

func mustJSON(s string) json.RawMessage {
	b, _ := json.Marshal(s)
	return b
}
