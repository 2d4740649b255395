package pipeline

import "fmt"

// StageOption configures one stage. The zero set of options gives one
// worker, a channel buffer of [DefaultBuffer] behind the stage, and no
// ordering guarantee beyond what one worker gives naturally.
type StageOption func(*stageConfig)

// DefaultBuffer is the capacity of the channel behind a stage when no
// [Buffer] option is given.
const DefaultBuffer = 64

type stageConfig struct {
	workers    int
	buffer     int
	ordered    bool
	setWorkers bool
	setOrdered bool
	inner      bool
}

func newStageConfig(name string, opts []StageOption) stageConfig {
	c := stageConfig{workers: 1, buffer: DefaultBuffer}
	for _, o := range opts {
		if o == nil {
			panic(fmt.Sprintf("pipeline: stage %q: nil StageOption", name))
		}
		o(&c)
	}
	return c
}

// Workers runs the stage with n long-lived worker goroutines that share its
// input. n must be at least 1; Workers(0) panics. Stages that move items
// without user code (Batch, Merge, Broadcast) and sources accept only
// Workers(1).
func Workers(n int) StageOption {
	if n < 1 {
		panic(fmt.Sprintf("pipeline: Workers(%d): need at least 1", n))
	}
	return func(c *stageConfig) { c.workers, c.setWorkers = n, true }
}

// Buffer sets the capacity of the channel the stage writes to, in chunks:
// items travel in chunks of up to 64 when the next stage has one worker and
// is behind, else one by one (see the package doc). n must be 0
// (unbuffered) or more; Buffer(-1) panics. Buffers smooth bursts; they do
// not fix leaks or deadlocks.
func Buffer(n int) StageOption {
	if n < 0 {
		panic(fmt.Sprintf("pipeline: Buffer(%d): need 0 or more", n))
	}
	return func(c *stageConfig) { c.buffer = n }
}

// Ordered makes a Map, FlatMap or Filter stage emit its outputs in input
// order even with several workers.
//
// Cost: two extra goroutines (a dispatcher and a collector), one small
// allocation and one extra channel hop per item, and head-of-line blocking:
// a slow item holds back the up to workers+buffer items that finished after
// it, so throughput follows the slowest item in each window. A FlatMap's
// outputs for an item are held in memory until the item's turn comes.
func Ordered() StageOption {
	return func(c *stageConfig) { c.ordered, c.setOrdered = true, true }
}

// noWorkers panics when a stage that has no user workers got Workers(n>1)
// or Ordered.
func (c stageConfig) noWorkers(kind, name string) {
	if c.setWorkers && c.workers != 1 {
		panic(fmt.Sprintf("pipeline: %s %q: Workers(%d) is not supported; it runs one goroutine", kind, name, c.workers))
	}
	if c.setOrdered {
		panic(fmt.Sprintf("pipeline: %s %q: Ordered is not supported", kind, name))
	}
}

// Inner marks a [Source] as fed by stages of the same pipeline (through an
// outside processor, such as a go-streams flow), not by outside input:
// [Pipeline.Stop] does not end it; it ends when what feeds it ends, so the
// items already read drain through it.
func Inner() StageOption {
	return func(c *stageConfig) { c.inner = true }
}
