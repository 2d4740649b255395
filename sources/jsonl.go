package sources

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/sluicehq/sluice/pipeline"
)

// JSONLConfig configures a JSONL source. The zero value works.
type JSONLConfig struct {
	// MaxLineBytes caps one line. Zero means DefaultMaxRowBytes.
	MaxLineBytes int
}

// JSONL adds a source stage that decodes each line of r (JSON Lines) into
// a T with encoding/json. Blank lines are skipped. A line that does not
// decode is a per-item failure wrapping [ErrBadJSON] and the decoder's
// error, with its line number; a read error is fatal.
func JSONL[T any](p *pipeline.Pipeline, name string, r io.Reader, cfg JSONLConfig, opts ...pipeline.StageOption) pipeline.Stream[T] {
	return readerSource(p, name, r, cfg, readJSONL[T], opts)
}

// JSONLFile is JSONL reading the file at path, opened when the pipeline
// runs and closed when the source ends ("-" is standard input, ".gz" is
// decompressed; see [Open]).
func JSONLFile[T any](p *pipeline.Pipeline, name, path string, cfg JSONLConfig, opts ...pipeline.StageOption) pipeline.Stream[T] {
	return fileSource(p, name, path, cfg, readJSONL[T], opts)
}

func readJSONL[T any](ctx context.Context, r io.Reader, source string, cfg JSONLConfig, e *pipeline.Emitter[T]) error {
	return eachLine(ctx, r, source, cfg.MaxLineBytes, e, func(l physLine) error {
		if isBlank(l.text) {
			return nil
		}
		var v T
		if err := json.Unmarshal(l.text, &v); err != nil {
			return skipBadRow(ctx, e, source, rowErr(l, fmt.Errorf("%w: %w", ErrBadJSON, err)))
		}
		return e.Emit(v)
	})
}
