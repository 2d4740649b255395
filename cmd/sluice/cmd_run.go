package main

import (
	"github.com/spf13/cobra"

	"github.com/sluicehq/sluice/job"
)

func (a *app) runCmd() *cobra.Command {
	var flags runFlags
	cmd := &cobra.Command{
		Use:   "run job.yaml",
		Short: "Run a YAML job: source → fetch → parse → filter → sink",
		Long: `Run the job described by a YAML file. Paths in the job are relative to the
job file. ${NAME} in a value is replaced by the environment variable NAME
(an unset variable is an error), so secrets such as DSNs stay out of the file.

While it runs, a bar per stage (or, when stderr is not a terminal, a status
line every --progress-interval) shows progress. At the end a ledger shows
every stage's counts and the top failure reasons. Failed inputs are in the
dead-letter file with their error. Each host's robots.txt answer is kept
beside the checkpoint (<sink path>.robots.json) and a later run keeps to
it for 24 hours instead of asking again (fetch: {fresh_robots: true} asks
every time).

The first Ctrl-C (or SIGTERM) stops reading input, finishes the work in
flight, commits and exits with 130; run again with --resume to continue
exactly where it stopped. A second Ctrl-C aborts at once (what was
committed stays committed).`,
		Example: `  sluice run job.yaml
  sluice run job.yaml --resume
  sluice run job.yaml --max-failures 5% --metrics-addr :9090
  SLUICE_PG_DSN=postgres://user@localhost/db sluice run examples/csv-to-postgres/job.yaml`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			j, err := job.Load(args[0], job.Options{Lookup: a.lookup})
			if err != nil {
				return usageError(err)
			}
			return a.execute(cmd.Context(), j, flags, "sluice run "+args[0]+" --resume")
		},
	}
	flags.register(cmd.Flags())
	return cmd
}

func (a *app) validateCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "validate job.yaml...",
		Short: "Check job files without running them",
		Long: `Decode and check job files: unknown or misspelt keys (with a suggestion),
wrong types, missing fields, unknown source or sink kinds, CSS selectors,
regular expressions, filters, ${VAR} references, and the input's CSV
header (the URL and key columns named) and that the output directories
exist and are writable. Nothing is fetched or written. Exit 0 when every
file is valid, 2 otherwise.`,
		Example: `  sluice validate job.yaml
  sluice validate examples/*/job.yaml`,
		Args: func(cmd *cobra.Command, args []string) error { return usageError(cobra.MinimumNArgs(1)(cmd, args)) },
		RunE: func(cmd *cobra.Command, args []string) error {
			var first error
			for _, path := range args {
				j, err := job.Load(path, job.Options{Lookup: a.lookup})
				if err == nil {
					err = j.Preflight(cmd.Context(), false)
				}
				if err != nil {
					if first == nil {
						first = err
					}
					if len(args) > 1 {
						a.log.Error("invalid job", "err", err)
					}
					continue
				}
				cmd.Printf("%s: ok\n", path)
			}
			if first != nil && len(args) > 1 {
				return &exitError{code: exitUsage, err: first, quiet: true}
			}
			return usageError(first)
		},
	}
}

func (a *app) graphCmd() *cobra.Command {
	var format string
	var resume bool
	cmd := &cobra.Command{
		Use:   "graph job.yaml",
		Short: "Print a job's pipeline as a Mermaid or DOT graph",
		Long:  `Print the stages of the job's pipeline, with their workers, as a Mermaid flowchart (paste it into Markdown) or a Graphviz DOT graph.`,
		Example: `  sluice graph job.yaml
  sluice graph job.yaml --format dot | dot -Tsvg > job.svg`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "mermaid" && format != "dot" {
				return usageError(errorf("invalid --format %q: want mermaid or dot", format))
			}
			j, err := job.Load(args[0], job.Options{Lookup: a.lookup})
			if err != nil {
				return usageError(err)
			}
			g, err := j.Graph(resume)
			if err != nil {
				return err
			}
			if format == "dot" {
				cmd.Print(g.DOT())
			} else {
				cmd.Print(g.Mermaid())
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "mermaid", "graph format: mermaid or dot")
	cmd.Flags().BoolVar(&resume, "resume", false, "show the graph of a resumed run (with its resume stage)")
	return cmd
}
