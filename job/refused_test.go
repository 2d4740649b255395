package job

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/sluicehq/sluice/observe"
	"github.com/sluicehq/sluice/testsite"
)

// refusingJob is a job of n pages of srv into out.db, whose items table
// the caller creates with create (a table the records do not all fit).
func refusingJob(t *testing.T, srv *testsite.Server, n int, create, extra string) *Job {
	t.Helper()
	dir := t.TempDir()
	var urls strings.Builder
	for id := range n {
		fmt.Fprintln(&urls, srv.PageURL(id))
	}
	writeFile(t, filepath.Join(dir, "urls.txt"), urls.String())
	db, err := sql.Open("sqlite", filepath.Join(dir, "out.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(create); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "job.yaml"), `source: {kind: lines, path: urls.txt}
fetch: {workers: 4}
parse:
  html:
    fields:
      - {name: title, selector: h1.title}
      - {name: price, selector: div.price, attr: data-amount, type: float}
sink: {path: out.db}
`+extra)
	j, err := Load(filepath.Join(dir, "job.yaml"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	return j
}

// Records a table refuses (a CHECK constraint here) fail their inputs:
// dead-lettered by the committer, and counted by the run as failures, in
// its reasons and against its failure budget, not as records "filtered
// out" of a run with no failures.
func TestRunCountsRecordsASinkRefuses(t *testing.T) {
	srv := startSite(t, testsite.Config{Pages: 40})
	refused := 0
	for id := range 40 {
		if price, _ := strconv.ParseFloat(srv.Page(id).Amount, 64); price >= 30 {
			refused++
		}
	}
	if refused == 0 || refused == 40 {
		t.Fatalf("%d of 40 pages cost 30 or more: the test needs some of each", refused)
	}
	j := refusingJob(t, srv, 40, `CREATE TABLE items (key TEXT, url TEXT, title TEXT, price REAL CHECK (price < 30))`, "max_failures: none\n")
	rep, err := Run(context.Background(), j, RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Outcome != observe.Complete || rep.Done != 40 || rep.Failed != int64(refused) || rep.Refused != int64(refused) || rep.Written != int64(40-refused) {
		t.Fatalf("report: outcome %v, done %d, failed %d, refused %d, written %d; want complete, 40 done, %d failed and refused, %d written",
			rep.Outcome, rep.Done, rep.Failed, rep.Refused, rep.Written, refused, 40-refused)
	}
	if len(rep.Failures) != 1 || rep.Failures[0].Count != int64(refused) || rep.Failures[0].Stage != StageWrite || !strings.Contains(rep.Failures[0].Reason, "CHECK constraint failed") {
		t.Fatalf("failure groups %+v", rep.Failures)
	}
	if n := len(readLines(t, j.DeadLetter.Path)); n != refused {
		t.Fatalf("%d dead letters, want %d", n, refused)
	}

	// A table that refuses every record fails the run under the default
	// budget; it used to end with exit 0 and "no failures".
	j = refusingJob(t, srv, 10, `CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL)`, "")
	rep, err = Run(context.Background(), j, RunOptions{})
	var le *FailureLimitError
	if !errors.As(err, &le) || rep.Outcome != observe.FailedPolicy || rep.Failed != 10 || rep.Written != 0 {
		t.Fatalf("a table that takes nothing: %v, outcome %v, failed %d, written %d", err, rep.Outcome, rep.Failed, rep.Written)
	}
}
