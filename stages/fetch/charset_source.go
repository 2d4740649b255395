package fetch

// CharsetSource says where the charset of a [Response] body came from.
// The values are short lower-case words, stable and meant to be shown
// to people (sluice try prints them) and stored (ledgers, sinks).
type CharsetSource string

// The charset sources, in the order they are consulted (see the package
// documentation, "Bodies"). The first one that names an encoding wins.
const (
	// CharsetNone: the body was not converted (empty, or not text).
	CharsetNone CharsetSource = ""
	// CharsetBOM: a UTF-8 or UTF-16 byte order mark starts the body.
	CharsetBOM CharsetSource = "bom"
	// CharsetHeader: the charset parameter of the Content-Type header.
	CharsetHeader CharsetSource = "header"
	// CharsetMeta: a <meta charset> or <meta http-equiv="Content-Type">
	// found by the WHATWG prescan of the first 1024 bytes (HTML only).
	CharsetMeta CharsetSource = "meta"
	// CharsetMetaLate: such a <meta> after the first 1024 bytes, still
	// in the head of the document and within its first 64 KiB.
	CharsetMetaLate CharsetSource = "meta-late"
	// CharsetDefault: nothing declared, and the bytes are valid UTF-8,
	// so they are read as UTF-8.
	CharsetDefault CharsetSource = "default"
	// CharsetDetected: nothing declared, the bytes are not UTF-8, and
	// content detection chose the charset; see Response.CharsetConfidence.
	CharsetDetected CharsetSource = "detected"
	// CharsetFallback: nothing declared, not UTF-8, and detection found
	// nothing it trusts: windows-1252, the web's last resort.
	CharsetFallback CharsetSource = "fallback"
)

// Declared reports whether the charset was declared by the body or the
// server (BOM, header or meta) rather than inferred from the bytes.
func (s CharsetSource) Declared() bool {
	switch s {
	case CharsetBOM, CharsetHeader, CharsetMeta, CharsetMetaLate:
		return true
	}
	return false
}
