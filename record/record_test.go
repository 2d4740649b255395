package record_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/sluicehq/sluice/record"
)

func TestSetGetNames(t *testing.T) {
	var r record.Record
	if _, ok := r.Get("title"); ok {
		t.Fatal("zero record has a field")
	}
	r.Set("title", "Crème brûlée")
	r.Set("price", 12.5)
	r.Set("title", "Tarte Tatin") // replaced in place, order kept
	if v, ok := r.Get("title"); !ok || v != "Tarte Tatin" {
		t.Fatalf("title = %v, %v", v, ok)
	}
	if got := r.Names(); !slices.Equal(got, []string{"title", "price"}) {
		t.Fatalf("names %v", got)
	}
}

func ExampleRecord() {
	r := record.Record{Key: "row-7", URL: "https://shop.example/p/7"}
	r.Set("title", "Crème brûlée")
	r.Set("price", 12.5)
	price, _ := r.Get("price")
	fmt.Println(r.Names(), price)
	// Output: [title price] 12.5
}
