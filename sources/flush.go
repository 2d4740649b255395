package sources

import (
	"io"

	"github.com/sluicehq/sluice/pipeline"
)

// flushReader sends what the emitter holds before every Read of the
// underlying reader. A buffered reader calls Read only when its buffer is
// empty, which is when the source may wait for input (a pipe, a terminal);
// the items read so far must not wait with it.
type flushReader[T any] struct {
	r io.Reader
	e *pipeline.Emitter[T]
}

func (f flushReader[T]) Read(p []byte) (int, error) {
	if err := f.e.Flush(); err != nil {
		return 0, err
	}
	return f.r.Read(p)
}
