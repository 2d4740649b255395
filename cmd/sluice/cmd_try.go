package main

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sluicehq/sluice/job"
	"github.com/sluicehq/sluice/stages/extract/inspect"
	"github.com/sluicehq/sluice/stages/fetch"
)

// tryFlags are the flags of sluice try: the fetch and parse flags of
// scrape, plus the job file, --find and --interactive.
type tryFlags struct {
	scrapeFlags
	jobFile     string
	find        string
	interactive bool
}

func (a *app) tryCmd() *cobra.Command {
	var tf tryFlags
	cmd := &cobra.Command{
		Use:   "try URL|FILE [--field NAME=SELECTOR...] [--find TEXT] [--interactive]",
		Short: "Fetch one page as a run would and show what the fields extract",
		Long: `Fetch one page exactly as a run would (the same User-Agent, headers,
robots.txt and charset decoding), or read a saved page, and show the final
URL after redirects, the status, the charset decision (where it came from
and how sure it is), then for each --field its value as the record would
hold it and how many elements its selector matches (and --items matches).

A field whose selector matches nothing gets "did you mean" selectors built
from the classes, ids and tags of the page. --find TEXT lists the elements
whose own text (or an attribute) contains TEXT, with short selectors that
are verified to match them. --interactive then reads lines from standard
input to try selectors on the same page without fetching it again:
  NAME=SELECTOR[@ATTR][|OPTION...]   a field, as --field
  SELECTOR                           a field named "value"
  :find TEXT                         as --find
  :items SELECTOR                    set (or with nothing, clear) the items
  :fields                            show the --field fields again
  :quit                              leave (so does end of input)

--job FILE takes the fetch settings (headers, User-Agent, robots.txt) and
the fields of a job file; --field and --items given as well replace them.

` + fieldSyntaxHelp + `

Exit codes: 0 the page was read (even when fields are missing), 1 the page
could not be fetched or is not HTML (JSON with --json), 2 a bad flag or an
invalid selector (shown with a caret under the position).`,
		Example: `  sluice try https://shop.example/p/1 --field title=h1 --field 'price=.price|float'
  sluice try page.html --items li.product --field name=a --field 'url=a@href'
  sluice try https://shop.example/p/1 --find 19.99
  sluice try https://shop.example/p/1 --interactive
  sluice try https://shop.example/p/1 --job job.yaml`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.try(cmd.Context(), args[0], &tf)
		},
	}
	f := cmd.Flags()
	f.StringArrayVar(&tf.fields, "field", nil, "NAME=SELECTOR[@ATTR][|OPTION...], or with --json NAME[=PATH][|OPTION...] (repeatable)")
	f.StringVar(&tf.items, "items", "", "CSS selector (or with --json a gjson path) of the items: one record per match")
	f.BoolVar(&tf.json, "json", false, "the page is JSON: fields are gjson paths")
	f.StringVar(&tf.userAgent, "user-agent", "", "User-Agent header and robots.txt token")
	f.BoolVar(&tf.ignoreRobots, "ignore-robots", false, "do not obey robots.txt")
	f.StringVar(&tf.jobFile, "job", "", "take fetch settings and fields from this job file")
	f.StringVar(&tf.find, "find", "", "list elements whose text contains TEXT, with selectors for them")
	f.BoolVarP(&tf.interactive, "interactive", "i", false, "read selectors from standard input and try each on the page")
	return cmd
}

// try runs sluice try.
func (a *app) try(ctx context.Context, target string, tf *tryFlags) error {
	cfg, spec, err := tf.settings(a.lookup)
	if err != nil {
		return usageError(err)
	}
	if err := checkSpec(spec); err != nil {
		return err
	}
	p, err := loadPage(ctx, target, cfg, spec.json != nil)
	if err != nil {
		return fmt.Errorf("try: %w", err)
	}
	t := &tryer{out: a.Out, page: p, spec: spec}
	t.header()
	t.fields()
	if tf.find != "" {
		t.findText(tf.find)
	}
	if tf.interactive {
		return t.repl(a.In)
	}
	return nil
}

// settings builds the fetch config and the parse spec, the way scrape
// builds its job (or from --job).
func (tf *tryFlags) settings(lookup func(string) (string, bool)) (fetch.Config, trySpec, error) {
	j := &job.Job{Fetch: tf.fetchSpec()}
	var spec trySpec
	if tf.jobFile != "" {
		var err error
		if j, err = job.Load(tf.jobFile, job.Options{Lookup: lookup}); err != nil {
			return fetch.Config{}, spec, err
		}
		spec.html, spec.json = j.Parse.HTML, j.Parse.JSON
		tf.json = tf.json || spec.json != nil
	}
	if len(tf.fields) > 0 || tf.items != "" || spec.html == nil && spec.json == nil {
		hs, js, err := tf.parseSpec()
		if err != nil {
			return fetch.Config{}, spec, err
		}
		if hs != nil && spec.html != nil && len(tf.fields) == 0 {
			hs.Fields = spec.html.Fields
		}
		if js != nil && spec.json != nil && len(tf.fields) == 0 {
			js.Fields = spec.json.Fields
		}
		spec.html, spec.json = hs, js
	}
	cfg, err := j.FetchConfig()
	return cfg, spec, err
}

// page is the one page try works on.
type page struct {
	resp *fetch.Response
	file string        // the path, when read from a file
	insp *inspect.Page // what try asks of the page
}

// loadPage fetches target, or reads it when it is not an http(s) URL.
func loadPage(ctx context.Context, target string, cfg fetch.Config, isJSON bool) (*page, error) {
	var p *page
	var err error
	if u, perr := url.Parse(target); perr == nil && (u.Scheme == "http" || u.Scheme == "https") {
		p, err = fetchPage(ctx, target, cfg)
	} else {
		p, err = readPage(target)
	}
	if err != nil {
		return nil, err
	}
	where := p.resp.URL.String()
	if p.file != "" {
		where = p.file
	}
	switch ct := p.resp.ContentType; {
	case isJSON:
		if ct != "" && !strings.Contains(ct, "json") && !strings.HasPrefix(ct, "text/") && !strings.Contains(ct, "javascript") {
			return nil, fmt.Errorf("%s is %s, not JSON", where, ct)
		}
		return p, nil
	case ct != "" && !strings.Contains(ct, "html") && !strings.Contains(ct, "xml"):
		hint := ""
		if strings.Contains(ct, "json") {
			hint = " (add --json)"
		}
		return nil, fmt.Errorf("%s is %s, not HTML%s", where, ct, hint)
	}
	return p, nil
}

// fetchPage fetches rawURL with a fetcher built from cfg.
func fetchPage(ctx context.Context, rawURL string, cfg fetch.Config) (*page, error) {
	f, err := fetch.New(cfg)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	resp, err := f.Fetch(ctx, fetch.Request{URL: rawURL})
	if err != nil {
		return nil, err
	}
	return &page{resp: resp, insp: inspect.New(resp)}, nil
}

// readPage reads a saved page and decodes it as a fetch would.
func readPage(path string) (*page, error) {
	resp, err := inspect.ReadFile(path)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, fmt.Errorf("cannot read %s: %w", path, err)
	}
	return &page{resp: resp, file: path, insp: inspect.New(resp)}, nil
}
