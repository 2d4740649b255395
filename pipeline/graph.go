package pipeline

import (
	"fmt"
	"strings"
)

// Graph describes a pipeline's stages and the streams between them, for
// documentation and tools such as `sluice graph`.
type Graph struct {
	Stages []GraphStage
	Edges  []GraphEdge
}

// GraphStage is one stage of a Graph.
type GraphStage struct {
	Name    string
	Kind    string
	Workers int
	Ordered bool
}

// GraphEdge is a stream from one stage to another. Label names the branch
// of a Broadcast ("0", "1", ...) and is empty otherwise.
type GraphEdge struct {
	From, To string
	Label    string
}

// Graph returns the pipeline's graph as built so far.
func (p *Pipeline) Graph() Graph {
	p.mu.Lock()
	defer p.mu.Unlock()
	var g Graph
	for _, s := range p.stages {
		g.Stages = append(g.Stages, GraphStage{Name: s.name, Kind: s.kind, Workers: s.cfg.workers, Ordered: s.cfg.ordered})
		for _, out := range s.output {
			for _, c := range out.consumers {
				g.Edges = append(g.Edges, GraphEdge{From: s.name, To: c, Label: out.label})
			}
		}
	}
	return g
}

func (st GraphStage) caption() string {
	c := fmt.Sprintf("%s (%s", st.Name, st.Kind)
	if st.Workers > 1 {
		c += fmt.Sprintf(", %d workers", st.Workers)
	}
	if st.Ordered {
		c += ", ordered"
	}
	return c + ")"
}

// Mermaid renders the graph as a Mermaid flowchart.
func (g Graph) Mermaid() string {
	var b strings.Builder
	b.WriteString("flowchart LR\n")
	ids := make(map[string]string, len(g.Stages))
	for i, st := range g.Stages {
		ids[st.Name] = fmt.Sprintf("s%d", i)
		fmt.Fprintf(&b, "  s%d[%q]\n", i, st.caption())
	}
	for _, e := range g.Edges {
		if e.Label != "" {
			fmt.Fprintf(&b, "  %s -->|%s| %s\n", ids[e.From], e.Label, ids[e.To])
		} else {
			fmt.Fprintf(&b, "  %s --> %s\n", ids[e.From], ids[e.To])
		}
	}
	return b.String()
}

// DOT renders the graph in Graphviz's DOT language.
func (g Graph) DOT() string {
	var b strings.Builder
	b.WriteString("digraph pipeline {\n  rankdir=LR;\n  node [shape=box];\n")
	for _, st := range g.Stages {
		fmt.Fprintf(&b, "  %q [label=%q];\n", st.Name, st.caption())
	}
	for _, e := range g.Edges {
		if e.Label != "" {
			fmt.Fprintf(&b, "  %q -> %q [label=%q];\n", e.From, e.To, e.Label)
		} else {
			fmt.Fprintf(&b, "  %q -> %q;\n", e.From, e.To)
		}
	}
	b.WriteString("}\n")
	return b.String()
}
