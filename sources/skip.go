package sources

import (
	"context"

	"github.com/sluicehq/sluice/pipeline"
)

// skipRow records a per-item failure, unless the run is ending: then it
// returns the reason, so a source that meets nothing but bad rows still
// stops promptly.
func skipRow[T any](ctx context.Context, e *pipeline.Emitter[T], input any, err error) error {
	if ctx.Err() != nil {
		return context.Cause(ctx)
	}
	return e.Skip(input, err)
}

// skipBadRow records a malformed row of source as a per-item failure,
// with the row's raw text as the failure's input.
func skipBadRow[T any](ctx context.Context, e *pipeline.Emitter[T], source string, re *RowError) error {
	re.Source = source
	return skipRow(ctx, e, re.Raw, re)
}
