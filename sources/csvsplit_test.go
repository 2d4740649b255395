package sources

import (
	"strings"
	"testing"
)

// TestRecordCut: the splitter's reading of quotes finds the last record
// boundary in the usual cases, faults included, so that they do not make
// a parallel source fall back to reading sequentially.
func TestRecordCut(t *testing.T) {
	long := "x,\"" + strings.Repeat("a", 20) + "\ny\nz\n"
	for _, tc := range []struct {
		name, in string
		want     int
	}{
		{"plain", "a,b\nc,d\ne", 8},
		{"no newline", "a,b", 0},
		{"quoted newline", "a,\"b\nc\",d\ne", 10},
		{"open at the end", "a,b\nc,\"d\ne", 4},
		{"quoted first field", "\"a\",\"b\nc\"\nd", 10},
		{"escaped quotes", "x,\"a\"\"b\"\ny\n", 11},
		{"crlf after closing quote", "x,\"a\"\r\ny\n", 9},
		{"quote at the very end", "x\ny,\"a\"", 2},
		{"bare quote", "x,5\" screen\ny,z\n", 16},
		{"bare quote, then quoted newline", "x,5\" screen\ny,\"z\nw\"\n", 20},
		{"text after closing quote", "x,\"a\"b\ny\n", 9},
		{"rejected record's next line", "x,\"a\nb\"c\nd\n", 11},
		{"open beyond the size limit", long, len(long)},
	} {
		if got := recordCut([]byte(tc.in), ',', 10); got != tc.want {
			t.Errorf("%s: recordCut(%q) = %d, want %d", tc.name, tc.in, got, tc.want)
		}
	}
}
