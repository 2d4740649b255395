package extract

import "github.com/sluicehq/sluice/stages/fetch"

// Streamed reports whether h extracts resp on the streaming path (for
// tests of package extract_test).
func Streamed(h *HTML, resp *fetch.Response) bool {
	_, ok := h.streamed(resp, false)
	return ok
}
