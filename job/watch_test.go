package job

import (
	"context"
	"strings"
	"testing"
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
