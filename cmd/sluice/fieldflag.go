package main

import (
	"errors"
	"fmt"

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
func htmlField(s string) (extract.Field, error) {
	f, err := extract.ParseField(s)
	return f, inFlagSyntax(err)
}

// jsonField parses a --json --field: NAME[=PATH][|OPTION...].
func jsonField(s string) (extract.JSONField, error) {
	f, err := extract.ParseJSONField(s)
	return f, inFlagSyntax(err)
}

// inFlagSyntax words a *extract.FieldSyntaxError as a --field error.
func inFlagSyntax(err error) error {
	var fe *extract.FieldSyntaxError
	if errors.As(err, &fe) {
		return fmt.Errorf("invalid --field %q: %s", fe.Input, fe.Msg)
	}
	return err
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
			f, err := jsonField(fl)
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
