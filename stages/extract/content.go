package extract

import (
	"strings"

	"github.com/sluicehq/sluice/stages/fetch"
)

// checkHTML rejects responses whose media type says they are not markup.
// An empty content type is accepted.
func checkHTML(resp *fetch.Response) error {
	ct := strings.ToLower(resp.ContentType)
	if ct == "" || strings.Contains(ct, "html") || strings.Contains(ct, "xml") {
		return nil
	}
	return &ContentTypeError{URL: finalURL(resp), ContentType: resp.ContentType, Want: "html"}
}

// checkJSON rejects responses whose media type says they are not JSON.
// An empty content type, text/plain and text/javascript are accepted.
func checkJSON(resp *fetch.Response) error {
	ct := strings.ToLower(resp.ContentType)
	if ct == "" || strings.Contains(ct, "json") || ct == "text/plain" || strings.Contains(ct, "javascript") {
		return nil
	}
	return &ContentTypeError{URL: finalURL(resp), ContentType: resp.ContentType, Want: "json"}
}
