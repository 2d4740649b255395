package job

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"

	"github.com/sluicehq/sluice/stages/extract"
	"github.com/sluicehq/sluice/stages/filter"
)

// validate checks the decoded job, compiles its parser and filters, and
// resolves relative paths against dir.
func (j *Job) validate(dir string) error {
	for _, check := range []func(string) error{j.checkSourceOrSeeds, j.checkFetch, j.checkParse, j.checkStages, j.checkFilters, j.checkSink, j.checkRest, j.checkCrawl, j.checkPaths} {
		if err := check(dir); err != nil {
			return err
		}
	}
	return nil
}

func (j *Job) errorAt(path string, err error, format string, args ...any) *Error {
	return j.pos.errorAt(j.file, path, err, format, args...)
}

func (j *Job) missing(path string) *Error {
	e := j.errorAt(path, nil, "missing required field %q", path)
	e.Path = ""
	return e
}

func resolve(dir, p string) string {
	if p == "" || p == "-" || filepath.IsAbs(p) || dir == "" {
		return p
	}
	return filepath.Join(dir, p)
}

func (j *Job) checkSource(dir string) error {
	s := &j.Source
	if _, ok := j.pos["source"]; !ok {
		return j.missing("source")
	}
	if s.Kind == "" {
		return j.missing("source.kind")
	}
	kind, ok := j.reg.Source(s.Kind)
	if !ok {
		return j.errorAt("source.kind", nil, "%s", unknownKind("source", s.Kind, j.reg.SourceKinds()))
	}
	if kind.Needs == "path" && s.Path == "" {
		return j.missing("source.path")
	}
	if kind.Needs == "url" && s.URL == "" {
		return j.missing("source.url")
	}
	if kind.Check != nil {
		if err := kind.Check(*s); err != nil {
			return j.errorAt("source.format", err, "%v", err)
		}
	}
	if s.Kind == "lines" || (s.Kind == "stdin" && (s.Format == "" || s.Format == "lines")) {
		for _, c := range []struct{ at, v string }{{"source.url_column", s.URLColumn}, {"source.key_column", s.KeyColumn}, {"source.delimiter", s.Delimiter}} {
			if c.v != "" {
				return j.errorAt(c.at, nil, "a lines source has no columns: each line is a URL, keyed by its line number (a CSV or JSONL source names columns)")
			}
		}
	}
	if len([]rune(s.Delimiter)) > 1 {
		return j.errorAt("source.delimiter", nil, "delimiter must be one character, got %q", s.Delimiter)
	}
	s.Path = resolve(dir, s.Path)
	return nil
}

func (j *Job) checkFetch(string) error {
	f := j.Fetch
	for path, v := range map[string]int64{"fetch.workers": int64(f.Workers), "fetch.per_host_concurrency": int64(f.PerHostConcurrency),
		"fetch.max_body_bytes": f.MaxBodyBytes, "fetch.timeout": int64(f.Timeout), "fetch.backoff": int64(f.Backoff)} {
		if v < 0 {
			return j.errorAt(path, nil, "must not be negative")
		}
	}
	if f.PerHostRate < 0 {
		return j.errorAt("fetch.per_host_rate", nil, "must not be negative")
	}
	if _, err := j.FetchConfig(); err != nil {
		return j.errorAt("fetch", err, "%v", err)
	}
	return nil
}

func (j *Job) checkParse(string) error {
	p := j.Parse
	switch {
	case p.HTML == nil && p.JSON == nil:
		return j.errorAt("parse", nil, "missing required field \"parse.html\" or \"parse.json\"")
	case p.HTML != nil && p.JSON != nil:
		return j.errorAt("parse.json", nil, "parse takes one of html and json, not both")
	case p.Workers < 0:
		return j.errorAt("parse.workers", nil, "must not be negative")
	}
	if p.JSON != nil {
		x, err := extract.NewJSON(*p.JSON)
		if err != nil {
			return j.specError("parse.json", err)
		}
		j.comp.json = x
		return nil
	}
	if len(p.HTML.Fields) == 0 {
		return j.missing("parse.html.fields")
	}
	x, err := extract.NewHTML(*p.HTML)
	if err != nil {
		return j.specError("parse.html", err)
	}
	j.comp.html = x
	return nil
}

// specError positions an extract error at the field it names.
func (j *Job) specError(base string, err error) error {
	var se *extract.SelectorError
	if errors.As(err, &se) {
		path := base + ".items"
		if se.Field != "items" {
			path = j.fieldPath(base, se.Field) + ".selector"
		}
		at := ""
		if se.Offset >= 0 {
			at = fmt.Sprintf(" at byte %d", se.Offset)
		}
		return j.errorAt(path, err, "invalid CSS selector %q%s: %v", se.Selector, at, se.Err)
	}
	var spe *extract.SpecError
	if errors.As(err, &spe) {
		return j.errorAt(j.fieldPath(base, spe.Field), err, "%v", err)
	}
	return j.errorAt(base, err, "%v", err)
}

// fieldPath finds the path of the field named name under base.
func (j *Job) fieldPath(base, name string) string {
	var names []string
	if j.Parse.HTML != nil {
		for _, f := range j.Parse.HTML.Fields {
			names = append(names, f.Name)
		}
	} else if j.Parse.JSON != nil {
		for _, f := range j.Parse.JSON.Fields {
			names = append(names, f.Name)
		}
	}
	if i := slices.Index(names, name); i >= 0 {
		return fmt.Sprintf("%s.fields[%d]", base, i)
	}
	return base + ".fields"
}

func (j *Job) checkFilters(string) error {
	f, err := filter.New(j.Filters...)
	if err != nil {
		var se *filter.SpecError
		if errors.As(err, &se) {
			return j.errorAt(fmt.Sprintf("filters[%d]", se.Index), err, "%s", filterMessage(se))
		}
		return j.errorAt("filters", err, "%v", err)
	}
	j.comp.filter = f
	return nil
}

func filterMessage(se *filter.SpecError) string {
	if se.Err != nil {
		return se.Msg + ": " + se.Err.Error()
	}
	return se.Msg
}

// checkStages builds the functions of the job's record stages.
func (j *Job) checkStages(string) error {
	j.comp.stages = nil
	for i := range j.Stages {
		s := &j.Stages[i]
		path := fmt.Sprintf("stages[%d]", i)
		if s.Kind == "" {
			return j.missing(path + ".kind")
		}
		kind, ok := j.reg.Stage(s.Kind)
		if !ok {
			return j.errorAt(path+".kind", nil, "%s", unknownKind("stage", s.Kind, j.reg.StageKinds()))
		}
		if s.Name == "" {
			s.Name = s.Kind
		}
		fn, err := kind.New(*s)
		if err != nil {
			return j.errorAt(path, err, "%v", err)
		}
		j.comp.stages = append(j.comp.stages, fn)
	}
	return nil
}
