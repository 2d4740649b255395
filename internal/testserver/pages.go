package testserver

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
	h := mix64(uint64(page)<<8 | uint64(j))
	id := int(h % uint64(s.cfg.Pages))
	return Item{ID: id, Name: productName(id), Href: strconv.Itoa(id)}
}

func productName(id int) string {
	h := mix64(uint64(id) + 7)
	return adjectives[h%8] + " " + nouns[(h>>8)%8] + " n°" + strconv.Itoa(id)
}

// amount is a deterministic price such as "12.50".
func amount(x uint64) string {
	cents := 100 + mix64(x^0xabc)%9900
	return strconv.FormatUint(cents/100, 10) + "." + twoDigits(cents%100)
}

func twoDigits(n uint64) string {
	if n < 10 {
		return "0" + strconv.FormatUint(n, 10)
	}
	return strconv.FormatUint(n, 10)
}
