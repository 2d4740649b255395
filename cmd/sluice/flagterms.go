package main

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/sluicehq/sluice/job"
)

// scrapeFlagFor maps the job paths a scrape or crawl command line fills
// to the flags that set them, so that a problem is reported in the terms
// the user typed, not in a YAML job they never wrote.
var scrapeFlagFor = []struct{ prefix, flag string }{
	{"source.url_column", "--column"},
	{"source.key_column", "--key-column"},
	{"source.delimiter", "--delimiter"},
	{"source", "INPUT"},
	{"fetch.workers", "-w/--workers"},
	{"fetch.user_agent", "--user-agent"},
	{"fetch.ignore_robots", "--ignore-robots"},
	{"parse.workers", "--parse-workers"},
	{"parse.html.items", "--items"},
	{"parse.json.items", "--items"},
	{"parse", "--field"},
	{"sink.table", "--table"},
	{"sink", "-o/--output"},
	{"dead_letter", "--dead-letter"},
	{"checkpoint", "--checkpoint"},
	{"max_failures", "--max-failures"},
	{"crawl.scope", "--scope"},
	{"crawl.max_depth", "--max-depth"},
	{"crawl.max_pages", "--max-pages"},
	{"crawl.follow", "--follow"},
	{"crawl.urls", "URL"},
	{"crawl.sitemaps", "--sitemap"},
	{"crawl", "a crawl flag"},
}

var fieldIndex = regexp.MustCompile(`^parse\.(?:html|json)\.fields\[(\d+)\]`)

// inFlagTerms rewrites a *job.Error of a job built from flags into the
// flag's terms: "--column: no column ..." instead of
// "scrape: source.url_column: no column ...". Other errors are returned
// as they are.
func inFlagTerms(err error) error {
	var je *job.Error
	if !errors.As(err, &je) || je.Path == "" {
		return err
	}
	flag, msg := flagForPath(je.Path), je.Msg
	if strings.HasPrefix(msg, "cannot tell the sink kind from ") && flag == "-o/--output" {
		target, _, _ := strings.Cut(strings.TrimPrefix(msg, "cannot tell the sink kind from "), ";")
		msg = "cannot tell the output kind from " + target + ": name a .jsonl, .csv, .db or .sqlite file or a postgres:// DSN"
	}
	return &termsError{flag: flag, msg: msg, err: err}
}

func flagForPath(path string) string {
	if m := fieldIndex.FindStringSubmatch(path); m != nil {
		n, _ := strconv.Atoi(m[1])
		return fmt.Sprintf("--field #%d", n+1)
	}
	for _, f := range scrapeFlagFor {
		if path == f.prefix || strings.HasPrefix(path, f.prefix+".") || strings.HasPrefix(path, f.prefix+"[") {
			return f.flag
		}
	}
	return path
}

// termsError is a problem with one flag of the command line.
type termsError struct {
	flag, msg string
	err       error
}

func (e *termsError) Error() string { return e.flag + ": " + e.msg }
func (e *termsError) Unwrap() error { return e.err }
