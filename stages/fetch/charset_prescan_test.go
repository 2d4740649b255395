package fetch

import (
	"strings"
	"testing"
)

func TestMetaCharset(t *testing.T) {
	late := strings.Repeat("x", prescanLimit)
	for _, tc := range []struct {
		name, raw, want string
		late            bool
	}{
		{"charset", `<meta charset="koi8-r">`, "koi8-r", false},
		{"unquoted, upper case", `<META CHARSET=KOI8-R>`, "koi8-r", false},
		{"slash before attrs", `<meta/charset=gbk>`, "gbk", false},
		{"label alias", `<meta charset=latin1>`, "windows-1252", false},
		{"utf-16 means utf-8", `<meta charset="utf-16le">`, "utf-8", false},
		{"x-user-defined means windows-1252", `<meta charset="x-user-defined">`, "windows-1252", false},
		{"http-equiv", `<meta http-equiv="Content-Type" content="text/html; charset=euc-jp">`, "euc-jp", false},
		{"content first", `<meta content='text/html;charset="big5"' http-equiv=content-type>`, "big5", false},
		{"content without http-equiv", `<meta content="text/html; charset=euc-jp">`, "", false},
		{"charset= later in content", `<meta http-equiv=content-type content="charset; charset = shift_jis ;">`, "shift_jis", false},
		{"first attribute of a name counts", `<meta charset="koi8-r" charset="gbk">`, "koi8-r", false},
		{"unknown label, next meta", `<meta charset="nonsense"><meta charset="gbk">`, "gbk", false},
		{"in a comment", `<!-- <meta charset="gbk"> -->`, "", false},
		{"after an empty comment", `<!--><meta charset="gbk">`, "gbk", false},
		{"in an attribute", `<div title='<meta charset="gbk">'>`, "", false},
		{"not a meta", `<metadata charset="gbk">`, "", false},
		{"unclosed tag", `<meta charset="gbk"`, "", false},
		{"prescan ignores script", `<script>'<meta charset="gbk">'</script>`, "gbk", false},
		{"late", `<head>` + late + `<meta charset="gbk">`, "gbk", true},
		{"late http-equiv", `<head>` + late + `<meta http-equiv=content-type content="text/html;charset=gbk">`, "gbk", true},
		{"straddling byte 1024", `<head>` + late[10:] + `<meta charset="gbk">`, "gbk", true},
		{"late in a script", `<head>` + late + `<script>'<meta charset="gbk">'</script>`, "", false},
		{"late in a title", `<head>` + late + `<TITLE><meta charset="gbk"></TITLE >`, "", false},
		{"late after the script", `<head>` + late + `<script>'</scripts>'</script><meta charset="gbk">`, "gbk", true},
		{"late in the body", `<head>` + late + `<div><meta charset="gbk">`, "", false},
		{"late after </head>", `<head>` + late + `</head><meta charset="gbk">`, "gbk", true},
	} {
		got, gotLate := metaCharset([]byte(tc.raw))
		if got != tc.want || gotLate != tc.late {
			t.Errorf("%s: %q late %v, want %q late %v", tc.name, got, gotLate, tc.want, tc.late)
		}
	}
}

func TestMetaContentCharset(t *testing.T) {
	for _, tc := range []struct {
		content, want string
		found         bool
	}{
		{"text/html; charset=utf-8", "utf-8", true},
		{"text/html;CHARSET = 'koi8-r' ", "koi8-r", true},
		{`charset="unterminated`, "", false},
		{"charset", "", false},
		{"charset=", "", false},
		{"charsetcharset=gbk;x", "gbk", true},
		{"text/html", "", false},
	} {
		got, found := metaContentCharset([]byte(tc.content))
		if string(got) != tc.want || found != tc.found {
			t.Errorf("metaContentCharset(%q) = %q, %v; want %q, %v", tc.content, got, found, tc.want, tc.found)
		}
	}
}

func TestValidUTF8(t *testing.T) {
	for raw, want := range map[string]bool{
		"": true, "café": true, "café\xc3": true, "日\xe6\x9c": true, "é\xf0\x9f\x98": true,
		"caf\xc3": false, "\xf0\x9f\x98": false, // no UTF-8 before the cut: not enough evidence
		"caf\xe9": false, "caf\xc3x": false, "\xe9t\xc3": false, "\x80": false, "caf\xe9\xc3": false,
	} {
		if got := validUTF8([]byte(raw)); got != want {
			t.Errorf("validUTF8(%q) = %v", raw, got)
		}
	}
}

func TestTextSample(t *testing.T) {
	raw := `<!doctype html><html><head><style>p{x:1}</style><script>var a="<b>";</script>` +
		`<!-- note --></head><body><p class="x">Hello</p> a < b <br/>world</body>`
	if got := string(textSample([]byte(raw), 1000)); strings.Join(strings.Fields(got), " ") != "Hello a < b world" {
		t.Errorf("textSample = %q", got)
	}
	if got := textSample([]byte(raw), 3); len(got) > 3 {
		t.Errorf("textSample past its limit: %q", got)
	}
}
