package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"

	"github.com/mattn/go-isatty"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/sluicehq/sluice/job"
)

// streams are the command's standard streams.
type streams struct {
	In       io.Reader
	Out, Err io.Writer
}

// app is what every subcommand shares: streams, environment, global flags.
type app struct {
	streams
	lookup    func(string) (string, bool)
	logLevel  string
	logFormat string
	quiet     bool
	cpuProf   string
	memProf   string
	traceOut  string
	stopProf  func()
	log       *slog.Logger
	logOut    *switchWriter
	// logLevelSet says --log-level was given: the structured logger is
	// used instead of the human one.
	logLevelSet bool
	// warns holds warnings while a run shows progress.
	warns warnings
	// terms, if set, rewrites a run's usage errors in the terms of the
	// command line (scrape, crawl: flags instead of job paths).
	terms func(error) error
}

// run executes the command line and returns the exit code.
func run(args []string, s streams, lookup func(string) (string, bool)) int {
	a := &app{streams: s, lookup: lookup}
	root := a.rootCmd()
	root.SetArgs(args)
	err := root.ExecuteContext(context.Background())
	a.stopProfile()
	if err != nil {
		var ee *exitError
		if !errors.As(err, &ee) || !ee.quiet {
			fmt.Fprintln(s.Err, "sluice:", err)
		}
		if !errors.As(err, &ee) && isCobraUsage(err) {
			return exitUsage
		}
	}
	return exitCode(err)
}

// isCobraUsage reports whether err is cobra's own word on a command line
// it could not take (a required flag missing, say): a usage error.
func isCobraUsage(err error) bool {
	for _, p := range []string{"required flag", "unknown command", "unknown flag", "unknown shorthand flag", "flag needs an argument", "invalid argument", "accepts ", "requires at least"} {
		if strings.HasPrefix(err.Error(), p) {
			return true
		}
	}
	return false
}

func (a *app) rootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "sluice",
		Short: "Fetch and scrape at scale: CSV of URLs in, SQLite/Postgres/JSONL/CSV out",
		Long: `sluice runs fetch-and-scrape pipelines: read URLs (CSV, lines, JSONL, sitemap,
stdin), fetch them politely (robots.txt, per-host limits, retries), extract
fields (CSS selectors or JSON paths), filter, and write the records to JSONL,
CSV, SQLite or Postgres, with every failure in a dead-letter file and a
checkpoint that lets an interrupted run resume exactly once.

Exit codes: 0 done, 1 fatal error or --max-failures exceeded,
2 usage or job-file error, 130 interrupted (resume with --resume).`,
		Example: `  sluice demo                      # offline tour against a built-in test site
  sluice run job.yaml              # run a YAML job
  sluice scrape urls.csv --field title=h1 -o out.db
  sluice validate job.yaml         # check a job file without running it
  sluice graph job.yaml            # the job's stages as a Mermaid chart
  sluice testsite                  # serve the test site the examples/ jobs use`,
		SilenceUsage:               true,
		SilenceErrors:              true,
		SuggestionsMinimumDistance: 2,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				msg := fmt.Sprintf("unknown command %q", args[0])
				if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
					msg += fmt.Sprintf("; did you mean %q?", s[0])
				}
				return usageError(errors.New(msg + " (see sluice --help)"))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			a.logLevelSet = cmd.Flags().Changed("log-level")
			if err := a.setupLog(); err != nil {
				return err
			}
			stop, err := startCPUProfile(a.cpuProf)
			if err != nil {
				return usageError(err)
			}
			if stop, err = startMemProfile(a.memProf, stop); err != nil {
				a.stopProf = stop
				return usageError(err)
			}
			a.stopProf, err = startTrace(a.traceOut, stop)
			return usageError(err)
		},
		PersistentPostRun: func(*cobra.Command, []string) { a.stopProfile() },
	}
	root.SetOut(a.Out)
	root.SetErr(a.Err)
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error { return usageError(suggestFlag(cmd, err)) })
	pf := root.PersistentFlags()
	pf.StringVar(&a.logLevel, "log-level", "warn", "log level: debug, info, warn, error; given, logs are structured (the default shows warnings as a list after the ledger)")
	pf.StringVar(&a.logFormat, "log-format", "text", "log format: text or json")
	pf.BoolVarP(&a.quiet, "quiet", "q", false, "no progress and no ledger; errors only")
	pf.StringVar(&a.cpuProf, "cpuprofile", "", "write a CPU profile to this file")
	_ = pf.MarkHidden("cpuprofile")
	pf.StringVar(&a.memProf, "memprofile", "", "write an allocations profile to this file at the end")
	_ = pf.MarkHidden("memprofile")
	pf.StringVar(&a.traceOut, "trace", "", "write an execution trace (go tool trace) to this file")
	_ = pf.MarkHidden("trace")
	root.AddCommand(a.runCmd(), a.scrapeCmd(), a.tryCmd(), a.validateCmd(), a.graphCmd(), a.demoCmd(), a.testsiteCmd())
	root.AddCommand(a.crawlCmd())
	root.AddCommand(a.workerCmd(), a.statusCmd())
	return root
}

// setupLog builds the logger from --log-level and --log-format.
func (a *app) setupLog() error {
	var level slog.Level
	if err := level.UnmarshalText([]byte(a.logLevel)); err != nil {
		return usageError(fmt.Errorf("invalid --log-level %q: want debug, info, warn or error", a.logLevel))
	}
	if a.quiet && level < slog.LevelWarn {
		level = slog.LevelWarn
	}
	opts := &slog.HandlerOptions{Level: level}
	a.logOut = &switchWriter{def: a.Err}
	switch strings.ToLower(a.logFormat) {
	case "text":
		if !a.logLevelSet {
			a.log = slog.New(&humanHandler{out: a.logOut, warns: &a.warns})
			return nil
		}
		a.log = slog.New(slog.NewTextHandler(a.logOut, opts))
	case "json":
		if !a.logLevelSet && !a.quiet {
			opts.Level = slog.LevelInfo // structured logs are for machines: run started, finished, ...
		}
		a.log = slog.New(slog.NewJSONHandler(a.logOut, opts))
	default:
		return usageError(fmt.Errorf("invalid --log-format %q: want text or json", a.logFormat))
	}
	return nil
}

// errIsTerminal reports whether standard error is a terminal wide enough
// for progress bars.
func (a *app) errIsTerminal() bool {
	f, ok := a.Err.(*os.File)
	if !ok || !(isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd())) {
		return false
	}
	return termWidth(f.Fd()) >= 40
}

// exactArgs is cobra.ExactArgs with a usage exit code.
func exactArgs(n int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		return usageError(cobra.ExactArgs(n)(cmd, args))
	}
}

// stopProfile ends a CPU profile, once.
func (a *app) stopProfile() {
	if a.stopProf != nil {
		a.stopProf()
		a.stopProf = nil
	}
}

// switchWriter writes to its default writer, or to another one while set
// (the progress bars' writer, which prints above the bars).
type switchWriter struct {
	mu  sync.Mutex
	def io.Writer
	w   io.Writer
}

func (s *switchWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.w != nil {
		return s.w.Write(p)
	}
	return s.def.Write(p)
}

// set routes writes to w; nil restores the default.
func (s *switchWriter) set(w io.Writer) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.w = w
}

// suggestFlag adds a did-you-mean to an unknown flag error.
func suggestFlag(cmd *cobra.Command, err error) error {
	name, ok := strings.CutPrefix(err.Error(), "unknown flag: --")
	if !ok {
		return err
	}
	var names []string
	cmd.Flags().VisitAll(func(f *pflag.Flag) { names = append(names, f.Name) })
	if s := job.Suggest(name, names); s != "" {
		return fmt.Errorf("%w; did you mean --%s?", err, s)
	}
	return err
}
