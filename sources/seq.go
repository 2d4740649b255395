package sources

import (
	"context"
	"fmt"
	"iter"
	"slices"

	"github.com/sluicehq/sluice/pipeline"
)

// URLs adds a source stage that emits an Item for each valid http or https
// URL in urls, keyed by the URL, with Line set to its 1-based position. An
// invalid URL is a per-item failure.
func URLs(p *pipeline.Pipeline, name string, urls []string, opts ...pipeline.StageOption) pipeline.Stream[Item] {
	return URLSeq(p, name, slices.Values(urls), opts...)
}

// URLSeq is URLs over an iterator, which is consumed when the pipeline
// runs.
func URLSeq(p *pipeline.Pipeline, name string, seq iter.Seq[string], opts ...pipeline.StageOption) pipeline.Stream[Item] {
	if seq == nil {
		panic(fmt.Sprintf("sources: URLSeq %q: nil iter.Seq", name))
	}
	return pipeline.Source(p, name, func(ctx context.Context, e *pipeline.Emitter[Item]) error {
		n := 0
		for raw := range seq {
			n++
			u, err := ValidateURL(raw, false)
			if err != nil {
				err = skipRow(ctx, e, raw, &RowError{Line: n, Raw: raw, Err: err})
			} else {
				err = e.Emit(Item{Key: u, URL: u, Line: n})
			}
			if err != nil {
				return err
			}
		}
		return nil
	}, opts...)
}
