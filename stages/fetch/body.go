package fetch

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/flate"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zlib"
	"github.com/klauspost/compress/zstd"
)

// readBody reads resp's body within the size limits, into a buffer from
// the fetcher's pool, and undoes its Content-Encoding. Errors from the
// connection come back as they are (they are worth a retry); size and
// decoding errors are typed.
func (f *Fetcher) readBody(resp *http.Response) (*[]byte, error) {
	limit := f.cfg.MaxBodySize
	if resp.ContentLength > limit {
		return nil, fmt.Errorf("%w: Content-Length %d > %d", ErrBodyTooLarge, resp.ContentLength, limit)
	}
	enc := strings.ToLower(strings.TrimSpace(resp.Header.Get("Content-Encoding")))
	if enc == "" || enc == "identity" {
		body, err := readLimited(resp.Body, limit, resp.ContentLength, &f.bodies)
		if errors.Is(err, ErrBodyTooLarge) {
			return nil, fmt.Errorf("%w: more than %d bytes", ErrBodyTooLarge, limit)
		}
		return body, err
	}
	wire := &limitedReader{r: resp.Body, left: limit}
	body, err := decode(enc, wire, f.cfg.MaxDecodedSize, &f.gzipPool, &f.bodies)
	if err != nil && body != nil {
		f.bodies.put(body)
		body = nil
	}
	switch {
	case wire.over:
		return nil, fmt.Errorf("%w: more than %d bytes on the wire", ErrBodyTooLarge, limit)
	case wire.err != nil && wire.err != io.EOF:
		return nil, wire.err
	case errors.Is(err, ErrBodyTooLarge), errors.Is(err, zstd.ErrWindowSizeExceeded), errors.Is(err, zstd.ErrDecoderSizeExceeded):
		return nil, fmt.Errorf("%w: more than %d bytes after %s decoding", ErrBodyTooLarge, f.cfg.MaxDecodedSize, enc)
	case err != nil && !errors.Is(err, ErrContentEncoding):
		return nil, fmt.Errorf("%w: %s: %w", ErrContentEncoding, enc, err)
	}
	return body, err
}

// decode reads r through the decoder for enc, up to limit bytes out.
func decode(enc string, r io.Reader, limit int64, gzipPool *sync.Pool, bodies *bodyPool) (*[]byte, error) {
	switch enc {
	case "gzip", "x-gzip":
		return gunzip(r, limit, gzipPool, bodies)
	case "deflate":
		return inflate(r, limit, bodies)
	case "br":
		return readLimited(brotli.NewReader(r), limit, -1, bodies)
	case "zstd":
		return unzstd(r, limit, bodies)
	}
	return nil, fmt.Errorf("%w: %q not supported", ErrContentEncoding, enc)
}

func gunzip(r io.Reader, limit int64, pool *sync.Pool, bodies *bodyPool) (*[]byte, error) {
	zr, _ := pool.Get().(*gzip.Reader)
	if zr == nil {
		zr = new(gzip.Reader)
	}
	defer pool.Put(zr)
	if err := zr.Reset(r); err != nil {
		return nil, err
	}
	return readLimited(zr, limit, -1, bodies)
}

// inflate handles "deflate", which should be zlib-wrapped but is raw
// DEFLATE from some servers.
func inflate(r io.Reader, limit int64, bodies *bodyPool) (*[]byte, error) {
	var head [2]byte
	n, err := io.ReadFull(r, head[:])
	if err != nil {
		return nil, err
	}
	r = io.MultiReader(bytes.NewReader(head[:n]), r)
	if head[0]&0x0f == 8 && (uint16(head[0])<<8|uint16(head[1]))%31 == 0 {
		zr, err := zlib.NewReader(r)
		if err != nil {
			return nil, err
		}
		defer zr.Close()
		return readLimited(zr, limit, -1, bodies)
	}
	fr := flate.NewReader(r)
	defer fr.Close()
	return readLimited(fr, limit, -1, bodies)
}

func unzstd(r io.Reader, limit int64, bodies *bodyPool) (*[]byte, error) {
	zr, err := zstd.NewReader(r, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxMemory(uint64(limit)+1))
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	return readLimited(zr, limit, -1, bodies)
}

// readLimited reads all of r into a buffer from pool, failing with
// ErrBodyTooLarge past limit bytes. sizeHint (the Content-Length, or -1)
// sizes the buffer. On error the buffer goes back to the pool.
func readLimited(r io.Reader, limit, sizeHint int64, pool *bodyPool) (*[]byte, error) {
	if sizeHint >= 0 && sizeHint <= limit {
		buf := pool.get(int(sizeHint))
		*buf = (*buf)[:sizeHint]
		if _, err := io.ReadFull(r, *buf); err != nil {
			pool.put(buf)
			return nil, err
		}
		return buf, nil
	}
	buf := pool.get(int(min(limit+1, 32<<10)))
	for {
		if len(*buf) == cap(*buf) {
			bigger := pool.get(2 * cap(*buf))
			*bigger = append(*bigger, *buf...)
			pool.put(buf)
			buf = bigger
		}
		b := *buf
		n, err := r.Read(b[len(b):cap(b)])
		*buf = b[:len(b)+n]
		if int64(len(*buf)) > limit {
			pool.put(buf)
			return nil, ErrBodyTooLarge
		}
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			pool.put(buf)
			return nil, err
		}
	}
}

// errOverLimit ends a limitedReader that had more to give.
var errOverLimit = errors.New("fetch: wire limit reached")

// limitedReader reads at most left bytes; it notes whether r had more,
// and the first error r returned.
type limitedReader struct {
	r    io.Reader
	left int64
	over bool
	err  error
}

func (l *limitedReader) Read(p []byte) (int, error) {
	if l.left <= 0 {
		var one [1]byte
		if n, _ := l.r.Read(one[:]); n > 0 {
			l.over = true
			return 0, errOverLimit
		}
		return 0, io.EOF
	}
	p = p[:min(int64(len(p)), l.left)]
	n, err := l.r.Read(p)
	l.left -= int64(n)
	if err != nil && l.err == nil {
		l.err = err
	}
	return n, err
}
