package sinks

import (
	"encoding/json"
	"os"
	"strconv"
	"time"
	"unicode/utf8"
)

// JSONL writes items as JSON Lines: one object per line, fields in column
// order (for a record.Record: key, url, then its fields). Lines are
// buffered and written whole, so a crash never leaves half a line that a
// later Append run or a Committer resume would not cut off.
type JSONL[T any] struct {
	base[T]
}

// JSONLConfig configures a [JSONL] sink; the zero value works.
type JSONLConfig struct {
	FileConfig
}

// NewJSONL returns a JSONL sink writing to path. It opens nothing: the file
// is opened at the first Write, at Open, or by a Committer.
func NewJSONL[T any](path string, cfg JSONLConfig) (*JSONL[T], error) {
	conv, err := newConverter[T]()
	if err != nil {
		return nil, err
	}
	conv.withKeyName(cfg.KeyColumn)
	s := &JSONL[T]{}
	s.conv = conv
	s.sink = newFileSink("jsonl", path, cfg.FileConfig, jsonlEncoder{})
	return s, nil
}

type jsonlEncoder struct{}

func (jsonlEncoder) opened(*os.File, int64) error { return nil }
func (jsonlEncoder) check([]row) error            { return nil }

func (jsonlEncoder) appendRows(dst []byte, rows []row) ([]byte, error) {
	for i := range rows {
		dst = appendJSONObject(dst, &rows[i])
		dst = append(dst, '\n')
	}
	return dst, nil
}

func appendJSONObject(dst []byte, r *row) []byte {
	dst = append(dst, '{')
	for i, c := range r.cols {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendJSONString(dst, c)
		dst = append(dst, ':')
		dst = appendJSONValue(dst, r.vals[i])
	}
	return append(dst, '}')
}

// appendJSONValue encodes a normalized value (see normalize).
func appendJSONValue(dst []byte, v any) []byte {
	switch x := v.(type) {
	case nil:
		return append(dst, "null"...)
	case string:
		return appendJSONString(dst, x)
	case int64:
		return strconv.AppendInt(dst, x, 10)
	case float64:
		return strconv.AppendFloat(dst, x, 'g', -1, 64)
	case bool:
		return strconv.AppendBool(dst, x)
	case time.Time:
		dst = append(dst, '"')
		dst = x.AppendFormat(dst, time.RFC3339Nano)
		return append(dst, '"')
	case json.RawMessage:
		return append(dst, x...)
	}
	b, _ := json.Marshal(v) // unreachable for normalized values
	return append(dst, b...)
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s as a JSON string, escaping quotes,
// backslashes, control characters, U+2028 and U+2029, and replacing
// invalid UTF-8 with U+FFFD, as encoding/json does.
func appendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			dst = append(dst, s[start:i]...)
			dst = appendEscapedByte(dst, c)
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || r == '\u2028' || r == '\u2029' {
			dst = append(dst, s[start:i]...)
			if r == utf8.RuneError {
				dst = append(dst, `\ufffd`...)
			} else {
				dst = append(dst, `\u202`...)
				dst = append(dst, hexDigits[r&0xF])
			}
			start = i + size
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

func appendEscapedByte(dst []byte, c byte) []byte {
	switch c {
	case '"', '\\':
		return append(dst, '\\', c)
	case '\n':
		return append(dst, '\\', 'n')
	case '\r':
		return append(dst, '\\', 'r')
	case '\t':
		return append(dst, '\\', 't')
	}
	return append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
}
