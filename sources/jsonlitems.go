package sources

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/sluicehq/sluice/pipeline"
)

// JSONLItemsConfig configures JSONLItems. The zero value reads objects
// whose "url" field holds the URL, keyed by line number.
type JSONLItemsConfig struct {
	// URLField names the field holding the URL; empty means "url".
	URLField string
	// KeyField names the field holding each item's key; empty means the
	// line number.
	KeyField string
	// AllowFileURLs accepts file: URLs, which are rejected by default.
	AllowFileURLs bool
	// MaxLineBytes caps one line. Zero means DefaultMaxRowBytes.
	MaxLineBytes int
}

// JSONLItems adds a source stage that reads one JSON object per line and
// emits it as an Item: the URL and key come from the configured fields,
// and every top-level field becomes a column, in the object's order
// (strings unquoted, null as "", other values as JSON text). A line that
// is not a JSON object, lacks the URL or has an invalid one is a per-item
// failure; a read error is fatal.
func JSONLItems(p *pipeline.Pipeline, name string, r io.Reader, cfg JSONLItemsConfig, opts ...pipeline.StageOption) pipeline.Stream[Item] {
	return readerSource(p, name, r, cfg, readJSONLItems, opts)
}

// JSONLItemsFile is JSONLItems reading the file at path, opened when the
// pipeline runs and closed when the source ends (see [Open]).
func JSONLItemsFile(p *pipeline.Pipeline, name, path string, cfg JSONLItemsConfig, opts ...pipeline.StageOption) pipeline.Stream[Item] {
	return fileSource(p, name, path, cfg, readJSONLItems, opts)
}

func readJSONLItems(ctx context.Context, r io.Reader, source string, cfg JSONLItemsConfig, e *pipeline.Emitter[Item]) error {
	return eachLine(ctx, r, source, cfg.MaxLineBytes, e, func(l physLine) error {
		if isBlank(l.text) {
			return nil
		}
		item, err := cfg.item(l)
		if err != nil {
			return skipBadRow(ctx, e, source, rowErr(l, err))
		}
		return e.Emit(item)
	})
}

func (cfg JSONLItemsConfig) item(l physLine) (Item, error) {
	cols, vals, err := decodeObject(l.text)
	if errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	if err != nil {
		return Item{}, fmt.Errorf("%w: %w", ErrBadJSON, err)
	}
	it := Item{Key: strconv.Itoa(l.num()), Line: l.num(), Columns: cols, Values: vals}
	urlField := cfg.URLField
	if urlField == "" {
		urlField = "url"
	}
	raw, ok := it.Field(urlField)
	if !ok {
		return Item{}, &URLError{Reason: fmt.Sprintf("no %q field", urlField)}
	}
	if it.URL, err = ValidateURL(raw, cfg.AllowFileURLs); err != nil {
		return Item{}, err
	}
	if cfg.KeyField != "" {
		if it.Key, _ = it.Field(cfg.KeyField); strings.TrimSpace(it.Key) == "" {
			return Item{}, fmt.Errorf("%w in field %q", ErrEmptyKey, cfg.KeyField)
		}
	}
	return it, nil
}

// decodeObject decodes one JSON object, keeping its top-level fields in
// order, and rejects anything after it.
func decodeObject(b []byte) (cols, vals []string, err error) {
	d := json.NewDecoder(bytes.NewReader(b))
	if tok, err := d.Token(); err != nil || tok != json.Delim('{') {
		return nil, nil, errors.New("not a JSON object")
	}
	for d.More() {
		tok, err := d.Token()
		if err != nil {
			return nil, nil, err
		}
		var raw json.RawMessage
		if err := d.Decode(&raw); err != nil {
			return nil, nil, err
		}
		cols, vals = append(cols, tok.(string)), append(vals, jsonText(raw))
	}
	if _, err := d.Token(); err != nil {
		return nil, nil, err
	}
	if _, err := d.Token(); !errors.Is(err, io.EOF) {
		return nil, nil, errors.New("data after the object")
	}
	return cols, vals, nil
}

// jsonText renders a field value: strings unquoted, null as "", anything
// else as its JSON text.
func jsonText(raw json.RawMessage) string {
	switch {
	case len(raw) > 0 && raw[0] == '"':
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return s
		}
	case string(raw) == "null":
		return ""
	}
	return string(raw)
}
