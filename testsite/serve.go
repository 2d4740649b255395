package testsite

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
)

// servePage writes page id in the given encoding.
func (s *Server) servePage(w http.ResponseWriter, id int, v variant) {
	bp := s.bufs.Get().(*[]byte)
	defer s.bufs.Put(bp)
	body := s.appendPage((*bp)[:0], id, renderOpts{metaTag: v.metaTag, sample: v.sample})
	*bp = body
	body = v.encode(body)
	h := w.Header()
	h.Set("Content-Type", v.contentType)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	_, _ = w.Write(body)
}

// pageID is the page a faulty request stands for: its /products/{id}, or 0.
func (s *Server) pageID(r *http.Request) int {
	if len(r.URL.Path) > len("/products/") {
		if id, err := strconv.Atoi(r.URL.Path[len("/products/"):]); err == nil && id >= 0 && id < s.cfg.Pages {
			return id
		}
	}
	return 0
}

// apiPage is the JSON body of /api/products?page=N.
type apiPage struct {
	Page  int       `json:"page"`
	Pages int       `json:"pages"`
	Items []apiItem `json:"items"`
	Next  *string   `json:"next"`
}

type apiItem struct {
	ID    int    `json:"id"`
	Name  string `json:"name"`
	Price string `json:"price"`
	URL   string `json:"url"`
}

// serveAPI lists the products, ItemsPerPage per page, pages numbered from 1.
func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request) {
	pages := (s.cfg.Pages + ItemsPerPage - 1) / ItemsPerPage
	n, err := strconv.Atoi(r.URL.Query().Get("page"))
	if err != nil || n < 1 || n > pages {
		http.Error(w, `{"error":"no such page"}`, http.StatusNotFound)
		return
	}
	out := apiPage{Page: n, Pages: pages, Items: []apiItem{}}
	for id := (n - 1) * ItemsPerPage; id < min(n*ItemsPerPage, s.cfg.Pages); id++ {
		out.Items = append(out.Items, apiItem{ID: id, Name: productName(id), Price: amount(uint64(id)), URL: PagePath(id)})
	}
	if n < pages {
		next := "/api/products?page=" + strconv.Itoa(n+1)
		out.Next = &next
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(out)
}

// serveHeaders echoes the request headers as a JSON object.
func serveHeaders(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(r.Header)
}

// serveRedirect answers /redirect?to=<url>[&n=N][&code=302]: N-1 more hops
// through /redirect, then a redirect to the target (absolute or relative).
func serveRedirect(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	code, err := strconv.Atoi(q.Get("code"))
	if err != nil || code < 300 || code > 399 {
		code = http.StatusFound
	}
	target := q.Get("to")
	if n, _ := strconv.Atoi(q.Get("n")); n > 1 {
		q.Set("n", strconv.Itoa(n-1))
		target = "/redirect?" + q.Encode()
	}
	if target == "" {
		target = "/"
	}
	w.Header().Set("Location", target)
	w.WriteHeader(code)
}

// RedirectURL is a site URL that redirects n times (n ≥ 1) and then to
// target, which may be on another host.
func (s *Server) RedirectURL(n int, target string) string {
	q := url.Values{"to": {target}, "n": {strconv.Itoa(n)}}
	return s.URL() + "/redirect?" + q.Encode()
}
