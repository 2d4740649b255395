package sinks

import (
	"context"
	"errors"
	"fmt"
	"io"
)

// NewJSONLWriter returns a JSONL sink writing to w (standard output, a
// pipe, a network stream) instead of a file. Lines are buffered and
// written whole; Flush and Close write them out (Close does not close w).
// It is for plain use only: a Committer refuses it, since w cannot be cut
// back to a committed offset after a crash.
func NewJSONLWriter[T any](w io.Writer, cfg JSONLConfig) (*JSONL[T], error) {
	conv, err := newConverter[T]()
	if err != nil {
		return nil, err
	}
	s := &JSONL[T]{}
	s.conv = conv
	s.sink = newStreamSink("jsonl", w, cfg.BufferSize, jsonlEncoder{})
	return s, nil
}

// NewCSVWriter returns a CSV sink writing to w; see NewJSONLWriter.
// cfg.FileConfig is ignored except for BufferSize.
func NewCSVWriter[T any](w io.Writer, cfg CSVConfig) (*CSV[T], error) {
	s, err := NewCSV[T]("", cfg)
	if err != nil {
		return nil, err
	}
	enc := s.sink.(*fileSink).enc
	s.sink = newStreamSink("csv", w, cfg.BufferSize, enc)
	return s, nil
}

// streamSink is a file sink over an io.Writer: no offsets, no fsync.
type streamSink struct {
	kind string
	w    io.Writer
	size int
	enc  lineEncoder
	buf  []byte
}

func newStreamSink(kind string, w io.Writer, size int, enc lineEncoder) *streamSink {
	if size <= 0 {
		size = 64 << 10
	}
	return &streamSink{kind: kind, w: w, size: size, enc: enc}
}

// errStream is returned when a stream sink is given to a Committer.
var errStream = errors.New("sinks: committer: a sink writing to an io.Writer cannot be resumed; use a file")

func (s *streamSink) id() string                             { return fmt.Sprintf("%s:writer:%p", s.kind, s) }
func (s *streamSink) isFile() bool                           { return false }
func (s *streamSink) setDriven()                             {}
func (s *streamSink) open(context.Context, int64) error      { return s.enc.opened(nil, 0) }
func (s *streamSink) check(rows []row) error                 { return s.enc.check(rows) }
func (s *streamSink) commit(context.Context) error           { return nil }
func (s *streamSink) close() error                           { return nil }
func (s *streamSink) prepare(context.Context) (int64, error) { return -1, s.writeOut() }

func (s *streamSink) put(_ context.Context, rows []row, _ []string) error {
	if len(rows) == 0 {
		return nil
	}
	n := len(s.buf)
	buf, err := s.enc.appendRows(s.buf, rows)
	if err != nil {
		s.buf = s.buf[:n]
		return err
	}
	s.buf = buf
	if len(s.buf) >= s.size {
		return s.writeOut()
	}
	return nil
}

func (s *streamSink) writeOut() error {
	if len(s.buf) == 0 {
		return nil
	}
	_, err := s.w.Write(s.buf)
	s.buf = s.buf[:0]
	if err != nil {
		return fmt.Errorf("sinks: %s: %w", s.kind, err)
	}
	return nil
}
