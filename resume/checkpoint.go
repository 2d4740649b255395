package resume

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"sync"

	"github.com/sluicehq/sluice/internal/keyset"
)

// Checkpoint is the record of a run's committed keys and the byte offsets
// its file sinks had at the last commit, kept in an append-only, fsync'd
// log file. It is safe for concurrent use: a source asks Done while the
// sink side prepares and commits rounds.
type Checkpoint struct {
	mu      sync.RWMutex
	path    string
	f       *os.File
	done    keyset.Set
	pending map[uint64]struct{}
	offsets map[string]int64
	round   uint64      // the last round number used
	prep    *prepRound  // the round prepared and not yet committed
	fp      Fingerprint // the job's recorded fingerprint, nil if none

	earlierOnly bool // keep only the loaded keys in done (see Options)
	added       int  // keys committed since Open, with earlierOnly
}

// Options tune a Checkpoint; the zero value is [Open]'s.
type Options struct {
	// EarlierOnly keeps in memory only the keys that earlier runs
	// committed (loaded by Open): Done answers for those alone, and the
	// keys committed after Open cost no memory, only their lines in the
	// log (the next Open loads them). It is for callers that ask Done
	// only about earlier runs' keys, such as a run that reads each input
	// once and skips those an earlier run finished: with it, the
	// checkpoint's memory no longer grows with the run (8 bytes a key,
	// about twice that in the heap's growth).
	EarlierOnly bool
}

// prepRound is one prepared commit round: see [Checkpoint.Prepare].
type prepRound struct {
	n       uint64
	hashes  []uint64
	offsets map[string]int64
}

// CorruptError reports a checkpoint line that is damaged although more
// lines follow it, which a crash cannot cause.
type CorruptError struct {
	// Path is the checkpoint file.
	Path string
	// Offset is where the damaged line starts.
	Offset int64
}

// Error describes where the checkpoint is damaged.
func (e *CorruptError) Error() string {
	return fmt.Sprintf("resume: checkpoint %s is corrupt at byte %d", e.Path, e.Offset)
}

// Open opens the checkpoint at path, creating it if it does not exist, and
// loads it: the done keys, the keys of rounds that were prepared but never
// committed (see [Checkpoint.Pending]) and the file offsets of the last
// committed round. A torn last line is cut off.
func Open(path string) (*Checkpoint, error) { return OpenWith(path, Options{}) }

// OpenWith is [Open] with options.
func OpenWith(path string, o Options) (*Checkpoint, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("resume: %w", err)
	}
	c := &Checkpoint{path: path, f: f, pending: map[uint64]struct{}{}, offsets: map[string]int64{}}
	if err := c.load(); err != nil {
		f.Close()
		return nil, err
	}
	c.earlierOnly = o.EarlierOnly
	return c, nil
}

// Done reports whether key was committed, by an earlier run or this one
// (with Options.EarlierOnly, by an earlier run).
func (c *Checkpoint) Done(key string) bool {
	c.mu.RLock()
	ok := c.done.Has(keyset.Hash(key))
	c.mu.RUnlock()
	return ok
}

// Pending reports whether key belongs to a round that was prepared but not
// committed: some sinks may hold rows of it, so a replay of the key must
// replace them rather than add to them.
func (c *Checkpoint) Pending(key string) bool {
	c.mu.RLock()
	_, ok := c.pending[keyset.Hash(key)]
	c.mu.RUnlock()
	return ok
}

// Offset returns the byte offset the file sink id had at the last
// committed round, and whether one was recorded.
func (c *Checkpoint) Offset(id string) (int64, bool) {
	c.mu.RLock()
	off, ok := c.offsets[id]
	c.mu.RUnlock()
	return off, ok
}

// Len returns how many keys are done (with Options.EarlierOnly, a key
// committed since Open counts once per commit).
func (c *Checkpoint) Len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.done.Len() + c.added
}

// PendingLen returns how many keys are pending (see Pending).
func (c *Checkpoint) PendingLen() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.pending)
}

// Prepare starts a commit round: it durably records keys and the offsets
// the file sinks have after flushing and fsyncing them, before the SQL
// sinks commit. Call Commit once they have. Until then the keys count as
// pending, not done. offsets must include every file sink, even those
// whose offset did not move.
func (c *Checkpoint) Prepare(keys []string, offsets map[string]int64) (Round, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.f == nil {
		return 0, errClosed
	}
	r := &prepRound{n: c.round + 1, hashes: make([]uint64, len(keys)), offsets: maps.Clone(offsets)}
	for i, k := range keys {
		r.hashes[i] = keyset.Hash(k)
	}
	if err := c.append(entry{Prepare: r.n, Offsets: r.offsets, Keys: encodeHashes(r.hashes)}, true); err != nil {
		return 0, err
	}
	c.round, c.prep = r.n, r
	return Round(r.n), nil
}

// Commit marks the round's keys done and its offsets committed. The
// commit line is not fsync'd: the next Prepare or Close makes it durable.
// Losing it in a power cut is safe, since the round then counts as
// pending and is replayed with its keys' rows replaced.
func (c *Checkpoint) Commit(id Round) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.f == nil {
		return errClosed
	}
	r := c.prep
	if r == nil || Round(r.n) != id {
		return errors.New("resume: commit of a round that is not the prepared one")
	}
	if err := c.append(entry{Commit: r.n}, false); err != nil {
		return err
	}
	c.apply(r)
	c.prep = nil
	return nil
}

// apply marks a committed round's keys done and takes its offsets.
func (c *Checkpoint) apply(r *prepRound) {
	for _, h := range r.hashes {
		switch {
		case !c.earlierOnly:
			c.done.Add(h)
		case !c.done.Has(h):
			c.added++
		}
		delete(c.pending, h)
	}
	maps.Copy(c.offsets, r.offsets)
}

// append writes one line and, if sync, fsyncs the file.
func (c *Checkpoint) append(e entry, sync bool) error {
	line, err := encodeLine(e)
	if err == nil {
		_, err = c.f.Write(line)
	}
	if err == nil && sync {
		err = c.f.Sync()
	}
	if err != nil {
		return fmt.Errorf("resume: %s: %w", c.path, err)
	}
	return nil
}

// Close fsyncs and closes the checkpoint file.
func (c *Checkpoint) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.f == nil {
		return nil
	}
	err := c.f.Sync()
	if cerr := c.f.Close(); err == nil {
		err = cerr
	}
	c.f = nil
	return err
}

var errClosed = errors.New("resume: checkpoint is closed")

// syncDir fsyncs the directory holding path, so a new file's entry is
// durable.
func syncDir(path string) error {
	d, err := os.Open(filepath.Dir(path))
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
