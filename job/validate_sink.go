package job

import (
	"os"
	"path/filepath"
	"strings"
)

func (j *Job) checkSink(dir string) error {
	s := &j.Sink
	if _, ok := j.pos["sink"]; !ok {
		return j.missing("sink")
	}
	if s.Kind == "" {
		target := s.Path
		if target == "" {
			target = s.DSN
		}
		if target == "" {
			return j.missing("sink.kind")
		}
		if s.Kind = j.reg.SinkKindFor(target); s.Kind == "" {
			return j.errorAt("sink", nil, "cannot tell the sink kind from %q; set sink.kind (kinds: %s)", redactDSN(target), strings.Join(j.reg.SinkKinds(), ", "))
		}
	}
	kind, ok := j.reg.Sink(s.Kind)
	if !ok {
		return j.errorAt("sink.kind", nil, "%s", unknownKind("sink", s.Kind, j.reg.SinkKinds()))
	}
	if kind.Needs == "path" && s.Path == "" {
		return j.missing("sink.path")
	}
	if kind.Needs == "dsn" && s.DSN == "" {
		return j.missing("sink.dsn")
	}
	if s.Mode != "" && s.Mode != "append" && s.Mode != "upsert" {
		return j.errorAt("sink.mode", nil, "unknown mode %q (modes: append, upsert)", s.Mode)
	}
	s.Path = resolve(dir, s.Path)
	if _, err := kind.New(*s); err != nil {
		return j.errorAt("sink", err, "%v", err)
	}
	return nil
}

func (j *Job) checkRest(dir string) error {
	limit, err := ParseMaxFailures(j.MaxFailures)
	if err != nil {
		return j.errorAt("max_failures", err, "%s", strings.TrimPrefix(err.Error(), "job: "))
	}
	j.limit = limit
	if _, err := ParseMemory(j.Memory); err != nil {
		return j.errorAt("memory", err, "%s", strings.TrimPrefix(err.Error(), "job: "))
	}
	if j.Commit.Every < 0 || j.Commit.Interval < 0 {
		return j.errorAt("commit", nil, "must not be negative")
	}
	if j.Name == "" {
		j.Name = strings.TrimSuffix(filepath.Base(j.file), filepath.Ext(j.file))
	}
	base := j.Sink.Path
	if base == "" {
		base = resolve(dir, j.Name)
	}
	if j.DeadLetter.Path == "" {
		j.DeadLetter.Path = base + ".failed.jsonl"
	} else {
		j.DeadLetter.Path = resolve(dir, j.DeadLetter.Path)
	}
	j.robotsPath = base + ".robots.json"
	if j.Checkpoint == "" {
		j.Checkpoint = base + ".checkpoint"
	} else {
		j.Checkpoint = resolve(dir, j.Checkpoint)
	}
	return nil
}

// checkPaths refuses a job whose files overlap: an output on the input's
// path (or the job file's) would truncate it before the source read it,
// and two outputs on one path would write over each other. Paths are
// compared resolved, and as files when both exist (a symlink, a hard
// link).
func (j *Job) checkPaths(string) error {
	type file struct{ path, what, at string }
	outs := []file{{j.Sink.Path, "the output (sink.path)", "sink.path"},
		{j.DeadLetter.Path, "the dead-letter file (dead_letter.path)", "dead_letter.path"},
		{j.Checkpoint, "the checkpoint", "checkpoint"}}
	if j.Crawl != nil {
		outs = append(outs, file{j.Crawl.Store, "the crawl's frontier (crawl.store)", "crawl.store"})
	}
	ins := []file{{j.file, "the job file", ""}}
	if p := j.Source.Path; p != "-" {
		ins = append(ins, file{p, "the input (source.path)", "source.path"})
	}
	for i, o := range outs {
		for _, in := range ins {
			if samePath(o.path, in.path) {
				return j.errorAt(o.at, nil, "%s is also %s: the run would write over it", o.path, in.what)
			}
		}
		for _, earlier := range outs[:i] {
			if samePath(o.path, earlier.path) {
				return j.errorAt(o.at, nil, "%s is also %s: both would be written to one file", o.path, earlier.what)
			}
		}
	}
	return nil
}

// samePath reports whether a and b name one file: the same path once
// made absolute and clean, or the same existing file.
func samePath(a, b string) bool {
	if a == "" || b == "" {
		return false
	}
	absA, errA := filepath.Abs(a)
	absB, errB := filepath.Abs(b)
	if errA == nil && errB == nil && absA == absB {
		return true
	}
	fa, errA := os.Stat(a)
	fb, errB := os.Stat(b)
	return errA == nil && errB == nil && os.SameFile(fa, fb)
}

// redactDSN hides a password in a connection string.
func redactDSN(s string) string {
	scheme, rest, ok := strings.Cut(s, "://")
	if !ok {
		return s
	}
	userinfo, host, ok := strings.Cut(rest, "@")
	if !ok {
		return s
	}
	if user, _, hasPass := strings.Cut(userinfo, ":"); hasPass {
		return scheme + "://" + user + ":***@" + host
	}
	return s
}
