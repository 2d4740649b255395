package testsite

import (
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
)

// variant is how a page is encoded and declared.
type variant struct {
	enc         encoding.Encoding // nil: UTF-8
	contentType string
	metaTag     string
	sample      string
	bom         bool
}

// utf8Variant is the normal page: UTF-8, declared in header and meta.
func utf8Variant() variant {
	return variant{contentType: "text/html; charset=utf-8", metaTag: `<meta charset="utf-8">`, sample: sample}
}

const (
	sample1252     = "Crème brûlée — 12,50 €"
	sampleLatin1   = "Crème brûlée, 12,50 EUR"
	sampleShiftJIS = "抹茶プリン 500円"
)

// charsetVariant returns the variant of a charset fault, or false.
func charsetVariant(f Fault) (variant, bool) {
	switch f {
	case FaultCP1252Header:
		return variant{enc: charmap.Windows1252, contentType: "text/html; charset=windows-1252", sample: sample1252}, true
	case FaultCP1252Meta:
		return variant{enc: charmap.Windows1252, contentType: "text/html", metaTag: `<meta charset="windows-1252">`, sample: sample1252}, true
	case FaultCP1252None:
		return variant{enc: charmap.Windows1252, contentType: "text/html", sample: sample1252}, true
	case FaultLatin1Header:
		return variant{enc: charmap.ISO8859_1, contentType: "text/html; charset=ISO-8859-1", sample: sampleLatin1}, true
	case FaultShiftJISHeader:
		return variant{enc: japanese.ShiftJIS, contentType: "text/html; charset=Shift_JIS", sample: sampleShiftJIS}, true
	case FaultShiftJISMeta:
		return variant{enc: japanese.ShiftJIS, contentType: "text/html",
			metaTag: `<meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">`, sample: sampleShiftJIS}, true
	case FaultUTF8BOM:
		return variant{contentType: "text/html; charset=windows-1252", sample: sample, bom: true}, true
	case FaultUTF8None:
		return variant{contentType: "text/html", sample: sample}, true
	case FaultWrongCharset:
		return variant{enc: charmap.Windows1252, contentType: "text/html; charset=utf-8", sample: sample1252}, true
	}
	return variant{}, false
}

// SampleText is the text a page served with fault f carries in its
// p.sample element, as it reads once correctly decoded. For
// [FaultWrongCharset] it is the text the page really holds, which a
// client that trusts the (wrong) header cannot recover.
func SampleText(f Fault) string {
	if v, ok := charsetVariant(f); ok {
		return v.sample
	}
	return sample
}

// encode converts the UTF-8 page to the variant's encoding.
func (v variant) encode(page []byte) []byte {
	if v.bom {
		return append([]byte("\xEF\xBB\xBF"), page...)
	}
	if v.enc == nil {
		return page
	}
	out, err := encoding.ReplaceUnsupported(v.enc.NewEncoder()).Bytes(page)
	if err != nil {
		panic("testsite: encode page: " + err.Error()) // cannot happen with ReplaceUnsupported
	}
	return out
}
