package job

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sluicehq/sluice/testsite"
)

// A selector that matches nothing on the first pages is a warning naming
// the field and a page it missed on, not a silent empty column.
func TestRunWarnsOfAFieldThatMatchesNothing(t *testing.T) {
	srv := faultySite(t, 30)
	j := siteJob(t, srv, 30, "")
	j.Parse.HTML.Fields[1].Selector = "div.prise" // a typo: matches nothing
	if err := j.Validate(); err != nil {
		t.Fatal(err)
	}
	rep, err := Run(context.Background(), j, RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.WarningCount != 1 || !strings.Contains(rep.Warnings[0].Msg, `field "price" matched nothing on the first 20 pages`) ||
		!strings.HasPrefix(rep.Warnings[0].URL, srv.URL()+"/products/") {
		t.Fatalf("warnings %d %+v", rep.WarningCount, rep.Warnings)
	}
	// A correct job warns of nothing.
	rep, err = Run(context.Background(), siteJob(t, srv, 30, ""), RunOptions{})
	if err != nil || rep.WarningCount != 0 {
		t.Fatalf("correct job: %v, warnings %+v", err, rep.Warnings)
	}
}

// A JSON job's warning speaks of paths, as its fields do.
func TestRunWarnsOfAJSONPathThatMatchesNothing(t *testing.T) {
	srv := startSite(t, testsite.Config{Pages: 40})
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "api.txt"), srv.URL()+"/api/products?page=1\n"+srv.URL()+"/api/products?page=2\n")
	writeFile(t, filepath.Join(dir, "job.yaml"), `source: {kind: lines, path: api.txt}
parse:
  json:
    items: items
    fields:
      - {name: name, path: nmae}
sink: {path: out.jsonl}
`)
	rep := runJobIn(t, dir)
	if rep.WarningCount != 1 || !strings.Contains(rep.Warnings[0].Msg, `field "name" matched nothing on the first 2 pages: its column will be empty (check its path)`) {
		t.Fatalf("warnings %d %+v", rep.WarningCount, rep.Warnings)
	}
}
