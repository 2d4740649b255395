package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// badInputs is the CLI's bad-input table: each invalid job file or
// command line, with its message and exit code. README.md shows it.
var badInputs = []struct {
	args []string
	want string
}{
	{[]string{"validate", "testdata/bad/unknown-key.yaml"},
		`testdata/bad/unknown-key.yaml:3:3: unknown key "wrokers" in fetch; did you mean "workers"?`},
	{[]string{"validate", "testdata/bad/wrong-type.yaml"},
		`testdata/bad/wrong-type.yaml:3:12: fetch.timeout: wrong type: want a duration such as 30s or 1m30s, got "soon"`},
	{[]string{"validate", "testdata/bad/missing-sink.yaml"},
		`testdata/bad/missing-sink.yaml: missing required field "sink"`},
	{[]string{"validate", "testdata/bad/unknown-source-kind.yaml"},
		`testdata/bad/unknown-source-kind.yaml:1:10: source.kind: unknown source kind "xlsx" (kinds: csv, jsonl, lines, sitemap, stdin)`},
	{[]string{"validate", "testdata/bad/unknown-sink-kind.yaml"},
		`testdata/bad/unknown-sink-kind.yaml:5:8: sink.kind: unknown sink kind "postgress"; did you mean "postgres"? (kinds: csv, jsonl, postgres, sqlite)`},
	{[]string{"validate", "testdata/bad/bad-selector.yaml"},
		`testdata/bad/bad-selector.yaml:6:23: parse.html.fields[1].selector: invalid CSS selector "div.price[data-amount" at byte 21: unexpected EOF in attribute selector`},
	{[]string{"validate", "testdata/bad/bad-regex.yaml"},
		"testdata/bad/bad-regex.yaml:6:5: filters[0]: invalid match regex: error parsing regexp: missing closing ): `([a-z]+`"},
	{[]string{"validate", "testdata/bad/unset-var.yaml"},
		`testdata/bad/unset-var.yaml:7:8: environment variable SLUICE_TEST_UNSET_DSN is not set (referenced as ${SLUICE_TEST_UNSET_DSN})`},
	{[]string{"validate", "testdata/bad/bad-max-failures.yaml"},
		`testdata/bad/bad-max-failures.yaml:6:1: max_failures: invalid max failures "150%": want a count such as 50 or a percentage in (0, 100] such as 5%`},
	{[]string{"validate", "testdata/bad/no-such-file.yaml"},
		`testdata/bad/no-such-file.yaml: cannot read job file`},
	{[]string{"run", "../../examples/csv-to-sqlite/job.yaml", "--max-failures", "lots"},
		`--max-failures: invalid max failures "lots": want a count such as 50 or a percentage such as 5%`},
	{[]string{"run", "--workres", "4", "job.yaml"}, `unknown flag: --workres`},
	{[]string{"run", "../../examples/csv-to-sqlite/job.yaml", "--memory", "lots"},
		`--memory: invalid memory "lots": want a size such as 256MiB or 2GiB`},
	{[]string{"worker", "--memory", "12MiB"}, `--memory: memory "12MiB" is below the minimum of 16MiB`},
	{[]string{"run", "testdata/reference-job.yaml"}, `testdata/reference-job.yaml:17:28: environment variable SHOP_TOKEN is not set`},
	{[]string{"scrape", "no-such-urls.csv", "--field", "t=h1", "-o", "x.jsonl"}, `INPUT: stat no-such-urls.csv: no such file or directory`},
	{[]string{"run"}, `accepts 1 arg(s), received 0`},
	{[]string{"bogus"}, `unknown command "bogus" (see sluice --help)`},
	{[]string{"scrape", "urls.csv", "-o", "out.parquet", "--field", "title=h1"},
		`-o/--output: cannot tell the output kind from "out.parquet": name a .jsonl, .csv, .db or .sqlite file or a postgres:// DSN`},
	{[]string{"graph", "../../examples/csv-to-sqlite/job.yaml", "--format", "svg"}, `invalid --format "svg": want mermaid or dot`},
}

func TestBadInputs(t *testing.T) {
	for _, tc := range badInputs {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			r := sluice(t, ".", tc.args...)
			if r.code != exitUsage {
				t.Errorf("exit %d, want %d", r.code, exitUsage)
			}
			if want := "sluice: " + tc.want; !strings.HasPrefix(r.stderr, want) {
				t.Errorf("stderr =\n  %s\nwant prefix\n  %s", r.stderr, want)
			}
		})
	}
}

func TestValidateExamples(t *testing.T) {
	jobs, err := filepath.Glob("../../examples/*/job.yaml")
	if err != nil || len(jobs) < 3 {
		t.Fatalf("example jobs: %v %v", jobs, err)
	}
	cmd := command(t, ".", append([]string{"validate"}, jobs...)...)
	cmd.Env = append(os.Environ(), "SLUICE_PG_DSN=postgres://user:secret@localhost:5432/db")
	out, err := cmd.CombinedOutput()
	if code := exitStatus(t, err); code != 0 {
		t.Fatalf("exit %d\n%s", code, out)
	}
	for _, j := range jobs {
		if !strings.Contains(string(out), j+": ok") {
			t.Errorf("no ok for %s:\n%s", j, out)
		}
	}
}

func TestGraph(t *testing.T) {
	r := sluice(t, ".", "graph", "../../examples/csv-to-sqlite/job.yaml")
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	for _, want := range []string{"read", "fetch", "parse", "filter", "write"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("mermaid lacks %q:\n%s", want, r.stdout)
		}
	}
	r = sluice(t, ".", "graph", "--format", "dot", "../../examples/csv-to-sqlite/job.yaml")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "digraph") {
		t.Errorf("dot: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

func TestHelpHasExamples(t *testing.T) {
	for _, c := range []string{"run", "scrape", "validate", "graph", "demo", "testsite"} {
		r := sluice(t, ".", c, "--help")
		if r.code != 0 || !strings.Contains(r.stdout, "Examples:") {
			t.Errorf("%s --help: exit %d\n%s", c, r.code, r.stdout)
		}
	}
}

// The README's annotated job, with every section, is valid.
func TestReferenceJobIsValid(t *testing.T) {
	cmd := command(t, ".", "validate", "testdata/reference-job.yaml")
	cmd.Env = append(os.Environ(), "SHOP_TOKEN=t0k3n")
	if out, err := cmd.CombinedOutput(); exitStatus(t, err) != 0 {
		t.Fatalf("%v\n%s", err, out)
	}
}

// `sluice scrape urls.csv -o urls.csv` is refused before anything is
// opened: the output would have truncated the input before it was read.
func TestScrapeRefusesToWriteOverItsInput(t *testing.T) {
	dir := t.TempDir()
	input := "id,url\n1,http://127.0.0.1:9/a\n"
	if err := os.WriteFile(filepath.Join(dir, "urls.csv"), []byte(input), 0o644); err != nil {
		t.Fatal(err)
	}
	r := sluice(t, dir, "scrape", "urls.csv", "--field", "t=h1", "-o", "urls.csv")
	if r.code != exitUsage || !strings.Contains(r.stderr, "urls.csv is also the input (source.path): the run would write over it") {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "urls.csv")); err != nil || string(b) != input {
		t.Fatalf("input now %q, %v", b, err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Fatalf("the refused run left %v", entries)
	}
}
