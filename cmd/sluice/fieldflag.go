package main

import (
	"fmt"
	"strings"

	"github.com/sluicehq/sluice/job"
	"github.com/sluicehq/sluice/stages/extract"
)

// fieldSyntaxHelp documents the --field syntax of scrape and try.
const fieldSyntaxHelp = `A field is NAME=SELECTOR[@ATTR][|OPTION...]: SELECTOR is a CSS selector
(empty: the item itself), @ATTR takes that attribute instead of the text,
and each |OPTION is one of
  text, html, outer_html   take the text (default), inner HTML or outer HTML
  count, exists            take the number of matches (int) / whether any match (bool)
  all                      take every match, as a list
  int, float, bool         convert the value (bool: true/false, yes/no, 1/0, on/off)
  time                     a time in RFC 3339
  time:LAYOUT              a time in a Go layout (time:02/01/2006) or a named
                           one: rfc3339, rfc1123, date, datetime, unix
  required                 a page without the field fails (dead-letter file)
  default:VALUE            the value when the field is missing
  re:REGEX                 keep the regex's first group (or whole match);
                           it takes the rest of the flag, so it comes last
In a job file the same options are the field keys take (text, html,
outer_html, count, exists), attr, all, type (int, float, bool, time,
"time:LAYOUT"), required, default and regex. With --json a field is NAME[=PATH][|OPTION...], PATH a gjson
path, with the options int, float, bool, string, time[:LAYOUT], required
and default:VALUE.`

// htmlField parses an HTML --field: NAME=SELECTOR[@ATTR][|OPTION...].
// Name and selector are kept as written.
func htmlField(s string) (extract.Field, error) {
	name, rest, ok := strings.Cut(s, "=")
	if !ok || strings.TrimSpace(name) == "" {
		return extract.Field{}, fmt.Errorf("invalid --field %q: want NAME=SELECTOR[@ATTR][|OPTION...]", s)
	}
	sel, opts := splitOptions(rest)
	f := extract.Field{Name: name, Selector: sel}
	if i := topLevelIndex(sel, '@', true); i >= 0 {
		f.Selector, f.Attr = sel[:i], strings.TrimSpace(sel[i+1:])
		if f.Attr == "" {
			return f, fmt.Errorf("invalid --field %q: empty attribute name after @", s)
		}
	}
	for _, o := range opts {
		if err := applyHTMLOption(&f, o); err != nil {
			return f, fmt.Errorf("invalid --field %q: %w", s, err)
		}
	}
	return f, nil
}

// parseJSONFieldFlag parses a --json --field: NAME[=PATH][|OPTION...].
// gjson paths use '|' themselves, so only a tail of '|'-separated words
// that are all options is taken as options.
func parseJSONFieldFlag(s string) (extract.JSONField, error) {
	head, opts := s, []string(nil)
	for {
		i := strings.LastIndexByte(head, '|')
		if i < 0 || !isJSONOption(strings.TrimSpace(head[i+1:])) {
			break
		}
		head, opts = head[:i], append([]string{strings.TrimSpace(head[i+1:])}, opts...)
	}
	name, path, _ := strings.Cut(head, "=")
	f := extract.JSONField{Name: strings.TrimSpace(name), Path: strings.TrimSpace(path)}
	if f.Name == "" {
		return f, fmt.Errorf("invalid --field %q: want NAME[=PATH][|OPTION...]", s)
	}
	var err error
	for _, o := range opts {
		switch {
		case o == "required":
			f.Required = true
		case strings.HasPrefix(o, "default:"):
			f.Default = strings.TrimPrefix(o, "default:")
		default:
			typ, _ := typeOption(o)
			f.Type = setOnce(&err, f.Type, typ, "type")
		}
	}
	if err != nil {
		return f, fmt.Errorf("invalid --field %q: %w", s, err)
	}
	return f, nil
}

// isJSONOption reports whether o is an option of a --json field.
func isJSONOption(o string) bool {
	typ, err := typeOption(o)
	return o == "required" || strings.HasPrefix(o, "default:") || (err == nil && typ != "")
}

// applyHTMLOption applies one |OPTION to f.
func applyHTMLOption(f *extract.Field, o string) error {
	var err error
	switch o {
	case "all":
		f.All = true
	case "required":
		f.Required = true
	case "text", "html", "outer_html", "outer-html", "count", "exists":
		t := extract.Take(strings.ReplaceAll(o, "-", "_"))
		f.Take = setOnce(&err, f.Take, t, "take")
	default:
		switch {
		case strings.HasPrefix(o, "re:"):
			f.Regex = strings.TrimPrefix(o, "re:")
		case strings.HasPrefix(o, "default:"):
			f.Default = strings.TrimPrefix(o, "default:")
		default:
			var typ extract.Type
			if typ, err = typeOption(o); err == nil && typ == "" {
				err = unknownOption(o)
			}
			f.Type = setOnce(&err, f.Type, typ, "type")
		}
	}
	if err == nil && f.Attr != "" && f.Take == extract.TakeText {
		err = fmt.Errorf("option text contradicts @%s", f.Attr)
	}
	return err
}

// typeOption returns the type an option names, or "" if it names none.
func typeOption(o string) (extract.Type, error) {
	switch o {
	case "string", "int", "float", "bool", "time":
		return extract.Type(o), nil
	}
	if strings.HasPrefix(o, "time:") {
		if o == "time:" {
			return "", fmt.Errorf("option time: needs a layout, e.g. time:2006-01-02")
		}
		return extract.Type(o), nil
	}
	return "", nil
}

// setOnce returns v, or sets *err when an earlier option already set old
// to something else.
func setOnce[T ~string](err *error, old, v T, what string) T {
	if *err == nil && old != "" && v != "" && old != v {
		*err = fmt.Errorf("options %s and %s both set the %s", old, v, what)
	}
	if v == "" {
		return old
	}
	return v
}

var fieldOptions = []string{"text", "html", "outer_html", "count", "exists", "all", "string", "int", "float", "bool",
	"time", "time:LAYOUT", "required", "default:VALUE", "re:REGEX"}

func unknownOption(o string) error {
	msg := fmt.Sprintf("unknown option %q", o)
	if best := closestWord(o, fieldOptions); best != "" {
		msg += fmt.Sprintf("; did you mean %q?", best)
	}
	return fmt.Errorf("%s (options: %s)", msg, strings.Join(fieldOptions, ", "))
}

// splitOptions splits s at its first top-level '|' into the head and the
// options. An option starting with "re:" takes the rest of s, '|'
// included.
func splitOptions(s string) (head string, opts []string) {
	i := topLevelIndex(s, '|', false)
	if i < 0 {
		return s, nil
	}
	head, rest := s[:i], s[i+1:]
	for {
		if t := strings.TrimLeft(rest, " "); strings.HasPrefix(t, "re:") {
			return head, append(opts, t)
		}
		o, more, found := strings.Cut(rest, "|")
		if o = strings.TrimSpace(o); o != "" {
			opts = append(opts, o)
		}
		if !found {
			return head, opts
		}
		rest = more
	}
}

// topLevelIndex returns the index of c in s outside brackets, parentheses
// and quotes (the first one, or the last when last is set), or -1. A '|'
// followed by '=' is CSS's |= operator, not a separator.
func topLevelIndex(s string, c byte, last bool) int {
	depth, quote, at := 0, byte(0), -1
	for i := 0; i < len(s); i++ {
		switch b := s[i]; {
		case quote != 0:
			if b == '\\' {
				i++
			} else if b == quote {
				quote = 0
			}
		case b == '"' || b == '\'':
			quote = b
		case b == '[' || b == '(':
			depth++
		case (b == ']' || b == ')') && depth > 0:
			depth--
		case b == c && depth == 0 && !(c == '|' && i+1 < len(s) && s[i+1] == '='):
			if !last {
				return i
			}
			at = i
		}
	}
	return at
}

// fetchSpec is the fetch section the flags describe.
func (sf *scrapeFlags) fetchSpec() job.FetchSpec {
	return job.FetchSpec{Workers: sf.workers, UserAgent: sf.userAgent, IgnoreRobots: sf.ignoreRobots}
}

// parseSpec is the parse section the --field, --items and --json flags
// describe: exactly one of the two specs.
func (sf *scrapeFlags) parseSpec() (*job.HTMLSpec, *job.JSONSpec, error) {
	if sf.json {
		spec := &job.JSONSpec{Items: sf.items}
		for _, fl := range sf.fields {
			f, err := parseJSONFieldFlag(fl)
			if err != nil {
				return nil, nil, err
			}
			spec.Fields = append(spec.Fields, f)
		}
		return nil, spec, nil
	}
	spec := &job.HTMLSpec{Items: sf.items}
	for _, fl := range sf.fields {
		f, err := htmlField(fl)
		if err != nil {
			return nil, nil, err
		}
		spec.Fields = append(spec.Fields, f)
	}
	return spec, nil, nil
}
