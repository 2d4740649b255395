package testsite_test

import (
	"fmt"
	"io"
	"net/http"

	"github.com/sluicehq/sluice/testsite"
)

func Example() {
	srv, err := testsite.Start(testsite.Config{Pages: 10})
	if err != nil {
		panic(err)
	}
	defer srv.Close()

	resp, err := http.Get(srv.PageURL(3) + "?fault=503")
	if err != nil {
		panic(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	http.DefaultClient.CloseIdleConnections()

	fmt.Println(resp.StatusCode, srv.Requests("/products/3"), srv.Page(3).Title)
	// Output: 503 1 Catalogue page 3
}
