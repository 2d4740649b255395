package extract_test

import (
	"fmt"
	"strings"
)

// listingPage returns a product-listing page of about size bytes with 20
// products: a head with meta tags, a navigation block, the products, and
// filler article text at the end to reach the size.
func listingPage(size int) []byte {
	var b strings.Builder
	b.WriteString(`<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>  Garden tools &amp; supplies — Page 2 </title>
<meta name="description" content="Spades, rakes and more, delivered.">
<link rel="canonical" href="/catalog/garden?page=2">
</head><body><header><h1 class="page-title">Garden tools</h1>
<nav class="breadcrumbs"><a href="/">Home</a> › <a href="/catalog">Catalog</a> › <span>Garden</span></nav>
<ul class="menu">`)
	for i := 0; i < 40; i++ {
		fmt.Fprintf(&b, `<li><a href="/catalog/c%d">Category number %d</a></li>`, i, i)
	}
	b.WriteString(`</ul></header><main><p class="result-count">Showing 21–40 of 512 results</p><ol class="products">`)
	for i := 0; i < 20; i++ {
		fmt.Fprintf(&b, `
<li class="product" data-sku="SKU-%05d">
  <div class="thumb"><img src="/img/p%d.jpg" alt="Product %d"></div>
  <h2 class="name"><a href="/p/%d-garden-tool">Garden tool model %d</a></h2>
  <div class="rating" data-stars="%d.5">★★★★☆</div>
  <span class="price" data-amount="%d.99">$%d.99</span>
  <ul class="tags"><li>steel</li><li>outdoor</li><li>tool</li></ul>
  <p class="desc">A sturdy tool for the garden, with an ash handle and a forged head. Model %d is our favourite.</p>
</li>`, 1000+i, i, i, i, i, i%5, 10+i, 10+i, i)
	}
	b.WriteString(`</ol><a class="next" href="?page=3">Next</a></main><article class="seo">`)
	for b.Len() < size-40 {
		b.WriteString(`<p>Gardening is the practice of growing and cultivating plants as part of horticulture. ` +
			`Ornamental plants are often grown for their flowers, foliage, or overall appearance.</p>`)
	}
	b.WriteString(`</article></body></html>`)
	return []byte(b.String())
}
