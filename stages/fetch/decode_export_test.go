package fetch_test

import (
	"testing"

	"github.com/sluicehq/sluice/stages/fetch"
	"golang.org/x/text/encoding/japanese"
)

func TestDecodeBody(t *testing.T) {
	page := `<html><head><meta charset="shift_jis"></head><body><p>抹茶プリン 500円</p></body></html>`
	raw, err := japanese.ShiftJIS.NewEncoder().Bytes([]byte(page))
	if err != nil {
		t.Fatal(err)
	}
	body, mt, cs, src, conf := fetch.DecodeBody(raw, "")
	if string(body) != page || mt != "text/html" || cs != "shift_jis" || src != fetch.CharsetMeta || conf != 100 {
		t.Errorf("DecodeBody = %q, %q, %q, %q, %d", body, mt, cs, src, conf)
	}
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00")
	body, mt, cs, src, _ = fetch.DecodeBody(png, "")
	if string(body) != string(png) || mt != "image/png" || cs != "" || src != fetch.CharsetNone {
		t.Errorf("DecodeBody(png) = %q, %q, %q, %q", body, mt, cs, src)
	}
}
