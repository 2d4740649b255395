package sources

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// Open opens an input file for reading: "-" means standard input (which
// the returned Close leaves open), and a name ending in ".gz" is
// decompressed. Errors name the path.
//
// A source reading standard input cannot interrupt a read that is waiting
// for input; when the run is cancelled it stops at the next line, so Run
// returns once more input arrives or standard input is closed.
func Open(path string) (io.ReadCloser, error) {
	if path == "-" {
		return io.NopCloser(os.Stdin), nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("sources: open input: %w", err)
	}
	if !strings.HasSuffix(path, ".gz") {
		return f, nil
	}
	zr, err := gzip.NewReader(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("sources: open input %s: %w", path, err)
	}
	return &gzipFile{Reader: zr, f: f}, nil
}

type gzipFile struct {
	*gzip.Reader
	f *os.File
}

func (g *gzipFile) Close() error {
	return errors.Join(g.Reader.Close(), g.f.Close())
}

// withFile opens path, runs read on it and closes it on every path,
// returning read's error, or else the close error.
func withFile(path string, read func(r io.Reader) error) (err error) {
	rc, err := Open(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := rc.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("sources: close %s: %w", path, cerr)
		}
	}()
	return read(rc)
}

// CountLines counts the newline-terminated lines in the file at path (plus
// a last line without a newline), reading it in 64 KiB blocks. It is meant
// for progress estimates: a CSV row with a quoted newline counts twice, and
// a ".gz" file is counted after decompression. Standard input ("-")
// cannot be counted without consuming it, so it is an error.
func CountLines(path string) (int64, error) {
	if path == "-" {
		return 0, errors.New("sources: count lines: standard input cannot be counted in advance")
	}
	var n int64
	err := withFile(path, func(r io.Reader) error {
		buf := make([]byte, 64<<10)
		var last byte = '\n'
		for {
			k, err := r.Read(buf)
			if k > 0 {
				n += int64(bytes.Count(buf[:k], []byte{'\n'}))
				last = buf[k-1]
			}
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return fmt.Errorf("sources: count lines of %s: %w", path, err)
			}
		}
		if last != '\n' {
			n++
		}
		return nil
	})
	return n, err
}
