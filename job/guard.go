package job

import (
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/sluicehq/sluice/resume"
)

// lockOutputs takes the run's lock on its output set: the output (its
// file, or for a database a key file next to the checkpoint), the
// checkpoint and the dead letters. A second run on the same outputs gets
// a *resume.LockedError naming the first one's pid.
func (j *Job) lockOutputs() (*resume.Lock, error) {
	paths := []string{j.Checkpoint, j.DeadLetter.Path}
	if j.Sink.Path != "" {
		paths = append(paths, j.Sink.Path)
	} else {
		paths = append(paths, resume.KeyLockPath(filepath.Dir(j.Checkpoint), redactDSN(j.Sink.DSN)+"#"+j.Sink.Table))
	}
	l, err := resume.LockOutputs(paths...)
	if err != nil {
		var le *resume.LockedError
		if errors.As(err, &le) {
			return nil, fmt.Errorf("job: another run is using these outputs, refusing to start: %w", err)
		}
		return nil, fmt.Errorf("job: lock outputs: %w", err)
	}
	return l, nil
}

// fingerprint names what determines the job's output, for the
// checkpoint: resuming after any of it changed would mix two jobs.
func (j *Job) fingerprint() resume.Fingerprint {
	s := j.Source
	input := s.Kind + " " + s.Path + s.URL
	if s.Path != "" && s.Path != "-" {
		if abs, err := filepath.Abs(s.Path); err == nil {
			input = s.Kind + " " + abs
		}
	}
	out := j.Sink.Kind + " " + j.Sink.Path
	if j.Sink.Path == "" {
		out = j.Sink.Kind + " " + redactDSN(j.Sink.DSN) + " table " + j.Sink.Table
	} else if abs, err := filepath.Abs(j.Sink.Path); err == nil {
		out = j.Sink.Kind + " " + abs
	}
	return resume.Fingerprint{
		"input":      input,
		"url column": orDefault(s.URLColumn, "url"),
		"key column": orDefault(s.KeyColumn, "(line number)"),
		"fields":     canonical(j.Parse.HTML, j.Parse.JSON),
		"stages":     canonical(j.Stages),
		"filters":    canonical(j.Filters),
		"output":     out,
		"key name":   orDefault(j.Sink.KeyColumn, "key"),
	}
}

// checkFingerprint records the job's fingerprint in the checkpoint; on a
// resume it refuses a job whose output would be determined differently.
func (j *Job) checkFingerprint(ckpt resume.Store) error {
	err := ckpt.SetFingerprint(j.fingerprint())
	var fe *resume.FingerprintMismatchError
	if errors.As(err, &fe) {
		return &UsageError{Err: fmt.Errorf("cannot resume: the job changed since the checkpoint was written (%s); resuming would mix two jobs in one output: pass --restart to start over", describeChanges(fe))}
	}
	return err
}

func describeChanges(fe *resume.FingerprintMismatchError) string {
	parts := make([]string, len(fe.Changes))
	for i, c := range fe.Changes {
		parts[i] = fmt.Sprintf("%s changed from %s to %s", c.Part, shorten(c.Was), shorten(c.Now))
	}
	return strings.Join(parts, "; ")
}

func shorten(s string) string {
	if len(s) > 80 {
		s = s[:77] + "..."
	}
	return fmt.Sprintf("%q", s)
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// canonical is a stable text of v, for comparing specs.
func canonical(v ...any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v...)
	}
	return string(b)
}
