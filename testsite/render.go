package testsite

import (
	"strconv"
)

// lorem is the filler the item descriptions are cut from.
const lorem = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor " +
	"incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud " +
	"exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat. Duis aute irure " +
	"dolor in reprehenderit in voluptate velit esse cillum dolore eu fugiat nulla pariatur. " +
	"Excepteur sint occaecat cupidatat non proident, sunt in culpa qui officia deserunt " +
	"mollit anim id est laborum. Pâte feuilletée, crème pâtissière et café noisette. "

// descLen is the length of each item description; with 20 items the page
// comes to about 30 KB.
const descLen = 1350

// renderOpts says how to write the page head.
type renderOpts struct {
	metaTag string // a complete <meta ...> tag, or ""
	sample  string // the p.sample text
}

// appendPage writes page id as HTML to dst, allocation-free: it writes
// the same content [Server.Page] describes.
func (s *Server) appendPage(dst []byte, id int, o renderOpts) []byte {
	dst = append(dst, "<!DOCTYPE html>\n<html lang=\"fr\"><head>\n"...)
	dst = append(dst, o.metaTag...)
	dst = append(dst, "\n<title>Catalogue page "...)
	dst = strconv.AppendInt(dst, int64(id), 10)
	dst = append(dst, " — Sluice Test Shop</title>\n<base href=\"/products/\">\n</head><body>\n"...)
	dst = append(dst, "<header><nav><a href=\"/\">Home</a> <a href=\"../api/products?page=1\">API</a></nav></header>\n<main>\n"...)
	dst = append(dst, "<h1 class=\"title\">Catalogue page "...)
	dst = strconv.AppendInt(dst, int64(id), 10)
	dst = append(dst, "</h1>\n<p class=\"sample\">"...)
	dst = append(dst, o.sample...)
	dst = append(dst, "</p>\n<div class=\"price\" data-amount=\""...)
	dst = appendAmount(dst, uint64(id))
	dst = append(dst, "\" data-currency=\"EUR\">"...)
	dst = appendAmount(dst, uint64(id))
	dst = append(dst, " €</div>\n<ul class=\"items\">\n"...)
	for j := range ItemsPerPage {
		dst = appendItem(dst, s.itemID(id, j), id*ItemsPerPage+j)
	}
	dst = append(dst, "</ul>\n"...)
	if next := id + 1; next < s.cfg.Pages {
		dst = append(dst, "<a class=\"next\" rel=\"next\" href=\""...)
		dst = strconv.AppendInt(dst, int64(next), 10)
		dst = append(dst, "\">Next page</a>\n"...)
	}
	return append(dst, "</main>\n</body></html>\n"...)
}

func appendItem(dst []byte, id, seed int) []byte {
	dst = append(dst, "<li class=\"item\" data-id=\""...)
	dst = strconv.AppendInt(dst, int64(id), 10)
	dst = append(dst, "\"><a href=\""...)
	dst = strconv.AppendInt(dst, int64(id), 10)
	dst = append(dst, "\">"...)
	dst = appendProductName(dst, id)
	dst = append(dst, "</a> <span class=\"item-price\" data-amount=\""...)
	dst = appendAmount(dst, uint64(id))
	dst = append(dst, "\">"...)
	dst = appendAmount(dst, uint64(id))
	dst = append(dst, " €</span>\n<p class=\"desc\">"...)
	dst = appendLorem(dst, int(mix64(uint64(seed))%uint64(len(lorem))), descLen)
	return append(dst, "</p></li>\n"...)
}

// appendLorem appends n bytes of the filler, starting at offset off and
// wrapping around. Cuts fall on ASCII bytes only.
func appendLorem(dst []byte, off, n int) []byte {
	for n > 0 {
		for off < len(lorem) && lorem[off] >= 0x80 {
			off++ // never start inside a multi-byte rune
		}
		if off >= len(lorem) {
			off = 0
		}
		chunk := lorem[off:min(len(lorem), off+n)]
		for len(chunk) > 0 && off+len(chunk) < len(lorem) && lorem[off+len(chunk)] >= 0x80 && lorem[off+len(chunk)] < 0xC0 {
			chunk = chunk[:len(chunk)-1] // never end inside one
		}
		if chunk == "" {
			chunk = " "
		}
		dst = append(dst, chunk...)
		n -= len(chunk)
		off = 0
	}
	return dst
}
