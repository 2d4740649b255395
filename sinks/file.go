package sinks

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
)

// FileConfig holds the settings every file sink shares. The zero value
// truncates the file at open, buffers 64 KiB and creates it with mode 0644.
type FileConfig struct {
	// KeyColumn names the column of a record's key; default "key". (A
	// struct's key column is its key field's.)
	KeyColumn string
	// Append keeps what the file holds and writes after it. A torn last
	// line (from a crash of a run without a Committer) is cut off first.
	Append bool
	// BufferSize is how many bytes are buffered before a write(2);
	// default 64 KiB. Only whole lines are ever written.
	BufferSize int
	// Perm is the mode of a newly created file; default 0644.
	Perm os.FileMode
}

// fileSink is the core the file sinks share: whole-line buffering, the
// byte offset of what was written, fsync on commit and truncation back to
// a committed offset on resume. The format is the enc's business.
type fileSink struct {
	kind string
	path string
	cfg  FileConfig
	enc  lineEncoder
	f    *os.File
	buf  []byte
	off  int64 // bytes written to f so far
	mark int64 // off at the last commit (or open): see rewind
}

// lineEncoder formats rows as lines for one file format.
type lineEncoder interface {
	// opened is called with the file once open; existing is how many
	// bytes it already holds (a CSV reads its header back).
	opened(f *os.File, existing int64) error
	check(rows []row) error
	// appendRows appends the rows as whole lines to dst.
	appendRows(dst []byte, rows []row) ([]byte, error)
}

func newFileSink(kind, path string, cfg FileConfig, enc lineEncoder) *fileSink {
	if cfg.BufferSize <= 0 {
		cfg.BufferSize = 64 << 10
	}
	if cfg.Perm == 0 {
		cfg.Perm = 0o644
	}
	return &fileSink{kind: kind, path: path, cfg: cfg, enc: enc}
}

func (s *fileSink) id() string   { return s.kind + ":" + s.path }
func (s *fileSink) isFile() bool { return true }
func (s *fileSink) setDriven()   {}

func (s *fileSink) open(_ context.Context, at int64) error {
	flag := os.O_RDWR | os.O_CREATE
	if at < 0 && !s.cfg.Append {
		flag |= os.O_TRUNC
	}
	f, err := os.OpenFile(s.path, flag, s.cfg.Perm)
	if err != nil {
		return fmt.Errorf("sinks: %s: %w", s.kind, err)
	}
	size, err := s.cutTo(f, at)
	if err == nil {
		_, err = f.Seek(size, io.SeekStart)
	}
	if err == nil {
		err = s.enc.opened(f, size)
	}
	if err != nil {
		f.Close()
		return fmt.Errorf("sinks: %s %s: %w", s.kind, s.path, err)
	}
	s.f, s.off, s.mark = f, size, size
	return nil
}

// cutTo truncates f to the committed offset at, or, for at < 0, cuts a
// torn last line off. It returns the resulting size.
func (s *fileSink) cutTo(f *os.File, at int64) (int64, error) {
	st, err := f.Stat()
	if err != nil {
		return 0, err
	}
	size := st.Size()
	if at >= 0 {
		if size < at {
			return 0, fmt.Errorf("holds %d bytes, less than its committed offset %d", size, at)
		}
		return at, f.Truncate(at)
	}
	end, err := lastLineEnd(f, size)
	if err != nil || end == size {
		return size, err
	}
	return end, f.Truncate(end)
}

// lastLineEnd returns the offset just after the last '\n' in f's first
// size bytes (0 when there is none).
func lastLineEnd(f *os.File, size int64) (int64, error) {
	buf := make([]byte, 4096)
	for end := size; end > 0; {
		start := max(0, end-int64(len(buf)))
		n, err := f.ReadAt(buf[:end-start], start)
		if err != nil && !errors.Is(err, io.EOF) {
			return 0, err
		}
		if i := bytes.LastIndexByte(buf[:n], '\n'); i >= 0 {
			return start + int64(i) + 1, nil
		}
		end = start
	}
	return 0, nil
}

func (s *fileSink) check(rows []row) error { return s.enc.check(rows) }

func (s *fileSink) put(_ context.Context, rows []row, _ []string) error {
	if len(rows) == 0 {
		return nil
	}
	n := len(s.buf)
	buf, err := s.enc.appendRows(s.buf, rows)
	if err != nil {
		s.buf = s.buf[:n] // all or nothing
		return err
	}
	s.buf = buf
	if len(s.buf) >= s.cfg.BufferSize {
		return s.writeOut()
	}
	return nil
}

// writeOut writes the buffered whole lines to the file.
func (s *fileSink) writeOut() error {
	if len(s.buf) == 0 {
		return nil
	}
	n, err := s.f.Write(s.buf)
	s.off += int64(n)
	s.buf = s.buf[:0]
	if err != nil {
		return fmt.Errorf("sinks: %s %s: %w", s.kind, s.path, err)
	}
	return nil
}

func (s *fileSink) prepare(context.Context) (int64, error) {
	if err := s.writeOut(); err != nil {
		return 0, err
	}
	if err := s.f.Sync(); err != nil {
		return 0, fmt.Errorf("sinks: %s %s: fsync: %w", s.kind, s.path, err)
	}
	return s.off, nil
}

func (s *fileSink) commit(context.Context) error {
	s.mark = s.off
	return nil
}

func (s *fileSink) close() error {
	if s.f == nil {
		return nil
	}
	err := s.f.Close()
	s.f = nil
	return err
}
