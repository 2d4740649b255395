package resume

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/gofrs/flock"
	"github.com/sluicehq/sluice/internal/keyset"
)

// Lock is a run's hold on its output set (output files, checkpoint, dead
// letters): while one run holds it, LockOutputs of the same paths by any
// other run, in this process or another, fails with a *LockedError.
//
// Each path p is guarded by the file p+".lock", locked with flock(2)
// (gofrs/flock), which the kernel releases when the process dies: a kill
// -9 leaves no stale lock to clean up, and the next run takes the lock
// over. The file also holds the holder's pid, host and command line, for
// the error message. Release removes it. Locks are advisory and local to
// one machine's kernel (on NFS, flock is emulated and may not exclude
// other hosts).
//
// An output without a path of its own, such as a Postgres table, is
// locked through a key file: pass KeyLockPath(dir, key) with dir the
// checkpoint's directory and key naming the output (for example the
// sink's id, "postgres:host:5432/db#schema.table"). Two runs collide on
// it when they use the same dir; runs whose checkpoints live in
// different directories are not kept apart.
type Lock struct {
	held []*flock.Flock
}

// LockedError reports an output path another run holds.
type LockedError struct {
	// Path is the locked output path.
	Path string
	// PID, Host and Command describe the holder; PID is 0 when the
	// holder had not yet written them.
	PID     int
	Host    string
	Command string
	// Since is when the holder took the lock.
	Since time.Time
}

// Error names the path and the run holding it.
func (e *LockedError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "resume: %s is in use by another run", e.Path)
	if e.PID == 0 {
		b.WriteString(" (its pid is not known yet)")
		return b.String()
	}
	fmt.Fprintf(&b, ": pid %d", e.PID)
	if e.Host != "" {
		fmt.Fprintf(&b, " on %s", e.Host)
	}
	if e.Command != "" {
		fmt.Fprintf(&b, " (%s)", e.Command)
	}
	if !e.Since.IsZero() {
		fmt.Fprintf(&b, ", since %s", e.Since.Format(time.RFC3339))
	}
	return b.String()
}

// lockOwner is the content of a lock file.
type lockOwner struct {
	PID     int       `json:"pid"`
	Host    string    `json:"host,omitempty"`
	Command string    `json:"command,omitempty"`
	Since   time.Time `json:"since"`
}

// LockOutputs locks every path of a run's output set (see [Lock]), all or
// none: if one is held by another run it releases what it took and
// returns a *LockedError naming that run. Paths are compared after
// making them absolute and resolving symbolic links in their directory;
// empty paths are ignored.
func LockOutputs(paths ...string) (*Lock, error) {
	canon, err := canonicalPaths(paths)
	if err != nil {
		return nil, err
	}
	owner := lockOwner{PID: os.Getpid(), Command: strings.Join(os.Args, " "), Since: time.Now().UTC().Truncate(time.Second)}
	owner.Host, _ = os.Hostname()
	l := &Lock{}
	for _, p := range canon {
		fl, err := lockPath(p, owner)
		if err != nil {
			l.Release()
			return nil, err
		}
		l.held = append(l.held, fl)
	}
	return l, nil
}

// Release unlocks every path and removes the lock files. It is safe to
// call more than once.
func (l *Lock) Release() error {
	var errs []error
	for _, fl := range l.held {
		// Removed while still locked: a run that opened the old file
		// and locks it after us sees it is no longer at the path.
		if err := os.Remove(fl.Path()); err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, err)
		}
		errs = append(errs, fl.Unlock())
	}
	l.held = nil
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("resume: release lock: %w", err)
	}
	return nil
}

// KeyLockPath is the path to lock for an output named by key rather than
// by a file (a database table): a file in dir named by a hash of key.
func KeyLockPath(dir, key string) string {
	return filepath.Join(dir, ".sluice-output-"+strconv.FormatUint(keyset.Hash(key), 16))
}

// lockPath takes the lock of one output path.
func lockPath(path string, owner lockOwner) (*flock.Flock, error) {
	lockFile := path + ".lock"
	for range 100 { // each retry means another run released or replaced the file
		fl := flock.New(lockFile, flock.SetFlag(os.O_CREATE|os.O_RDWR))
		ok, err := fl.TryLock()
		if err != nil {
			return nil, fmt.Errorf("resume: lock %s: %w", lockFile, err)
		}
		if !ok {
			if err := lockedBy(path, lockFile); err != nil {
				return nil, err
			}
			continue // released (its file removed) while we looked
		}
		// The file may have been released and removed between our open
		// and our lock: then the lock is on a file no longer at the path.
		held, err1 := fl.Stat()
		now, err2 := os.Stat(lockFile)
		if err1 != nil || err2 != nil || !os.SameFile(held, now) {
			fl.Unlock()
			continue
		}
		if err := writeOwner(lockFile, owner); err != nil {
			os.Remove(lockFile)
			fl.Unlock()
			return nil, err
		}
		return fl, nil
	}
	return nil, fmt.Errorf("resume: lock %s: the lock file keeps being replaced", lockFile)
}

// writeOwner records who holds the lock, replacing what a dead holder
// left.
func writeOwner(lockFile string, owner lockOwner) error {
	b, _ := json.Marshal(owner)
	f, err := os.OpenFile(lockFile, os.O_WRONLY|os.O_TRUNC, 0) // no O_CREATE: it is our locked file
	if err == nil {
		_, err = f.Write(append(b, '\n'))
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		return fmt.Errorf("resume: lock %s: %w", lockFile, err)
	}
	return nil
}

// lockedBy builds the error for a held path, reading the holder from the
// lock file. A holder that has just locked may not have written itself
// yet, so an empty file is read again for a short while. It returns nil
// if the file is gone: its holder released it, so the lock is worth
// another try.
func lockedBy(path, lockFile string) error {
	e := &LockedError{Path: path}
	for try := 0; try < 20; try++ {
		var o lockOwner
		b, err := os.ReadFile(lockFile)
		if errors.Is(err, os.ErrNotExist) {
			return nil
		}
		if err == nil && json.Unmarshal(b, &o) == nil && o.PID != 0 && !o.gone() {
			e.PID, e.Host, e.Command, e.Since = o.PID, o.Host, o.Command, o.Since
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	return e
}

// gone reports whether the owner is a process of this host that no longer
// runs: its record is what a killed holder left, not yet overwritten by
// the run that has just taken the lock over.
func (o lockOwner) gone() bool {
	if host, _ := os.Hostname(); o.Host != host {
		return false
	}
	p, err := os.FindProcess(o.PID)
	if err != nil {
		return true
	}
	err = p.Signal(syscall.Signal(0))
	return err != nil && !errors.Is(err, syscall.EPERM)
}

// canonicalPaths makes paths absolute with their directory's symbolic
// links resolved, drops empty ones and duplicates, and sorts them.
func canonicalPaths(paths []string) ([]string, error) {
	var out []string
	for _, p := range paths {
		if p == "" {
			continue
		}
		abs, err := filepath.Abs(p)
		if err != nil {
			return nil, fmt.Errorf("resume: lock %s: %w", p, err)
		}
		if dir, err := filepath.EvalSymlinks(filepath.Dir(abs)); err == nil {
			abs = filepath.Join(dir, filepath.Base(abs))
		}
		if target, err := filepath.EvalSymlinks(abs); err == nil {
			abs = target // the output itself is a link: lock what it points to
		}
		out = append(out, abs)
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}
