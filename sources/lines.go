package sources

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/sluicehq/sluice/pipeline"
)

// LinesConfig configures a Lines source. The zero value works.
type LinesConfig struct {
	// AllowFileURLs accepts file: URLs, which are rejected by default.
	AllowFileURLs bool
	// MaxLineBytes caps one line. Zero means DefaultMaxRowBytes.
	MaxLineBytes int
	// Encoding names the input's encoding, as [CSVConfig].Encoding does;
	// empty detects it (a byte order mark, else UTF-8, else Windows-1252).
	Encoding string
}

// Lines adds a source stage that reads one URL per line from r, in any
// encoding CSV detects (see [CSVConfig].Encoding). White space around a
// URL is dropped; blank lines and lines starting with '#' are skipped. Each item's Key is its line number. An invalid URL or an
// over-long line is a per-item failure; a read error is fatal.
func Lines(p *pipeline.Pipeline, name string, r io.Reader, cfg LinesConfig, opts ...pipeline.StageOption) pipeline.Stream[Item] {
	return readerSource(p, name, r, cfg, readLines, opts)
}

// LinesFile is Lines reading the file at path, opened when the pipeline
// runs and closed when the source ends ("-" is standard input, ".gz" is
// decompressed; see [Open]).
func LinesFile(p *pipeline.Pipeline, name, path string, cfg LinesConfig, opts ...pipeline.StageOption) pipeline.Stream[Item] {
	return fileSource(p, name, path, cfg, readLines, opts)
}

func readLines(ctx context.Context, r io.Reader, source string, cfg LinesConfig, e *pipeline.Emitter[Item]) error {
	in, err := openText(r, cfg.Encoding)
	if err != nil {
		if source == "" {
			source = "input"
		}
		return fmt.Errorf("sources: lines %s: encoding: %w", source, unprefixed{err})
	}
	return eachLine(ctx, in.r, source, cfg.MaxLineBytes, e, func(l physLine) error {
		text := bytes.TrimSpace(l.text)
		if len(text) == 0 || text[0] == '#' {
			return nil
		}
		raw := string(text)
		u, err := ValidateURL(raw, cfg.AllowFileURLs)
		if err != nil {
			return skipBadRow(ctx, e, source, &RowError{Line: l.num(), Raw: raw, Err: err})
		}
		return e.Emit(Item{Key: strconv.Itoa(l.num()), URL: u, Line: l.num()})
	})
}

// eachLine calls fn for every line of r that fits the size limit and
// reports longer ones as per-item failures on e. Blank lines are fn's
// business. What e holds is flushed before every read of r (see
// flushReader).
func eachLine[T any](ctx context.Context, r io.Reader, source string, max int, e *pipeline.Emitter[T], fn func(physLine) error) error {
	lr := newLineReader(flushReader[T]{r: r, e: e}, max)
	for {
		l, err := lr.next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			if source == "" {
				source = "input"
			}
			return fmt.Errorf("sources: read %s: %w", source, err)
		}
		if l.tooLong() {
			err = skipBadRow(ctx, e, source, rowErr(l, fmt.Errorf("%w: line over %d bytes", ErrRowTooLong, lr.max)))
		} else {
			err = fn(l)
		}
		if err != nil {
			return err
		}
	}
}
