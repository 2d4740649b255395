package main

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/sluicehq/sluice/job"
)

// scrapeFlags describe a job on the command line.
type scrapeFlags struct {
	column, keyColumn, items, output, table, deadLetter, checkpoint, userAgent string
	fields                                                                     []string
	json, ignoreRobots                                                         bool
	keepDuplicates                                                             bool
	keyName                                                                    string
	workers, parseWorkers                                                      int
}

func (a *app) scrapeCmd() *cobra.Command {
	var sf scrapeFlags
	var flags runFlags
	cmd := &cobra.Command{
		Use:   "scrape INPUT -o OUTPUT --field NAME=SELECTOR...",
		Short: "Scrape the URLs of a file into a file or database, without a job file",
		Long: `Fetch every URL of INPUT, extract the --field values and write them to -o.

INPUT is a .csv file (URL column --column, default "url"), a .jsonl file
(URL field --column), any other file with one URL per line, or - for
URLs on standard input. The output kind comes from -o: .jsonl, .csv,
.db/.sqlite (SQLite) or a postgres:// DSN.

Failures go to OUTPUT.failed.jsonl; the checkpoint is OUTPUT.checkpoint;
robots.txt answers are kept for 24 hours in OUTPUT.robots.json.
Everything else is as for "sluice run". Try fields on one page first with
"sluice try URL --field ...".

` + fieldSyntaxHelp,
		Example: `  sluice scrape urls.csv --column url --field title=h1 --field 'price=.price' -o out.db
  sluice scrape urls.txt --field 'price=div.price@data-amount|float|required' -o prices.jsonl
  sluice scrape urls.txt --items li.product --field name=a --field 'tags=.tag|all' --field 'n=.review|count' -o p.jsonl
  sluice scrape urls.txt --field 'day=time|time:2006-01-02' --field 'sku=.sku|re:SKU-(\d+)' -o p.csv
  sluice scrape api-urls.txt --json --items data.items --field id --field name=title -o items.csv
  cat urls.txt | sluice scrape - --field title=title -o titles.csv`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			spec, err := sf.job(args[0])
			if err != nil {
				return usageError(err)
			}
			j, err := job.FromSpec("scrape", spec, job.Options{})
			if err != nil {
				return usageError(appendCaret(inFlagTerms(err)))
			}
			a.terms = inFlagTerms
			return a.execute(cmd.Context(), j, flags, "sluice scrape "+strings.Join(quoteArgs(cmd), " ")+" --resume")
		},
	}
	sf.register(cmd.Flags())
	_ = cmd.MarkFlagRequired("output")
	flags.register(cmd.Flags())
	return cmd
}

func (sf *scrapeFlags) register(f *pflag.FlagSet) {
	f.StringVar(&sf.column, "column", "", "CSV column or JSON field holding the URL (default \"url\")")
	f.StringVar(&sf.keyColumn, "key-column", "", "CSV column or JSON field holding a stable key per input (default: line number)")
	f.StringVar(&sf.keyName, "key-name", "", "name of the output column holding each input's key (default \"key\")")
	f.BoolVar(&sf.keepDuplicates, "keep-duplicates", false, "process an input listed twice (same key, or same URL without --key-column) twice; by default it is skipped and counted")
	f.StringArrayVar(&sf.fields, "field", nil, "NAME=SELECTOR[@ATTR][|OPTION...], or with --json NAME[=PATH][|OPTION...] (repeatable; see above)")
	f.StringVar(&sf.items, "items", "", "CSS selector (or with --json a gjson path) of the items: one record per match")
	f.BoolVar(&sf.json, "json", false, "responses are JSON: fields are gjson paths")
	f.StringVarP(&sf.output, "output", "o", "", "output: FILE.jsonl, FILE.csv, FILE.db, or a postgres:// DSN (required)")
	f.StringVar(&sf.table, "table", "", "SQL table (default \"items\")")
	f.StringVar(&sf.deadLetter, "dead-letter", "", "dead-letter file (default OUTPUT.failed.jsonl)")
	f.StringVar(&sf.checkpoint, "checkpoint", "", "checkpoint file (default OUTPUT.checkpoint)")
	f.StringVar(&sf.userAgent, "user-agent", "", "User-Agent header and robots.txt token")
	f.BoolVar(&sf.ignoreRobots, "ignore-robots", false, "do not obey robots.txt")
	f.IntVarP(&sf.workers, "workers", "w", 0, "concurrent fetches (default 16)")
	f.IntVar(&sf.parseWorkers, "parse-workers", 0, "parsing goroutines (default: the number of CPUs)")
}

// job builds the job the flags describe.
func (sf *scrapeFlags) job(input string) (job.Job, error) {
	j := job.Job{
		Name:       "scrape",
		Source:     job.SourceSpec{Kind: sourceKindFor(input), Path: input, URLColumn: sf.column, KeyColumn: sf.keyColumn, KeepDuplicates: sf.keepDuplicates},
		Fetch:      sf.fetchSpec(),
		Parse:      job.ParseSpec{Workers: sf.parseWorkers},
		Sink:       job.SinkSpec{Table: sf.table, KeyColumn: sf.keyName},
		DeadLetter: job.DeadLetterSpec{Path: sf.deadLetter},
		Checkpoint: sf.checkpoint,
	}
	if strings.Contains(sf.output, "://") {
		j.Sink.DSN = sf.output
	} else {
		j.Sink.Path = sf.output
	}
	if input == "-" {
		j.Source.Kind, j.Source.Path = "stdin", ""
	}
	if len(sf.fields) == 0 {
		return j, fmt.Errorf("at least one --field is required")
	}
	var err error
	j.Parse.HTML, j.Parse.JSON, err = sf.parseSpec()
	return j, err
}

// sourceKindFor picks the source kind from the input's extension.
func sourceKindFor(path string) string {
	switch strings.ToLower(strings.TrimSuffix(path, ".gz")) {
	case "-":
		return "stdin"
	}
	switch filepath.Ext(strings.ToLower(strings.TrimSuffix(path, ".gz"))) {
	case ".csv", ".tsv":
		return "csv"
	case ".jsonl", ".ndjson":
		return "jsonl"
	}
	return "lines"
}

// quoteArgs returns the command's arguments as typed, quoted for a shell.
func quoteArgs(cmd *cobra.Command) []string {
	var out []string
	for _, s := range cmd.Flags().Args() {
		out = append(out, shellQuote(s))
	}
	cmd.Flags().Visit(func(f *pflag.Flag) {
		if f.Name == "resume" || f.Name == "restart" {
			return
		}
		if sv, ok := f.Value.(interface{ GetSlice() []string }); ok {
			for _, v := range sv.GetSlice() {
				out = append(out, "--"+f.Name+"="+shellQuote(v))
			}
			return
		}
		out = append(out, "--"+f.Name+"="+shellQuote(f.Value.String()))
	})
	return out
}

func shellQuote(s string) string {
	if s != "" && !strings.ContainsAny(s, " \t\n'\"\\$`!*?[]{}()<>|&;#~") {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
