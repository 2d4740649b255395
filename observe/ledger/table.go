package ledger

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/sluicehq/sluice/pipeline"
)

// Summary is what the ledger table shows besides the stage counters.
type Summary struct {
	// Elapsed is the run's wall time.
	Elapsed time.Duration
	// Inputs is how many inputs the source read; Done how many finished
	// (written, filtered out or failed); Failed how many failed.
	Inputs, Done, Failed int64
	// Resumed is how many inputs an earlier run had finished.
	Resumed int
	// Duplicates is how many inputs were skipped as repeats.
	Duplicates int64
	// Extracted and Written count records (a page may hold many);
	// Refused the records a sink refused at commit (their inputs failed).
	Extracted, Written, Refused int64
	// Crawl says the run crawled: its inputs are its seeds, and what
	// finished are pages (seeds and the pages their links led to).
	Crawl bool
	// PeakMemory is the process's peak resident memory in bytes, and
	// MemoryBudget the run's memory budget; a zero PeakMemory shows
	// neither.
	PeakMemory, MemoryBudget int64
}

// Write prints the per-stage table, the totals and the top reasons.
func Write(w io.Writer, stats []pipeline.StageStats, s Summary, top []ReasonCount) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "stage\tkind\tworkers\tin\tout\tfiltered\tfailed\tdropped\tbusy")
	for _, st := range stats {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%d\t%d\t%d\t%s\n", st.Name, st.Kind, st.Workers,
			st.In, st.Out, st.Filtered, st.Failed, st.Dropped, st.Busy.Round(time.Millisecond))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	secs := s.Elapsed.Seconds()
	rate := 0.0
	if secs > 0 {
		rate = float64(s.Done) / secs
	}
	unit := "inputs"
	if s.Crawl {
		unit = "pages"
		fmt.Fprintf(w, "\nseeds %d read, pages %d finished (%d failed)", s.Inputs, s.Done, s.Failed)
	} else {
		fmt.Fprintf(w, "\ninputs %d read, %d finished (%d failed)", s.Inputs, s.Done, s.Failed)
	}
	if s.Duplicates > 0 {
		fmt.Fprintf(w, ", %d duplicates skipped", s.Duplicates)
	}
	if s.Resumed > 0 {
		fmt.Fprintf(w, ", %d done by an earlier run", s.Resumed)
	}
	fmt.Fprintf(w, "; records %d extracted", s.Extracted)
	if filtered := s.Extracted - s.Written - s.Refused; filtered > 0 {
		fmt.Fprintf(w, ", %d filtered out", filtered)
	}
	if s.Refused > 0 {
		fmt.Fprintf(w, ", %d refused by the sink", s.Refused)
	}
	fmt.Fprintf(w, ", %d written\n", s.Written)
	fmt.Fprintf(w, "elapsed %s, %.1f %s/s", s.Elapsed.Round(time.Millisecond), rate, unit)
	if s.PeakMemory > 0 {
		fmt.Fprintf(w, "; peak memory %s", MemoryAgainst(s.PeakMemory, s.MemoryBudget))
	}
	fmt.Fprintln(w)
	return writeTop(w, top)
}

// MemoryAgainst is a peak of memory against a budget, both in bytes, as
// the ledger shows it: "35.2 MiB of the 256 MiB budget", with " (over it)"
// when the peak is over the budget.
func MemoryAgainst(peak, budget int64) string {
	s := mib(peak) + " of the " + mib(budget) + " budget"
	if peak > budget {
		s += " (over it)"
	}
	return s
}

// mib is n bytes in MiB: whole, or to a tenth below 100 MiB.
func mib(n int64) string {
	v := float64(n) / (1 << 20)
	if v < 100 && n%(1<<20) != 0 {
		return strconv.FormatFloat(v, 'f', 1, 64) + " MiB"
	}
	return strconv.FormatFloat(v, 'f', 0, 64) + " MiB"
}

func writeTop(w io.Writer, top []ReasonCount) error {
	if len(top) == 0 {
		_, err := fmt.Fprintln(w, "no failures")
		return err
	}
	fmt.Fprintln(w, "\ntop failure reasons:")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, rc := range top {
		host := rc.Host
		if host == "" {
			host = "-"
		}
		fmt.Fprintf(tw, "  %d\t%s\t%s\t%s\te.g. %s\n", rc.Count, rc.Stage, oneLine(rc.Reason), host, oneLine(rc.Sample))
	}
	return tw.Flush()
}

func oneLine(s string) string {
	s = strings.ReplaceAll(s, "\n", " ")
	if len(s) > 120 {
		s = s[:117] + "..."
	}
	return s
}
