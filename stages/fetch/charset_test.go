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
		src                              CharsetSource // "": not checked
	}{
		{"bom beats header", "\xEF\xBB\xBFcafé", "text/html; charset=windows-1252", "text/html", "café", "utf-8", CharsetBOM},
		{"utf-16 bom", "\xFF\xFEc\x00a\x00", "text/plain", "text/plain", "ca", "utf-16le", CharsetBOM},
		{"header beats meta", `<meta charset="shift_jis">` + cp1252, "text/html; charset=windows-1252", "text/html", "café €", "windows-1252", CharsetHeader},
		{"quoted header", cp1252, `text/plain; format=flowed; Charset="ISO-8859-1"`, "text/plain", "café €", "windows-1252", CharsetHeader},
		{"meta", `<meta charset="windows-1252">` + cp1252, "text/html", "text/html", "café €", "windows-1252", CharsetMeta},
		{"meta http-equiv", `<META HTTP-EQUIV="content-type" CONTENT="text/html; charset=windows-1252">` + cp1252, "text/html", "text/html", "café €", "windows-1252", CharsetMeta},
		{"meta ignored outside html", `<meta charset="windows-1252">café`, "text/plain", "text/plain", "café", "utf-8", CharsetDefault},
		{"meta utf-16 means utf-8", `<meta charset="utf-16">café`, "text/html", "text/html", "café", "utf-8", CharsetMeta},
		{"unknown label falls through", "café", "text/html; charset=x-nonsense", "text/html", "café", "utf-8", CharsetDefault},
		{"valid utf-8", "café", "text/html", "text/html", "café", "utf-8", CharsetDefault},
		{"undeclared 8-bit", cp1252, "text/html", "text/html", "café €", "windows-1252", ""},
		{"utf-8 declared but invalid", "caf\xe9", "text/html; charset=utf-8", "text/html", "caf\uFFFD", "utf-8", CharsetHeader},
		{"utf-16 header is honoured", "c\x00a\x00", "text/plain; charset=utf-16le", "text/plain", "ca", "utf-16le", CharsetHeader},
		{"utf-8 cut inside its last character", "café \xe2\x82", "text/plain", "text/plain", "café \uFFFD", "utf-8", CharsetDefault},
		{"legacy text ending in a high byte", "Un bon caf\xe9", "text/plain", "text/plain", "Un bon café", "windows-1252", ""},
	} {
		d := toUTF8([]byte(tc.raw), tc.ct, tc.mt)
		if !strings.Contains(string(d.body), tc.want) || d.charset != tc.charset {
			t.Errorf("%s: got %q as %q, want %q as %q", tc.name, d.body, d.charset, tc.want, tc.charset)
		}
		if tc.src != "" && d.source != tc.src {
			t.Errorf("%s: source %q, want %q", tc.name, d.source, tc.src)
		}
	}
}

func TestMetaLate(t *testing.T) {
	pad := "<head><title>t</title>" + strings.Repeat(" ", 1100)
	for _, tc := range []struct {
		name, raw string
		charset   string
		src       CharsetSource
	}{
		{"late meta in head", pad + `<meta charset="windows-1252">caf` + "\xe9", "windows-1252", CharsetMetaLate},
		{"late meta beats valid utf-8", pad + `<meta charset="shift_jis">abc`, "shift_jis", CharsetMetaLate},
		{"meta in a script is not a tag", pad + `<script>s='<meta charset="koi8-r">'</script>abc`, "utf-8", CharsetDefault},
		{"meta after the body starts", pad + `<body><meta charset="koi8-r">abc`, "utf-8", CharsetDefault},
		{"meta past 64 KiB", pad + strings.Repeat(" ", lateScanLimit) + `<meta charset="koi8-r">abc`, "utf-8", CharsetDefault},
		{"early body does not end the prescan", `<body>` + pad + `<meta charset="koi8-r">abc`, "koi8-r", CharsetMetaLate},
	} {
		d := toUTF8([]byte(tc.raw), "text/html", "text/html")
		if d.charset != tc.charset || d.source != tc.src {
			t.Errorf("%s: %q from %q, want %q from %q", tc.name, d.charset, d.source, tc.charset, tc.src)
		}
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
