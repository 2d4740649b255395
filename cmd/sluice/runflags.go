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
}

func (f *runFlags) register(fs *pflag.FlagSet) {
	fs.BoolVar(&f.resume, "resume", false, "continue an interrupted run from its checkpoint (each input is written exactly once)")
	fs.BoolVar(&f.restart, "restart", false, "discard the checkpoint of an earlier run and start over")
	fs.StringVar(&f.maxFailures, "max-failures", "", "fail the run (exit 1) when more inputs fail: a count (50) or a percentage (5%); overrides the job's max_failures")
	fs.DurationVar(&f.interval, "progress-interval", 2*time.Second, "time between status lines when stderr is not a terminal")
	fs.StringVar(&f.metricsAddr, "metrics-addr", "", "serve Prometheus metrics on this address (e.g. :9090) at /metrics")
}
