package main

import (
	"time"

	"github.com/spf13/pflag"
)

// runFlags are the flags of every command that runs a job.
type runFlags struct {
	resume      bool
	restart     bool
	maxFailures string
	interval    time.Duration
	metricsAddr string
	uiAddr      string
	uiLinger    time.Duration
	memory      string
	// nats, if set, enqueues the job on this NATS server for `sluice
	// worker`s instead of running it here.
	nats string
}

func (f *runFlags) register(fs *pflag.FlagSet) {
	fs.BoolVar(&f.resume, "resume", false, "continue an interrupted run from its checkpoint (each input is written exactly once); with --nats, continue the job already in the cluster")
	fs.BoolVar(&f.restart, "restart", false, "discard the checkpoint of an earlier run and start over; with --nats, delete the job from the cluster first")
	fs.StringVar(&f.maxFailures, "max-failures", "", "fail the run (exit 1) when more inputs fail: a count (50) or a percentage (5%); overrides the job's max_failures")
	fs.DurationVar(&f.interval, "progress-interval", 2*time.Second, "time between status lines when stderr is not a terminal")
	fs.StringVar(&f.metricsAddr, "metrics-addr", "", "serve Prometheus metrics on this address (e.g. :9090) at /metrics")
	fs.StringVar(&f.uiAddr, "ui", "", "serve a live web dashboard of the run on this address: a port (8080) listens on 127.0.0.1; a host with no name (:8080) or another address is reachable from the network")
	fs.StringVar(&f.memory, "memory", "", "memory budget of the run, such as 256MiB or 2GiB (default 256MiB, or the job's memory:): the process's resident memory, kept through the Go runtime's soft memory limit (the budget less the program's own resident pages, unless GOMEMLIMIT is set); response bodies waiting to be parsed hold at most an eighth of it")
	fs.StringVar(&f.nats, "nats", "", "run distributed: enqueue the inputs on this NATS JetStream server (nats://host:4222) for `sluice worker`s, and report their progress until done")
	fs.DurationVar(&f.uiLinger, "ui-linger", 0, "with --ui, keep serving the final state this long after the run ends (Ctrl-C ends it sooner); 0 exits at once")
}
