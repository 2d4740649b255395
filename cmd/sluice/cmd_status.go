package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/spf13/cobra"

	"github.com/sluicehq/sluice/dist"
	"github.com/sluicehq/sluice/job"
)

func (a *app) statusCmd() *cobra.Command {
	var natsURL, jobName string
	var watch time.Duration
	cmd := &cobra.Command{
		Use:   "status --nats URL",
		Short: "Show a distributed job's progress: queue, workers, rates, failures, ETA",
		Args:  exactArgs(0),
		Example: `  sluice status --nats nats://127.0.0.1:4222
  sluice status --nats nats://127.0.0.1:4222 --job pages --watch 2s`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			js, closeNC, err := connectNATS(natsURL)
			if err != nil {
				return err
			}
			defer closeNC()
			for {
				st, err := dist.ReadStatus(cmd.Context(), js, jobName)
				if err != nil {
					return err
				}
				printStatus(a.Out, st)
				if watch <= 0 || st.Drained() {
					return nil
				}
				select {
				case <-cmd.Context().Done():
					return nil
				case <-time.After(watch):
				}
			}
		},
	}
	cmd.Flags().StringVar(&natsURL, "nats", "nats://127.0.0.1:4222", "NATS server URL")
	cmd.Flags().StringVar(&jobName, "job", "", "the job (default: the only job in the cluster)")
	cmd.Flags().DurationVar(&watch, "watch", 0, "print the status again at this interval until the queue is drained")
	return cmd
}

// connectNATS connects and returns a JetStream context; exit 1 within
// five seconds when NATS is unreachable.
func connectNATS(url string) (jetstream.JetStream, func(), error) {
	nc, err := dist.Connect(url, "sluice")
	if err != nil {
		return nil, nil, err
	}
	js, err := jetstream.New(nc)
	if err != nil {
		nc.Close()
		return nil, nil, err
	}
	return js, nc.Close, nil
}

func printStatus(w io.Writer, st dist.Status) {
	pace := "drained: every input enqueued and done"
	if !st.Drained() {
		eta := "unknown"
		if st.ETA > 0 {
			eta = st.ETA.Round(time.Second).String()
		}
		pace = fmt.Sprintf("%.1f inputs/s, ETA %s", st.Rate, eta)
	}
	fmt.Fprintf(w, "job %s: %d enqueued, %d done, %d queued (%d in flight), %d dead; %s\n",
		st.Job, st.Enqueued, st.Done, st.Queued, st.InFlight, st.Dead, pace)
	if c := st.Crawl; c != nil {
		fmt.Fprintf(w, "  crawl: frontier %d queued (%d in flight), %d URLs seen cluster-wide, %d pages extracted\n",
			st.Queued, st.InFlight, c.Seen, c.Stats.Pages)
	}
	fmt.Fprintf(w, "  per-host limits (cluster-wide): %d concurrent", st.Meta.PerHostConcurrency)
	if st.Meta.PerHostRate > 0 {
		fmt.Fprintf(w, ", %.1f/s", st.Meta.PerHostRate)
	}
	fmt.Fprintf(w, "; %d of %d partitions leased\n", len(st.Leases), st.Meta.Partitions)
	fmt.Fprintf(w, "  workers alive: %d\n", len(st.Workers))
	for _, ws := range st.Workers {
		fmt.Fprintf(w, "    %s: %d partitions, %d in flight, %d acked, %.1f/s, %d fetches\n", ws.Worker, len(ws.Partitions), ws.InFlight, ws.Acked, ws.Rate, ws.Fetches)
	}
	if len(st.Reasons) > 0 {
		fmt.Fprintln(w, "  failures by reason:")
		for _, r := range byCount(st.Reasons) {
			fmt.Fprintf(w, "    %6d  %s\n", st.Reasons[r], r)
		}
	}
}

// executeNATS is `sluice run/scrape --nats`: enqueue the job's inputs,
// then report the cluster's progress until the queue is drained, and the
// ledger.
func (a *app) executeNATS(ctx context.Context, j *job.Job, flags runFlags) error {
	js, closeNC, err := connectNATS(flags.nats)
	if err != nil {
		return err
	}
	defer closeNC()
	// Ctrl-C stops the coordinator, never the job: the inputs enqueued stay
	// queued and the workers go on.
	sigCtx, stopSignals := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stopSignals()
	if err := a.existingJob(sigCtx, js, j.Name, flags); err != nil {
		return err
	}
	c := &dist.Coordinator{JS: js}
	rep, err := c.Enqueue(sigCtx, j, nil)
	if err != nil {
		if sigCtx.Err() != nil && ctx.Err() == nil {
			return &exitError{code: exitInterrupted, err: fmt.Errorf("interrupted while enqueuing job %s: what was enqueued stays queued; run the same command again with --resume to enqueue the rest (no input is enqueued twice)", j.Name)}
		}
		return err
	}
	fmt.Fprintf(a.Err, "enqueued %d inputs of job %s (%d already queued earlier, %d unreadable) in %s; start workers with:\n  sluice worker --nats %s --job %s\n",
		rep.Enqueued, j.Name, rep.Duplicates, rep.Unreadable, rep.Elapsed.Round(time.Millisecond), flags.nats, j.Name)
	l, err := dist.Wait(sigCtx, js, j.Name, flags.interval, func(st dist.Status) {
		fmt.Fprintf(a.Err, "%d/%d done, %d queued, %d dead, %d workers, %.1f/s\n", st.Done, st.Enqueued, st.Queued, st.Dead, len(st.Workers), st.Rate)
	})
	if err != nil {
		if sigCtx.Err() != nil && ctx.Err() == nil {
			return &exitError{code: exitInterrupted, err: fmt.Errorf("stopped watching job %s; it goes on in the cluster: follow it with\n  sluice status --nats %s --job %s --watch 2s", j.Name, flags.nats, j.Name)}
		}
		return err
	}
	fmt.Fprintf(a.Out, "ledger: %d enqueued = %d written + %d dead + %d queued; %d unreadable; %d records, %d fetches, %s\n",
		l.Enqueued, l.Written, l.Dead, l.Queued, l.Unreadable, l.Records, l.Fetches, l.Elapsed.Round(time.Second))
	for _, r := range byCount(l.Reasons) {
		fmt.Fprintf(a.Out, "  %6d  %s\n", l.Reasons[r], strings.TrimSpace(r))
	}
	if l.Crawl != nil {
		writeCrawlStats(a.Out, &l.Crawl.Stats)
		fmt.Fprintf(a.Out, "seen-set: %d URLs cluster-wide\n", l.Crawl.Seen)
	}
	if !l.Balanced() {
		return fmt.Errorf("the ledger does not balance")
	}
	return nil
}

// existingJob applies --resume and --restart to a job already in the
// cluster, as a single-process run applies them to its checkpoint: with
// neither, a job of the same name is refused (exit 2) instead of being
// silently continued; --resume enqueues what it lacks (nothing twice);
// --restart deletes it first, unless workers are running it.
func (a *app) existingJob(ctx context.Context, js jetstream.JetStream, name string, flags runFlags) error {
	if flags.resume && flags.restart {
		return usageError(errors.New("--resume and --restart exclude each other"))
	}
	st, err := dist.ReadStatus(ctx, js, name)
	if errors.Is(err, dist.ErrNoJob) {
		return nil
	}
	if err != nil {
		return err
	}
	had := fmt.Sprintf("%d enqueued, %d done, %d queued, %d dead", st.Enqueued, st.Done, st.Queued, st.Dead)
	switch {
	case flags.resume:
		return nil
	case flags.restart:
		if len(st.Workers) > 0 {
			return fmt.Errorf("--restart: %d workers are running job %s (%s); stop them first", len(st.Workers), name, had)
		}
		if err := dist.DeleteJob(ctx, js, name); err != nil {
			return err
		}
		fmt.Fprintf(a.Err, "deleted job %s from the cluster (%s); the workers' files are left as they are\n", name, had)
		return nil
	}
	return usageError(fmt.Errorf("job %s is already in the cluster (%s): pass --resume to continue it (no input is enqueued twice), or --restart to delete it and start over", name, had))
}

// byCount lists failure reasons, the most frequent first (ties by name).
func byCount(reasons map[string]int64) []string {
	return slices.SortedFunc(maps.Keys(reasons), func(x, y string) int {
		if c := cmp.Compare(reasons[y], reasons[x]); c != 0 {
			return c
		}
		return strings.Compare(x, y)
	})
}
