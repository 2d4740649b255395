package pipeline

import (
	"context"
	"fmt"
)

// stage is the engine's untyped view of one node of the graph. The typed
// constructors build its run function; the engine only starts it.
type stage struct {
	name   string
	kind   string
	cfg    stageConfig
	inputs []*streamInfo // streams this stage consumes
	output []*streamInfo // streams this stage produces
	stats  counters
	source bool // reads the source lane (stopped by Pipeline.Stop)
	// run starts the stage's goroutines on r, arranging for each output
	// channel to be closed by its single writer when the stage is done.
	// ctx and l are the run's, or for sources the sources' (see Stop).
	run func(ctx context.Context, l lane, r *runner)
	// closeSink, for sinks, closes the writer; called exactly once per Run
	// attempt, also when validation fails.
	closeSink func(ctx context.Context) error
}

// streamInfo is the untyped part of a Stream: who writes it, who reads it.
type streamInfo struct {
	from           *stage
	consumers      []string
	consumerStages []*stage
	label          string
	// open makes the stream's channel; Run calls it before any stage starts.
	open func()
}

func (p *Pipeline) addStage(name, kind string, cfg stageConfig, ins []*streamInfo) *stage {
	if p == nil {
		panic(fmt.Sprintf("pipeline: %s %q: nil *Pipeline", kind, name))
	}
	if name == "" {
		panic(fmt.Sprintf("pipeline: %s: stage name is required", kind))
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.started {
		panic(fmt.Sprintf("pipeline: %s %q: added after Run started", kind, name))
	}
	s := &stage{name: name, kind: kind, cfg: cfg, inputs: ins}
	for _, in := range ins {
		in.consumers = append(in.consumers, name)
		in.consumerStages = append(in.consumerStages, s)
	}
	p.stages = append(p.stages, s)
	return s
}
