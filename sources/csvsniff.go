package sources

import (
	"bytes"
	"strings"
)

// A CSV source settles its format before it parses a row, from the
// configuration and the sample (the input's first lines, see
// encoding.go): the delimiter, whether quotes are quotes, whether the
// first row is a header, and which column holds URLs when no header
// names one. Sequential and parallel reads settle it the same way, from
// the same sample, so they stay equivalent.

// sniffCommas are the delimiters a source tells apart, in order of
// preference on a tie.
var sniffCommas = [...]byte{',', ';', '\t', '|'}

// sniffRecords is how many records of the sample are looked at.
const sniffRecords = 20

// csvLayout is the format of one CSV input.
type csvLayout struct {
	CSVFormat
	// guessURL is the column most of whose sampled values are http(s)
	// URLs, or -1; it is the URL column when none is picked or named.
	guessURL int
}

// sniffCSV settles the format of the input in, named source. The URL
// column is settled later, on the header (csvRows.header).
func sniffCSV(in textInput, source string, cfg CSVConfig) (csvLayout, error) {
	l := csvLayout{CSVFormat: CSVFormat{Encoding: in.encoding}, guessURL: -1}
	text := in.sample
	if !in.ended {
		text = text[:bytes.LastIndexByte(text, '\n')+1]
	}
	comma, err := cfg.comma()
	switch {
	case err != nil:
		return l, err
	case cfg.Comma != 0:
	case isTSVName(source):
		comma = '\t'
	default:
		comma, l.Sniffed = sniffComma(text), true
	}
	l.Comma, l.Quotes = rune(comma), comma != '\t' || cfg.QuotedTabs
	records := sampleRecords(text, comma, l.Quotes, cfg.MaxRowBytes)
	if len(records) == 0 {
		l.Header = !cfg.NoHeader
		return l, nil
	}
	l.Header = !cfg.NoHeader && (cfg.URLColumn.byName() || urlCount(records[0]) == 0)
	columns := len(records[0])
	if l.Header {
		records = records[1:]
	}
	l.guessURL = guessURLColumn(records, columns)
	return l, nil
}

// isTSVName reports whether a file name says tab-separated.
func isTSVName(name string) bool {
	name = strings.ToLower(strings.TrimSuffix(name, ".gz"))
	return strings.HasSuffix(name, ".tsv")
}

// sniffComma picks the delimiter of text: among sniffCommas, the one that
// splits the most records into the same number of fields (more than
// one), reading quotes as quotes except around tabs. On a tie the one
// making more fields wins, then the earlier one. When there is no such
// delimiter, or the first record (a header, not a URL) does not hold it,
// the input is one column (a list of URLs, say): the delimiter is then
// one that text does not hold, so that no record is split.
func sniffComma(text []byte) byte {
	best, bestScore, bestMode, bestFirst := byte(0), 0, 0, 0
	for _, c := range sniffCommas {
		counts := delimiterCounts(text, c, c != '\t')
		mode, score := modeCount(counts)
		if mode > 0 && (score > bestScore || score == bestScore && mode > bestMode) {
			best, bestScore, bestMode, bestFirst = c, score, mode, counts[0]
		}
	}
	if best != 0 && (bestFirst > 0 || isHTTPURL(string(firstLine(text)))) {
		return best
	}
	for _, c := range [...]byte{',', ';', '|', '\t'} {
		if bytes.IndexByte(text, c) < 0 {
			return c
		}
	}
	return ','
}

// firstLine returns the first line of text that is not blank.
func firstLine(text []byte) []byte {
	for line := range bytes.Lines(text) {
		if !isBlank(trimEOL(line)) {
			return trimEOL(line)
		}
	}
	return nil
}

// delimiterCounts returns how many times c separates fields in each of
// the first sniffRecords non-blank records of text. With quotes, a quote
// starting a field opens a quoted field, in which c and newlines are
// text, and which a lone quote closes.
func delimiterCounts(text []byte, c byte, quotes bool) []int {
	var counts []int
	n, inQuote, fieldStart, blank := 0, false, true, true
	for i := 0; i < len(text) && len(counts) < sniffRecords; i++ {
		b := text[i]
		if inQuote {
			if b == '"' {
				if i+1 < len(text) && text[i+1] == '"' {
					i++
				} else {
					inQuote = false
				}
			}
			continue
		}
		switch {
		case b == '\n':
			if !blank {
				counts = append(counts, n)
			}
			n, fieldStart, blank = 0, true, true
			continue
		case b == c:
			n, fieldStart, blank = n+1, true, false
			continue
		case b == '"' && quotes && fieldStart:
			inQuote = true
		}
		if b != ' ' && b != '\t' && b != '\r' {
			blank = false
		}
		fieldStart = false
	}
	if !blank && len(counts) < sniffRecords {
		counts = append(counts, n)
	}
	return counts
}

// modeCount returns the most frequent count (the smaller on a tie, so
// that a delimiter in half the records does not split them) and how many
// times it occurs.
func modeCount(counts []int) (mode, times int) {
	freq := map[int]int{}
	for _, n := range counts {
		freq[n]++
	}
	for n, k := range freq {
		if k > times || k == times && n < mode {
			mode, times = n, k
		}
	}
	return mode, times
}

// sampleRecords parses the first records of text; it stops at the first
// malformed one.
func sampleRecords(text []byte, comma byte, quotes bool, maxRow int) [][]string {
	sc := newLineScanner(newBlockLineReader(text, 1, maxRow), comma, quotes)
	var records [][]string
	for len(records) < sniffRecords {
		fields, _, err := sc.scan()
		if err != nil {
			break
		}
		records = append(records, fields)
	}
	return records
}

// urlCount returns how many fields of a record are http(s) URLs.
func urlCount(fields []string) int {
	n := 0
	for _, f := range fields {
		if isHTTPURL(f) {
			n++
		}
	}
	return n
}

// isHTTPURL reports whether s, trimmed, is a valid http(s) URL.
func isHTTPURL(s string) bool {
	_, err := ValidateURL(s, false)
	return err == nil
}

// guessURLColumn returns the column, among the first columns, that
// holds the most http(s) URLs in records (the first on a tie), or -1 when
// none holds any.
func guessURLColumn(records [][]string, columns int) int {
	best, most := -1, 0
	for col := range columns {
		n := 0
		for _, r := range records {
			if col < len(r) && isHTTPURL(r[col]) {
				n++
			}
		}
		if n > most {
			best, most = col, n
		}
	}
	return best
}
