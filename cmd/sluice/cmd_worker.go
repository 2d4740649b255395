package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/spf13/cobra"

	"github.com/sluicehq/sluice/dist"
	"github.com/sluicehq/sluice/job"
	"github.com/sluicehq/sluice/observe/ledger"
)

func (a *app) workerCmd() *cobra.Command {
	var natsURL, jobName, dir, memory string
	var exitWhenDone, wait bool
	var maxDeliver int
	cmd := &cobra.Command{
		Use:   "worker --nats URL",
		Short: "Run a distributed job's inputs from a NATS JetStream queue",
		Long: `Take inputs of a job enqueued with 'sluice run job.yaml --nats URL' and run
fetch → parse → filter → sink on them. An input is acked only after the
sink transaction holding its records has committed, so a worker killed at
any moment loses nothing: NATS redelivers what it held. Hosts are spread
over partitions, and one worker at a time holds a partition, so per-host
limits hold across the whole cluster.

The first Ctrl-C (or SIGTERM) takes no more input, commits and acks the
work in flight, then exits. Postgres sinks write in upsert mode; a file
sink is written per worker (its name gets the worker's ID).

A worker started before its job is enqueued waits for it, so a fleet can
come up before the coordinator; --wait=false fails at once instead.`,
		Example: `  sluice worker --nats nats://127.0.0.1:4222
  sluice worker --nats nats://10.0.0.5:4222 --job pages --dir /var/lib/sluice`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if memory != "" {
				if _, err := job.ParseMemory(memory); err != nil {
					return usageError(fmt.Errorf("--memory: %s", strings.TrimPrefix(err.Error(), "job: ")))
				}
			}
			// Signals are caught from the start: an interrupt while the
			// worker connects stops it like one while it works.
			ctx, cancel := signal.NotifyContext(cmd.Context(), syscall.SIGTERM, os.Interrupt)
			defer cancel()
			nc, err := dist.Connect(natsURL, "sluice worker")
			if err != nil {
				return err
			}
			defer nc.Close()
			js, err := jetstream.New(nc)
			if err != nil {
				return err
			}
			stop := make(chan struct{})
			ran := make(chan struct{})
			defer close(ran)
			go func() {
				select {
				case <-ctx.Done():
					a.log.Warn("stopping: taking no more input, committing and acking the work in flight")
					close(stop)
				case <-ran:
				}
			}()
			var budget int64
			w := &dist.Worker{JS: js, Job: jobName, Dir: dir, Lookup: a.lookup, ExitWhenDone: exitWhenDone, MaxDeliver: maxDeliver,
				WaitForJob: wait, OnWait: func(reason error) {
					fmt.Fprintf(a.Err, "worker: waiting for a job on %s (%s); Ctrl-C to stop\n", natsURL, strings.TrimPrefix(reason.Error(), "dist: no job to work on: "))
				}, Configure: func(j *job.Job) error {
					if memory != "" {
						j.Memory = memory
					}
					budget = j.MemoryBytes()
					a.limitMemory(j)
					return nil
				}}
			st, err := w.Run(context.WithoutCancel(cmd.Context()), stop)
			fmt.Fprintf(a.Err, "worker %s: %d inputs acked (%d written, %d failed), %d fetches", st.Worker, st.Acked, st.Written, st.Failed, st.Fetches)
			if peak, ok := residentPeak(); ok && budget > 0 {
				fmt.Fprintf(a.Err, "; peak memory %s", ledger.MemoryAgainst(peak, budget))
			}
			fmt.Fprintln(a.Err)
			return err
		},
	}
	cmd.Flags().StringVar(&natsURL, "nats", "nats://127.0.0.1:4222", "NATS server URL")
	cmd.Flags().StringVar(&jobName, "job", "", "the job to work on (default: the only job in the cluster)")
	cmd.Flags().StringVar(&dir, "dir", ".", "directory for the worker's own files (dead letters, checkpoint, file sink output)")
	cmd.Flags().BoolVar(&exitWhenDone, "exit-when-done", false, "exit once every input is enqueued and acked")
	cmd.Flags().BoolVar(&wait, "wait", true, "wait for a coordinator to enqueue the job if the cluster has none yet (--wait=false: fail at once)")
	cmd.Flags().IntVar(&maxDeliver, "max-deliver", dist.DefaultMaxDeliver, "dead-letter an input handed out more than this many times")
	cmd.Flags().StringVar(&memory, "memory", "", "this worker's memory budget, such as 256MiB or 2GiB, in place of the job's memory: (as sluice run --memory: the process's resident memory; bodies waiting to be parsed hold at most an eighth of it)")
	return cmd
}
