package sources

import (
	"context"
	"io"

	"github.com/sluicehq/sluice/pipeline"
)

// readFunc reads one input and emits its items. source names the input in
// errors: the path, or "" for a reader passed in by the caller.
type readFunc[C, T any] func(ctx context.Context, r io.Reader, source string, cfg C, e *pipeline.Emitter[T]) error

// readerSource adds a source stage that runs read on r.
func readerSource[C, T any](p *pipeline.Pipeline, name string, r io.Reader, cfg C, read readFunc[C, T], opts []pipeline.StageOption) pipeline.Stream[T] {
	return pipeline.Source(p, name, func(ctx context.Context, e *pipeline.Emitter[T]) error {
		return read(ctx, r, "", cfg, e)
	}, opts...)
}

// fileSource adds a source stage that opens the file at path when the
// pipeline runs (see [Open]), runs read on it and closes it when the
// source ends.
func fileSource[C, T any](p *pipeline.Pipeline, name, path string, cfg C, read readFunc[C, T], opts []pipeline.StageOption) pipeline.Stream[T] {
	return pipeline.Source(p, name, func(ctx context.Context, e *pipeline.Emitter[T]) error {
		return withFile(path, func(r io.Reader) error { return read(ctx, r, path, cfg, e) })
	}, opts...)
}
