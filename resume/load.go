package resume

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"maps"
)

// load reads the log, rebuilds the state and leaves the file positioned
// for appending after the last good line.
func (c *Checkpoint) load() error {
	rd := bufio.NewReaderSize(c.f, 64<<10)
	prepared := map[uint64]*prepRound{}
	var off int64
	for {
		line, err := rd.ReadBytes('\n')
		if len(line) == 0 && errors.Is(err, io.EOF) {
			break
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("resume: %s: %w", c.path, err)
		}
		e, derr := decodeLine(line)
		if derr != nil {
			if _, perr := rd.Peek(1); perr == nil { // more follows: not a torn tail
				return &CorruptError{Path: c.path, Offset: off}
			}
			break
		}
		if err := c.replay(e, prepared, off); err != nil {
			return err
		}
		off += int64(len(line))
	}
	c.done.Seal()
	for _, r := range prepared {
		for _, h := range r.hashes {
			if !c.done.Has(h) {
				c.pending[h] = struct{}{}
			}
		}
	}
	return c.reopenAt(off)
}

// replay applies one entry read from the log.
func (c *Checkpoint) replay(e entry, prepared map[uint64]*prepRound, off int64) error {
	switch {
	case e.Version != 0:
		if e.Version != formatVersion || e.Hash != hashName {
			return fmt.Errorf("resume: %s: unsupported checkpoint format %d/%s", c.path, e.Version, e.Hash)
		}
	case e.Prepare != 0:
		hs, err := decodeHashes(e.Keys)
		if err != nil {
			return err
		}
		prepared[e.Prepare] = &prepRound{n: e.Prepare, hashes: hs, offsets: e.Offsets}
		c.round = max(c.round, e.Prepare)
	case e.Fingerprint != nil:
		c.fp = e.Fingerprint
	case e.Commit != 0:
		r, ok := prepared[e.Commit]
		if !ok {
			return &CorruptError{Path: c.path, Offset: off}
		}
		c.done.Load(r.hashes)
		maps.Copy(c.offsets, r.offsets)
		delete(prepared, e.Commit)
	}
	return nil
}

// reopenAt cuts the file to off (dropping a torn tail), writes the header
// into an empty file, and seeks to the end.
func (c *Checkpoint) reopenAt(off int64) error {
	if err := c.f.Truncate(off); err != nil {
		return fmt.Errorf("resume: %s: %w", c.path, err)
	}
	if _, err := c.f.Seek(off, io.SeekStart); err != nil {
		return fmt.Errorf("resume: %s: %w", c.path, err)
	}
	if off > 0 {
		return nil
	}
	if err := c.append(entry{Version: formatVersion, Hash: hashName}, true); err != nil {
		return err
	}
	if err := syncDir(c.path); err != nil {
		return fmt.Errorf("resume: %s: %w", c.path, err)
	}
	return nil
}
