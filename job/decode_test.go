package job

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func env(vars map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := vars[k]; return v, ok }
}

func TestDecodeGood(t *testing.T) {
	j, err := Load("testdata/good.yaml", Options{Lookup: env(map[string]string{"TOKEN": "s3cret"})})
	if err != nil {
		t.Fatal(err)
	}
	if j.Sink.Kind != "sqlite" || j.Sink.Path != filepath.Join("testdata", "out.db") {
		t.Errorf("sink = %+v", j.Sink)
	}
	if j.Source.Path != filepath.Join("testdata", "urls.csv") {
		t.Errorf("source path = %q", j.Source.Path)
	}
	if j.Fetch.Headers["X-Token"] != "s3cret" {
		t.Errorf("headers = %v", j.Fetch.Headers)
	}
	if j.Limit().Percent != 5 || j.Checkpoint != filepath.Join("testdata", "out.db.checkpoint") {
		t.Errorf("limit %v checkpoint %q", j.Limit(), j.Checkpoint)
	}
}

// base is a valid job that the bad cases below edit.
const base = `source:
  kind: csv
  path: urls.csv
parse:
  html:
    fields:
      - {name: title, selector: h1}
sink:
  path: out.jsonl
`

func TestDecodeBad(t *testing.T) {
	for _, tc := range []struct {
		name, yaml string
		want       string // the whole message
	}{
		{"unknown key with suggestion", strings.Replace(base, "parse:", "fetch:\n  wrokers: 4\nparse:", 1),
			`job.yaml:5:3: unknown key "wrokers" in fetch; did you mean "workers"?`},
		{"unknown top-level key", "sorce:\n  kind: csv\n" + base,
			`job.yaml:1:1: unknown key "sorce" at the top level; did you mean "source"?`},
		{"unknown nested key", strings.Replace(base, "{name: title, selector: h1}", "{name: title, selectr: h1}", 1),
			`job.yaml:7:23: unknown key "selectr" in parse.html.fields[0]; did you mean "selector"?`},
		{"wrong type", strings.Replace(base, "parse:", "fetch:\n  workers: many\nparse:", 1),
			`job.yaml:5:12: fetch.workers: wrong type: want an integer, got "many"`},
		{"bad duration", strings.Replace(base, "parse:", "fetch:\n  timeout: soon\nparse:", 1),
			`job.yaml:5:12: fetch.timeout: wrong type: want a duration such as 30s or 1m30s, got "soon"`},
		{"missing source", strings.Replace(base, "source:\n  kind: csv\n  path: urls.csv\n", "", 1),
			`job.yaml: missing required field "source"`},
		{"key column of a lines file", strings.Replace(base, "kind: csv\n  path: urls.csv", "kind: lines\n  path: urls.txt\n  key_column: id", 1),
			`job.yaml:4:3: source.key_column: a lines source has no columns: each line is a URL, keyed by its line number (a CSV or JSONL source names columns)`},
		{"output on the input", strings.Replace(base, "path: out.jsonl", "path: urls.csv", 1),
			`job.yaml:9:3: sink.path: urls.csv is also the input (source.path): the run would write over it`},
		{"output on the job file", strings.Replace(base, "path: out.jsonl", "kind: jsonl\n  path: ./job.yaml", 1),
			`job.yaml:10:3: sink.path: ./job.yaml is also the job file: the run would write over it`},
		{"dead letters on the output", base + "dead_letter:\n  path: out.jsonl\n",
			`job.yaml:11:3: dead_letter.path: out.jsonl is also the output (sink.path): both would be written to one file`},
		{"checkpoint on the input", base + "checkpoint: urls.csv\n",
			`job.yaml:10:1: checkpoint: urls.csv is also the input (source.path): the run would write over it`},
		{"missing source path", strings.Replace(base, "  path: urls.csv\n", "", 1),
			`job.yaml:1:1: missing required field "source.path"`},
		{"unknown source kind", strings.Replace(base, "kind: csv", "kind: cvs", 1),
			`job.yaml:2:3: source.kind: unknown source kind "cvs"; did you mean "csv"? (kinds: csv, jsonl, lines, sitemap, stdin)`},
		{"unknown sink kind", strings.Replace(base, "path: out.jsonl", "kind: sqlit\n  path: out.db", 1),
			`job.yaml:9:3: sink.kind: unknown sink kind "sqlit"; did you mean "sqlite"? (kinds: csv, jsonl, postgres, sqlite)`},
		{"sink kind from extension", strings.Replace(base, "out.jsonl", "out.parquet", 1),
			`job.yaml:8:1: sink: cannot tell the sink kind from "out.parquet"; set sink.kind (kinds: csv, jsonl, postgres, sqlite)`},
		{"bad selector", strings.Replace(base, "selector: h1}", "selector: 'h1[class'}", 1),
			`job.yaml:7:23: parse.html.fields[0].selector: invalid CSS selector "h1[class" at byte 8: unexpected EOF`},
		{"bad regex in filter", base + "filters:\n  - {field: title, match: '(unclosed'}\n",
			`job.yaml:11:5: filters[0]: `},
		{"unset variable", strings.Replace(base, "path: out.jsonl", "kind: postgres\n  dsn: ${SLUICE_PG_DSN}", 1),
			`job.yaml:10:8: environment variable SLUICE_PG_DSN is not set (referenced as ${SLUICE_PG_DSN})`},
		{"bad max_failures", base + "max_failures: lots\n",
			`job.yaml:10:1: max_failures: invalid max failures "lots": want a count such as 50 or a percentage such as 5%`},
		{"both parsers", strings.Replace(base, "parse:\n", "parse:\n  json: {items: items}\n", 1),
			`job.yaml:5:3: parse.json: parse takes one of html and json, not both`},
		{"syntax error", base + "  - : [\n", `job.yaml:`},
		{"empty file", "", `job.yaml: job file is empty`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Decode("job.yaml", []byte(tc.yaml), Options{})
			var je *Error
			if !errors.As(err, &je) {
				t.Fatalf("err = %v (%T), want *Error", err, err)
			}
			if !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("err =\n  %s\nwant prefix\n  %s", err, tc.want)
			}
		})
	}
}

func TestLoadMissingFile(t *testing.T) {
	_, err := Load(filepath.Join(t.TempDir(), "nope.yaml"), Options{})
	if !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("err = %v", err)
	}
}

// fetch.net_http reaches the fetcher's config; it is off by default.
func TestDecodeNetHTTP(t *testing.T) {
	for _, c := range []struct {
		yaml string
		want bool
	}{{base, false}, {base + "fetch: {net_http: true}\n", true}} {
		j, err := Parse([]byte(c.yaml), Options{})
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := j.FetchConfig()
		if err != nil {
			t.Fatal(err)
		}
		if cfg.NetHTTP != c.want {
			t.Errorf("%q: NetHTTP %v, want %v", c.yaml, cfg.NetHTTP, c.want)
		}
	}
}
