package testsite

import (
	"strconv"
)

// ItemsPerPage is the number of items each page lists (and each page of
// the JSON API returns).
const ItemsPerPage = 20

// Page is the content of one generated page, for tests that parse it.
type Page struct {
	ID     int
	Title  string // text of h1.title (also in <title>)
	Amount string // data-amount of the page's div.price, e.g. "12.50"
	Items  []Item // the li.item entries, in order
	Next   int    // id linked by a.next, or -1 on the last page
}

// Item is one entry of a page's list.
type Item struct {
	ID   int    // the product page it links to
	Name string // the link text
	Href string // the href as written: relative to the page's <base href="/products/">
}

// sample is the non-ASCII text every UTF-8 page carries in p.sample.
const sample = "Crème brûlée — 12,50 € · 抹茶プリン"

var adjectives = [...]string{"Crème", "Brûlée", "Rustic", "Golden", "Señor", "Smoked", "Ærø", "Crispy"}
var nouns = [...]string{"brûlée", "tarte", "Käse", "baguette", "jamón", "müsli", "café", "crêpe"}

// Page describes page id, which must be in [0, Pages).
func (s *Server) Page(id int) Page {
	p := Page{ID: id, Title: "Catalogue page " + strconv.Itoa(id), Amount: amount(uint64(id)), Next: id + 1}
	if p.Next >= s.cfg.Pages {
		p.Next = -1
	}
	p.Items = make([]Item, ItemsPerPage)
	for j := range p.Items {
		p.Items[j] = s.item(id, j)
	}
	return p
}

func (s *Server) item(page, j int) Item {
	id := s.itemID(page, j)
	return Item{ID: id, Name: productName(id), Href: strconv.Itoa(id)}
}

// itemID is the product the j-th item of a page links to.
func (s *Server) itemID(page, j int) int {
	return int(mix64(uint64(page)<<8|uint64(j)) % uint64(s.cfg.Pages))
}

func productName(id int) string { return string(appendProductName(nil, id)) }

func appendProductName(dst []byte, id int) []byte {
	h := mix64(uint64(id) + 7)
	dst = append(dst, adjectives[h%8]...)
	dst = append(dst, ' ')
	dst = append(dst, nouns[(h>>8)%8]...)
	dst = append(dst, " n°"...)
	return strconv.AppendInt(dst, int64(id), 10)
}

// amount is a deterministic price such as "12.50".
func amount(x uint64) string { return string(appendAmount(nil, x)) }

func appendAmount(dst []byte, x uint64) []byte {
	cents := 100 + mix64(x^0xabc)%9900
	dst = strconv.AppendUint(dst, cents/100, 10)
	dst = append(dst, '.', byte('0'+cents%100/10), byte('0'+cents%10))
	return dst
}
