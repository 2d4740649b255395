package sources

import (
	"context"
	"encoding/json"
	"strconv"

	"github.com/sluicehq/sluice/pipeline"
)

// BadRow is the pipeline.Failure.Input of a row that a file source (CSV,
// lines, JSON Lines) could not turn into an item.
//
// Its Key is "line:N", N the row's line number. A dead-letter sink keys
// the failure by it (sinks.DefaultFailureKey reads a Key field), and it
// never equals the key of an item: items are keyed by their bare line
// number or by a key column's value (only a key column holding text of
// the form "line:N" could collide). Failure and item keys must differ,
// since resume records both as done.
//
// It encodes to JSON, and formats with %v, as its raw text, so a
// dead-letter file shows the exact input.
type BadRow struct {
	// Key is "line:N", the failure's dead-letter key.
	Key string
	// Line is the 1-based line the row starts on.
	Line int
	// Raw is the row as read (see [RowError].Raw).
	Raw string
}

// String returns the raw text.
func (b BadRow) String() string { return b.Raw }

// MarshalJSON encodes the raw text as a JSON string.
func (b BadRow) MarshalJSON() ([]byte, error) { return json.Marshal(b.Raw) }

// badRowKey returns the dead-letter key of a bad row at line.
func badRowKey(line int) string { return "line:" + strconv.Itoa(line) }

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
// with a [BadRow] as the failure's input.
func skipBadRow[T any](ctx context.Context, e *pipeline.Emitter[T], source string, re *RowError) error {
	re.Source = source
	return skipRow(ctx, e, BadRow{Key: badRowKey(re.Line), Line: re.Line, Raw: re.Raw}, re)
}
