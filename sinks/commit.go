package sinks

import (
	"context"
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

func (c *Committer[T]) commit(ctx context.Context) error {
	offsets := map[string]int64{}
	for _, s := range c.sinks {
		off, err := s.prepare(ctx)
		if err != nil {
			return c.fail(err)
		}
		if s.isFile() {
			offsets[s.id()] = off
		}
	}
	var round resume.Round
	if c.ckpt != nil {
		r, err := c.ckpt.Prepare(c.keys, offsets)
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
	c.keys = c.keys[:0]
	return nil
}

// Close commits what is buffered and closes every sink (not the
// checkpoint). After a failed commit it only closes them.
func (c *Committer[T]) Close(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil
	}
	err := c.ready(ctx)
	if err == nil {
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
