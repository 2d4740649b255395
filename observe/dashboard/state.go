package dashboard

import (
	"slices"
	"time"

	"github.com/sluicehq/sluice/observe"
	"github.com/sluicehq/sluice/pipeline"
	"github.com/sluicehq/sluice/stages/fetch"
)

// state is what the dashboard has gathered of one run. It is guarded by
// Dashboard.mu.
type state struct {
	job, status, err string
	startedAt        time.Time
	elapsed          time.Duration
	ledger           Ledger
	stages           []pipeline.StageStats
	queues           map[string]int
	edges            []Edge
	where            map[string]string
	dropped          int64
	rejected         int64 // inputs a sink refused at commit (Committed.Rejected)

	points   points
	fetches  fetchAgg
	failures failureAgg
}

func (s *state) reset() {
	*s = state{status: "waiting", ledger: Ledger{Total: -1, ETA: -1}}
	s.points.reset()
	s.fetches.reset()
	s.failures.reset()
}

func (s *state) started(e *observe.RunStarted) {
	s.job, s.status, s.startedAt = e.Job, "running", e.Time
	s.ledger.Total, s.ledger.Resumed = e.Total, e.Resumed
	s.where = map[string]string{"output": e.Output, "dead letters": e.DeadLetters, "checkpoint": e.Checkpoint}
	s.stages = make([]pipeline.StageStats, len(e.Graph.Stages))
	for i, g := range e.Graph.Stages {
		s.stages[i] = pipeline.StageStats{Name: g.Name, Kind: g.Kind, Workers: g.Workers}
	}
	s.edges = make([]Edge, len(e.Graph.Edges))
	for i, g := range e.Graph.Edges {
		s.edges[i] = Edge{From: g.From, To: g.To, Label: g.Label}
	}
}

// snapshot takes in the stage counters; final marks the run's last ones.
func (s *state) snapshot(elapsed time.Duration, stages []pipeline.StageStats, queues map[string]int, final bool) {
	stages = liftSources(stages, s.edges)
	s.elapsed, s.stages, s.queues = elapsed, stages, queues
	s.ledger.Inputs, s.ledger.Done, s.ledger.Failed = 0, 0, 0
	for _, st := range stages {
		switch st.Kind {
		case "source":
			s.ledger.Inputs += st.Emitted + st.Failed
		case "sink":
			s.ledger.Done += st.Out
		}
		s.ledger.Failed += st.Failed
	}
	s.ledger.Done += s.ledger.Failed
	s.ledger.Failed += s.rejected // done by the stages' counts: failed at commit
	if final || elapsed-s.points.lastAt >= pointEvery {
		s.points.add(elapsed, stages, queues, s.ledger.Done, &s.fetches.interval)
	}
	s.ledger.Rate = s.points.doneRate(10 * time.Second)
	s.ledger.ETA = -1
	if left := s.ledger.Total - int64(s.ledger.Resumed) - s.ledger.Done; s.ledger.Total >= 0 && s.ledger.Rate > 0 {
		s.ledger.ETA = float64(max(left, 0)) / s.ledger.Rate
	}
}

func (s *state) fetch(e *observe.Fetch) { s.fetches.add(e) }

func (s *state) failure(e *observe.Failure) { s.failures.add(e) }

func (s *state) finished(e *observe.RunFinished) {
	s.status, s.dropped = e.Outcome.String(), e.Dropped
	if e.Err != nil {
		s.err = e.Err.Error()
	}
	stages := e.Stages
	if stages == nil {
		stages = s.stages
	}
	s.snapshot(e.Elapsed, stages, nil, true)
	s.ledger.ETA = 0
	if e.Elapsed <= 0 {
		return
	}
	s.points.wholeRun(stages, e.Elapsed)
}

// frame builds the page's state; hosts is the fetcher's host state, if
// known.
func (s *state) frame(hosts []fetch.HostState, limits bool) Frame {
	f := Frame{Job: s.job, State: s.status, Error: s.err, Elapsed: s.elapsed.Seconds(), Ledger: s.ledger,
		Edges: s.edges, Where: s.where, Dropped: s.dropped, HostLimits: limits,
		Bottleneck: s.points.bottleneck, Why: s.points.why, Series: s.points.series(),
		Fetch: s.fetches.copyTotals(), Failures: s.failures.rows(maxRows)}
	if !s.startedAt.IsZero() {
		f.Started = s.startedAt.UnixMilli()
	}
	f.Stages = make([]StageRow, len(s.stages))
	for i, st := range s.stages {
		f.Stages[i] = StageRow{Name: st.Name, Kind: st.Kind, Workers: st.Workers, In: st.In,
			Out: max(st.Out, st.Emitted), Filtered: st.Filtered, Failed: st.Failed, InFlight: st.InFlight,
			Queue: s.queues[st.Name], Busy: s.points.busy[st.Name], Rate: s.points.rate[st.Name]}
	}
	f.Hosts, f.MoreHosts = s.fetches.hostRows(hosts, maxRows)
	return f
}

// liftSources returns stages with each source's emitted count raised to
// what its consumers have taken in: a source publishes its counters in
// batches (a whole block of a CSV file at once), so while it runs they
// lag what it has visibly sent on. The final counters are exact and
// unchanged.
func liftSources(stages []pipeline.StageStats, edges []Edge) []pipeline.StageStats {
	var out []pipeline.StageStats
	for i, st := range stages {
		if st.Kind != "source" {
			continue
		}
		var taken int64
		for _, e := range edges {
			if e.From != st.Name {
				continue
			}
			for _, c := range stages {
				if c.Name == e.To {
					taken = max(taken, c.In)
				}
			}
		}
		if taken > st.Emitted {
			if out == nil {
				out = slices.Clone(stages)
			}
			out[i].Emitted = taken
		}
	}
	if out == nil {
		return stages
	}
	return out
}

// maxRows bounds the host and failure tables sent to the page.
const maxRows = 50

// processed is how many items a stage has finished with.
func processed(st pipeline.StageStats) int64 {
	if st.Kind == "source" {
		return st.Emitted + st.Failed
	}
	return st.Out + st.Filtered + st.Failed + st.Dropped
}
