package fetch

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/sluicehq/sluice/testsite"
)

func TestCharsetsFromTestserver(t *testing.T) {
	s := startSite(t, testsite.Config{Pages: 3})
	f, _ := newTestFetcher(t, Config{})
	for _, tc := range []struct {
		fault   testsite.Fault
		charset string
	}{
		{testsite.FaultCP1252Header, "windows-1252"},
		{testsite.FaultCP1252Meta, "windows-1252"},
		{testsite.FaultCP1252None, "windows-1252"},
		{testsite.FaultLatin1Header, "windows-1252"}, // WHATWG: ISO-8859-1 is windows-1252
		{testsite.FaultShiftJISHeader, "shift_jis"},
		{testsite.FaultShiftJISMeta, "shift_jis"},
		{testsite.FaultUTF8BOM, "utf-8"},
		{testsite.FaultUTF8None, "utf-8"},
		{testsite.FaultNone, "utf-8"},
	} {
		resp := mustFetch(t, f, FromURL(s.PageURL(1)+"?fault="+string(tc.fault)))
		if resp.Charset != tc.charset {
			t.Errorf("%s: charset %q, want %q", tc.fault, resp.Charset, tc.charset)
		}
		if !strings.Contains(string(resp.Body), testsite.SampleText(tc.fault)) {
			t.Errorf("%s: body lacks %q", tc.fault, testsite.SampleText(tc.fault))
		}
		if !utf8.Valid(resp.Body) || strings.HasPrefix(string(resp.Body), "\uFEFF") {
			t.Errorf("%s: body is not clean UTF-8", tc.fault)
		}
	}
}

func TestWrongCharsetStillValidUTF8(t *testing.T) {
	s := startSite(t, testsite.Config{Pages: 3})
	f, _ := newTestFetcher(t, Config{})
	resp := mustFetch(t, f, FromURL(s.PageURL(1)+"?fault=wrong-charset"))
	// The header (which wins over the bytes) lies; the bad bytes become
	// U+FFFD and the body stays valid UTF-8.
	if resp.Charset != "utf-8" || !utf8.Valid(resp.Body) || !strings.Contains(string(resp.Body), "\uFFFD") {
		t.Errorf("charset %q, valid %v", resp.Charset, utf8.Valid(resp.Body))
	}
}

func TestToUTF8Order(t *testing.T) {
	cp1252 := "caf\xe9 \x80" // "café €" in windows-1252
	for _, tc := range []struct {
		name, raw, ct, mt, want, charset string
	}{
		{"bom beats header", "\xEF\xBB\xBFcafé", "text/html; charset=windows-1252", "text/html", "café", "utf-8"},
		{"utf-16 bom", "\xFF\xFEc\x00a\x00", "text/plain", "text/plain", "ca", "utf-16le"},
		{"header beats meta", `<meta charset="shift_jis">` + cp1252, "text/html; charset=windows-1252", "text/html", "café €", "windows-1252"},
		{"quoted header", cp1252, `text/plain; format=flowed; Charset="ISO-8859-1"`, "text/plain", "café €", "windows-1252"},
		{"meta", `<meta charset="windows-1252">` + cp1252, "text/html", "text/html", "café €", "windows-1252"},
		{"meta http-equiv", `<META HTTP-EQUIV="content-type" CONTENT="text/html; charset=windows-1252">` + cp1252, "text/html", "text/html", "café €", "windows-1252"},
		{"meta ignored outside html", `<meta charset="windows-1252">café`, "text/plain", "text/plain", "café", "utf-8"},
		{"meta utf-16 means utf-8", `<meta charset="utf-16">café`, "text/html", "text/html", "café", "utf-8"},
		{"unknown label falls through", "café", "text/html; charset=x-nonsense", "text/html", "café", "utf-8"},
		{"valid utf-8", "café", "text/html", "text/html", "café", "utf-8"},
		{"undeclared 8-bit", cp1252, "text/html", "text/html", "café €", "windows-1252"},
		{"utf-8 declared but invalid", "caf\xe9", "text/html; charset=utf-8", "text/html", "caf\uFFFD", "utf-8"},
	} {
		body, cs := toUTF8([]byte(tc.raw), tc.ct, tc.mt)
		if !strings.Contains(string(body), tc.want) || cs != tc.charset {
			t.Errorf("%s: got %q as %q, want %q as %q", tc.name, body, cs, tc.want, tc.charset)
		}
	}
}

func TestMetaBeyond1024Ignored(t *testing.T) {
	raw := strings.Repeat(" ", 1100) + `<meta charset="windows-1252">caf` + "\xe9"
	if _, cs := toUTF8([]byte(raw), "text/html", "text/html"); cs != "windows-1252" {
		t.Fatalf("charset %q", cs) // undeclared and invalid UTF-8: windows-1252 anyway
	}
	raw = strings.Repeat(" ", 1100) + `<meta charset="shift_jis">café`
	if _, cs := toUTF8([]byte(raw), "text/html", "text/html"); cs != "utf-8" {
		t.Errorf("a meta past 1024 bytes was used: %q", cs)
	}
}

func TestCharsetParam(t *testing.T) {
	for ct, want := range map[string]string{
		"text/html": "", "text/html;charset=UTF-8": "UTF-8", "text/html; charset = 'latin1' ; x=y": "latin1",
		"text/html; charsetx=1": "", "text/html; x=\"charset=no\"": "", ";": "", "text/html; charset": "",
	} {
		if got := charsetParam(ct); got != want {
			t.Errorf("charsetParam(%q) = %q, want %q", ct, got, want)
		}
	}
}
