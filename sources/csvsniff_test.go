package sources

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/sluicehq/sluice/pipeline"
)

func TestSniffComma(t *testing.T) {
	tests := []struct {
		name, in string
		want     byte
	}{
		{"comma", "url,name\nhttps://a/,x\n", ','},
		{"semicolon with decimal commas", "a;b;url\n1,5;2,5;https://a/\n3,0;4;https://b/\n", ';'},
		{"tab", "url\tn\nhttps://a/\t1\n", '\t'},
		{"pipe with commas in values", "id|url|name\n1|https://a/?x=1,2|A, Inc.\n", '|'},
		{"quoted delimiters ignored", "url,n\n\"https://a/;b;c\",1\n\"x;y;z\",2\n", ','},
		{"quoted newline", "url;t\nhttps://a/;\"x,\ny,z\"\nhttps://b/;w\n", ';'},
		{"url list with commas", "https://a/wiki/X,_Y\nhttps://b/\n", ';'},
		{"header of one column", "url\nhttps://a/?q=1,2\nhttps://b/?q=3,4\n", ';'},
		{"every url has a comma, no header", "https://a/,1\nhttps://b/,2\n", ','},
		{"nothing to go on", "", ','},
		{"all candidates present in one column", "url\nhttps://a/,;|\n", '\t'},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := sniffComma([]byte(tt.in)); got != tt.want {
				t.Fatalf("sniffComma(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestSniffLayout(t *testing.T) {
	tests := []struct {
		name, source, in string
		cfg              CSVConfig
		want             string // CSVFormat.String without the URL column, and guessURL
	}{
		{"header", "", "id,url\n1,https://a/\n", CSVConfig{}, "',' (sniffed), header guess 1"},
		{"no header by content", "", "x,https://a/\ny,https://b/\n", CSVConfig{}, "',' (sniffed), no header guess 1"},
		{"named column forces a header", "", "https://a/\nhttps://b/\n", CSVConfig{URLColumn: ColumnNamed("u")}, "',' (sniffed), header guess 0"},
		{"NoHeader", "", "url\nhttps://a/\n", CSVConfig{NoHeader: true}, "',' (sniffed), no header guess 0"},
		{"tsv name", "in.TSV.gz", "a,b\tc\n", CSVConfig{}, "'\\t', no quoting, header guess -1"},
		{"explicit comma wins", "in.tsv", "a;b\n", CSVConfig{Comma: ';'}, "';', header guess -1"},
		{"quoted tabs", "x.tsv", "a\tb\n", CSVConfig{QuotedTabs: true}, "'\\t', header guess -1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := sniffCSV(textInput{sample: []byte(tt.in), ended: true, encoding: encUTF8}, tt.source, tt.cfg)
			if err != nil {
				t.Fatal(err)
			}
			got := strings.TrimSuffix(l.CSVFormat.String(), ", url column 0, utf-8") + fmt.Sprintf(" guess %d", l.guessURL)
			if got != tt.want {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestPickEncoding(t *testing.T) {
	tests := []struct {
		name, in, cfg string
		ended         bool
		want, err     string
	}{
		{"ascii", "url\n", "", true, "utf-8", ""},
		{"utf-8", "Zoë\n", "", true, "utf-8", ""},
		{"utf-8 cut in a rune", "Zo\xc3", "", false, "utf-8", ""},
		{"cut rune at the end of input", "Zo\xc3", "", true, "windows-1252", ""},
		{"bom", "\xef\xbb\xbfurl", "", true, "utf-8", ""},
		{"utf-16le bom", "\xff\xfeu\x00", "", true, "utf-16le", ""},
		{"utf-16be bom", "\xfe\xff\x00u", "", true, "utf-16be", ""},
		{"utf-16le no bom", "u\x00r\x00l\x00\n\x00", "", true, "utf-16le", ""},
		{"utf-16be no bom", "\x00u\x00r\x00l\x00\n", "", true, "utf-16be", ""},
		{"latin", "caf\xe9\n", "", true, "windows-1252", ""},
		{"nul", "PK\x03\x04\x00\x00", "", true, "", "sources: byte 4 is NUL: not a text file"},
		{"undefined byte", "caf\xe9 \x9d\n", "", true, "", "sources: byte 5 (0x9D) is neither UTF-8 nor Windows-1252"},
		{"named", "caf\xe9", "latin1", true, "windows-1252", ""},
		{"named utf-8 trusts the caller", "caf\xe9", "UTF8", true, "utf-8", ""},
		{"named central european", "x", "windows-1250", true, "windows-1250", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := pickEncoding([]byte(tt.in), tt.cfg, tt.ended)
			if tt.err != "" {
				if err == nil || err.Error() != tt.err {
					t.Fatalf("err %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("got %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

// TestUTF16Reader decodes through one-byte reads (every surrogate pair
// and unit split across reads) and reports damage with its offset.
func TestUTF16Reader(t *testing.T) {
	text := "url\nhttps://a.example/𝄞é\n"
	for _, be := range []bool{false, true} {
		var enc []byte
		for _, r := range "\uFEFF" + text {
			var buf [4]byte
			n := 2
			if r > 0xFFFF {
				r -= 0x10000
				hi, lo := 0xD800+(r>>10), 0xDC00+(r&0x3FF)
				buf[0], buf[1], buf[2], buf[3], n = byte(hi), byte(hi>>8), byte(lo), byte(lo>>8), 4
			} else {
				buf[0], buf[1] = byte(r), byte(r>>8)
			}
			for i := 0; i < n; i += 2 {
				if be {
					buf[i], buf[i+1] = buf[i+1], buf[i]
				}
			}
			enc = append(enc, buf[:n]...)
		}
		got, err := io.ReadAll(newUTF16Reader(iotest.OneByteReader(bytes.NewReader(enc)), be))
		if err != nil || string(got) != text {
			t.Fatalf("be=%v: got %q, %v; want %q", be, got, err, text)
		}
		_, err = io.ReadAll(newUTF16Reader(bytes.NewReader(enc[:len(enc)-1]), be))
		if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("odd byte at the end (offset %d)", len(enc)-2)) {
			t.Fatalf("be=%v: cut input: err %v", be, err)
		}
	}
	_, err := io.ReadAll(newUTF16Reader(bytes.NewReader([]byte("a\x00\x00\xd8b\x00")), false))
	if err == nil || err.Error() != "sources: utf-16: unpaired surrogate at byte 2" {
		t.Fatalf("unpaired high surrogate: %v", err)
	}
}

// TestBadRowKey: a bad row's dead-letter key never equals a good row's
// key, and the dead-letter input is still the raw text.
func TestBadRowKey(t *testing.T) {
	_, fails, err := runSource(t, func(p *pipeline.Pipeline) pipeline.Stream[Item] {
		return Lines(p, "lines", strings.NewReader("https://a.example/\n2\n"), LinesConfig{})
	})
	if err != nil || len(fails) != 1 {
		t.Fatal(err, fails)
	}
	br, ok := fails[0].Input.(BadRow)
	if !ok || br.Key != "line:2" || br.Line != 2 || br.Raw != "2" || fmt.Sprint(br) != "2" {
		t.Fatalf("input %#v", fails[0].Input)
	}
	if j, err := json.Marshal(br); err != nil || string(j) != `"2"` {
		t.Fatalf("json %s, %v", j, err)
	}
	if !errors.Is(fails[0].Err, ErrInvalidURL) {
		t.Fatal(fails[0].Err)
	}
}
