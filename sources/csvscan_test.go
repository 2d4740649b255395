package sources

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"
)

// scanAll scans every record of in and renders each outcome as
// "L<line>:[f1|f2]" or "L<line>:!<sentinel>:<raw>".
func scanAll(t *testing.T, in string, comma byte, max int) []string {
	t.Helper()
	s := newCSVScanner(strings.NewReader(in), comma, max)
	var out []string
	for {
		fields, line, err := s.scan()
		if errors.Is(err, io.EOF) {
			return out
		}
		if re, ok := asRowError(err); ok {
			out = append(out, fmt.Sprintf("L%d:!%s:%s", re.Line, sentinelName(re.Err), re.Raw))
			continue
		}
		if err != nil {
			t.Fatalf("scan: %v", err)
		}
		out = append(out, fmt.Sprintf("L%d:[%s]", line, strings.Join(fields, "|")))
	}
}

func sentinelName(err error) string {
	for _, s := range []struct {
		name string
		err  error
	}{
		{"bare", ErrBareQuote}, {"quote", ErrQuote}, {"unterminated", ErrUnterminatedQuote},
		{"toolong", ErrRowTooLong}, {"count", ErrFieldCount}, {"url", ErrInvalidURL},
	} {
		if errors.Is(err, s.err) {
			return s.name
		}
	}
	return "other:" + err.Error()
}

func TestCSVScanner(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		comma byte
		max   int
		want  []string
	}{
		{"simple", "a,b\nc,d\n", ',', 0, []string{"L1:[a|b]", "L2:[c|d]"}},
		{"no final newline", "a,b\nc,d", ',', 0, []string{"L1:[a|b]", "L2:[c|d]"}},
		{"crlf", "a,b\r\nc,d\r\n", ',', 0, []string{"L1:[a|b]", "L2:[c|d]"}},
		{"bom", "\uFEFFurl,x\nu,1\n", ',', 0, []string{"L1:[url|x]", "L2:[u|1]"}},
		{"blank lines", "\n  \n\ta,b\n\r\n\nc,d\n", ',', 0, []string{"L3:[\ta|b]", "L6:[c|d]"}},
		{"empty fields", ",\n,,\n", ',', 0, []string{"L1:[|]", "L2:[||]"}},
		{"quoted comma", `"a,b",c` + "\n", ',', 0, []string{"L1:[a,b|c]"}},
		{"escaped quote", `"say ""hi""",x` + "\n", ',', 0, []string{`L1:[say "hi"|x]`}},
		{"quoted empty", `"",""` + "\n", ',', 0, []string{"L1:[|]"}},
		{"quoted newline", "\"a\nb\",c\nd,e\n", ',', 0, []string{"L1:[a\nb|c]", "L3:[d|e]"}},
		{"quoted crlf newline", "\"a\r\nb\",c\r\nd,e\r\n", ',', 0, []string{"L1:[a\nb|c]", "L3:[d|e]"}},
		{"quoted blank line", "\"a\n\nb\",c\n", ',', 0, []string{"L1:[a\n\nb|c]"}},
		{"semicolon", "a;b,c\n", ';', 0, []string{"L1:[a|b,c]"}},
		{"tab", "a\tb c\n", '\t', 0, []string{"L1:[a|b c]"}},
		{"bare quote", "a,b\"c\nd,e\n", ',', 0, []string{`L1:!bare:a,b"c`, "L2:[d|e]"}},
		{"text after quote", "\"a\"b,c\nd,e\n", ',', 0, []string{`L1:!quote:"a"b,c`, "L2:[d|e]"}},
		{"leading space before quote", "a, \"b\"\n", ',', 0, []string{`L1:!bare:a, "b"`}},
		{"unterminated at eof", "a,\"b\nc,d\ne,f\n", ',', 0, []string{`L1:!unterminated:a,"b`, "L2:[c|d]", "L3:[e|f]"}},
		{"stray quote resync", "u1,\"x\nu2,\"y\"\nu3,z\n", ',', 0, []string{`L1:!quote:u1,"x`, `L2:[u2|y]`, "L3:[u3|z]"}},
		{"unterminated within limit", "a,\"b\ncccccc\nd,e\n", ',', 8, []string{`L1:!unterminated:a,"b`, "L2:[cccccc]", "L3:[d|e]"}},
		{"line too long", "abcdefghijk\na,b\n", ',', 8, []string{"L1:!toolong:abcdefgh", "L2:[a|b]"}},
		{"too long continuation", "a,\"b\nccccccccccccc\nd\n", ',', 8, []string{`L1:!unterminated:a,"b`, "L2:!toolong:cccccccc", "L3:[d]"}},
		{"error on later line", "a,\"b\nc\"x\nd,e\n", ',', 0, []string{`L1:!quote:a,"b`, `L2:!bare:c"x`, "L3:[d|e]"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := scanAll(t, tt.in, tt.comma, tt.max)
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestCSVScannerErrorPosition(t *testing.T) {
	s := newCSVScanner(strings.NewReader("x\na,\"b\nc\"x\n"), ',', 0)
	_, _, _ = s.scan()
	_, _, err := s.scan()
	const want = `sources: line 2: quoted field not closed (opened at column 3): the quote at line 3, column 2 is followed by text`
	if err == nil || err.Error() != want || !errors.Is(err, ErrQuote) || !errors.Is(err, ErrUnterminatedQuote) {
		t.Fatalf("got %v, want %q", err, want)
	}
}

// TestCSVScannerMatchesEncodingCSV checks that on well-formed input the
// scanner reads the same records as encoding/csv.
func TestCSVScannerMatchesEncodingCSV(t *testing.T) {
	in := "url,name,note\r\n" +
		"https://a.example/,\"Smith, J\",\"said \"\"hi\"\"\"\r\n" +
		"https://b.example/,plain,\"two\r\nlines\"\r\n" +
		"https://c.example/,,\r\n"
	r := csv.NewReader(strings.NewReader(in))
	want, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	s := newCSVScanner(strings.NewReader(in), ',', 0)
	var got [][]string
	for {
		f, _, err := s.scan()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, f)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got  %q\nwant %q", got, want)
	}
}

// TestCSVScannerRecordsStayIntact keeps every record of a long input,
// whose rows share text blocks, and checks them all at the end against
// encoding/csv: a record's text must never be overwritten by later rows.
// Rows of many lengths (some longer than a block, some quoted across
// lines) make records start near block ends and outgrow blocks.
func TestCSVScannerRecordsStayIntact(t *testing.T) {
	var b strings.Builder
	for i := range 3000 {
		pad := strings.Repeat("x", (i*37)%(textBlock+300))
		switch i % 7 {
		case 0:
			fmt.Fprintf(&b, "%d,\"q %s\nline two, \"\"quoted\"\"\",%d\n", i, pad, i)
		default:
			fmt.Fprintf(&b, "%d,https://example.com/%s,%d\n", i, pad, i)
		}
	}
	want, err := csv.NewReader(strings.NewReader(b.String())).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	s := newCSVScanner(strings.NewReader(b.String()), ',', 0)
	var got [][]string
	for {
		f, _, err := s.scan()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, f)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("records changed after they were returned (%d records, want %d)", len(got), len(want))
	}
}
