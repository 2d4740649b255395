package resume

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Fingerprint is what determines a run's output, in named parts (for
// example "input", "fields", "key column", "output"), so that a resume
// after the job was edited can be refused with what changed. The caller
// chooses the parts and their values; see [Checkpoint.SetFingerprint].
type Fingerprint map[string]string

// FingerprintChange is one part that differs between the fingerprint a
// checkpoint recorded and the one a resuming run has.
type FingerprintChange struct {
	Part     string
	Was, Now string
}

// FingerprintMismatchError reports that a checkpoint was written by a job
// whose output was determined differently: resuming would mix two jobs'
// outputs.
type FingerprintMismatchError struct {
	// Path is the checkpoint file.
	Path string
	// Changes are the parts that differ, sorted by part name.
	Changes []FingerprintChange
}

// Error lists every change, e.g. `key column changed from "id" to "sku"`.
func (e *FingerprintMismatchError) Error() string {
	parts := make([]string, len(e.Changes))
	for i, c := range e.Changes {
		parts[i] = fmt.Sprintf("%s changed from %q to %q", c.Part, c.Was, c.Now)
	}
	return fmt.Sprintf("resume: checkpoint %s was written by a different job: %s", e.Path, strings.Join(parts, "; "))
}

// Diff lists the parts whose values differ between fp (what was
// recorded) and now. Only parts both have are compared: a part one side
// lacks (a fingerprint from an older version) is no difference.
func (fp Fingerprint) Diff(now Fingerprint) []FingerprintChange {
	var out []FingerprintChange
	for _, part := range slices.Sorted(maps.Keys(fp)) {
		if v, ok := now[part]; ok && v != fp[part] {
			out = append(out, FingerprintChange{Part: part, Was: fp[part], Now: v})
		}
	}
	return out
}

// Fingerprint returns the fingerprint the checkpoint recorded, or nil if
// it has none (a new checkpoint, or one written before fingerprints).
func (c *Checkpoint) Fingerprint() Fingerprint {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return maps.Clone(c.fp)
}

// SetFingerprint checks fp against the recorded fingerprint and records
// it. Call it when a run starts, before it writes: if a part both have
// differs, it returns a *FingerprintMismatchError and records nothing. A
// checkpoint without a fingerprint accepts any; parts the recorded one
// lacks are added to it.
func (c *Checkpoint) SetFingerprint(fp Fingerprint) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.f == nil {
		return errClosed
	}
	if changes := c.fp.Diff(fp); len(changes) > 0 {
		return &FingerprintMismatchError{Path: c.path, Changes: changes}
	}
	merged := maps.Clone(c.fp)
	if merged == nil {
		merged = Fingerprint{}
	}
	maps.Copy(merged, fp)
	if maps.Equal(merged, c.fp) {
		return nil
	}
	if err := c.append(entry{Fingerprint: merged}, true); err != nil {
		return err
	}
	c.fp = merged
	return nil
}
