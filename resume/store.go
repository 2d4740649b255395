package resume

// Store is a run's checkpoint behind an interface: what sinks.Committer
// and a resumable source need, so that a checkpoint kept elsewhere than
// in a local file (a JetStream key-value bucket) can stand in for
// [Checkpoint]. Implementations are safe for concurrent use.
//
// The commit protocol (see package sinks) is two-phase: Prepare makes a
// round's keys and file offsets durable as pending, the sinks commit, and
// Commit marks the round done. A round prepared and never committed must
// come back, after a crash, as pending keys and must not move the offsets.
type Store interface {
	// Done reports whether key was committed, by an earlier run or this.
	Done(key string) bool
	// Pending reports whether key belongs to a round that was prepared
	// but not committed, so its rows in the sinks must be replaced.
	Pending(key string) bool
	// Offset returns the byte offset the file sink id had at the last
	// committed round, and whether one was recorded.
	Offset(id string) (int64, bool)
	// Len returns how many keys are done.
	Len() int
	// Prepare durably records a round of keys and file sink offsets as
	// pending, and returns its id for Commit.
	Prepare(keys []string, offsets map[string]int64) (Round, error)
	// Commit marks the prepared round done. Only the last prepared round
	// may be committed.
	Commit(r Round) error
	// Fingerprint returns the recorded job fingerprint, nil if none.
	Fingerprint() Fingerprint
	// SetFingerprint checks fp against the recorded one and records it
	// (see Checkpoint.SetFingerprint).
	SetFingerprint(fp Fingerprint) error
	// Close releases the store.
	Close() error
}

// Round identifies a prepared commit round: see [Store.Prepare].
type Round uint64

var _ Store = (*Checkpoint)(nil)
