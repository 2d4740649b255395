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

// skipper is skipRow as a function value.
func skipper[T any](ctx context.Context, e *pipeline.Emitter[T]) func(any, error) error {
	return func(input any, err error) error { return skipRow(ctx, e, input, err) }
}
