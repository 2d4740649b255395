package job

import (
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
