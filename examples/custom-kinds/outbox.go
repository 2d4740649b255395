package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"slices"

	"github.com/sluicehq/sluice/sinks"
)

// outboxOptions are the "outbox" sink's own keys in the job file.
type outboxOptions struct {
	// Topic labels every message.
	Topic string `yaml:"topic"`
}

// message is one line of the outbox.
type message struct {
	Topic  string         `json:"topic"`
	Key    string         `json:"key"`
	Record map[string]any `json:"record"`
}

// outbox is a sinks.Transactional: a JSON Lines file that each commit
// appends to and fsyncs. Replayed keys are removed before they are
// written again, so every key is in the file exactly once.
type outbox struct {
	path, topic string
	f           *os.File
	pending     []byte
}

func (o *outbox) ID() string { return "outbox:" + o.path }

func (o *outbox) Open(context.Context) error {
	if err := cutTornTail(o.path); err != nil {
		return err
	}
	f, err := os.OpenFile(o.path, os.O_CREATE|os.O_RDWR|os.O_APPEND, 0o644)
	o.f = f
	return err
}

// cutTornTail drops a last line without its newline: a commit killed in
// the middle of its write. That round's keys are put again on resume.
func cutTornTail(path string) error {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) || err == nil && (len(data) == 0 || data[len(data)-1] == '\n') {
		return nil
	}
	if err != nil {
		return err
	}
	return os.Truncate(path, int64(bytes.LastIndexByte(data, '\n')+1))
}

func (o *outbox) Begin(context.Context) error {
	o.pending = o.pending[:0]
	return nil
}

func (o *outbox) Write(_ context.Context, rows []sinks.Row, replace []string) error {
	if len(replace) > 0 {
		if err := o.remove(replace); err != nil {
			return err
		}
	}
	for _, r := range rows {
		m := message{Topic: o.topic, Key: r.Key, Record: map[string]any{}}
		for i, c := range r.Columns {
			m.Record[c] = r.Values[i]
		}
		line, err := json.Marshal(m)
		if err != nil {
			return err
		}
		o.pending = append(append(o.pending, line...), '\n')
	}
	return nil
}

func (o *outbox) Commit(context.Context) error {
	if _, err := o.f.Write(o.pending); err != nil {
		return err
	}
	return o.f.Sync()
}

func (o *outbox) Close() error { return o.f.Close() }

// remove rewrites the outbox without the messages of keys.
func (o *outbox) remove(keys []string) error {
	data, err := os.ReadFile(o.path)
	if err != nil {
		return err
	}
	var kept bytes.Buffer
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 16<<20)
	for sc.Scan() {
		var m message
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			return errors.Join(errors.New("outbox: corrupt line"), err)
		}
		if !slices.Contains(keys, m.Key) {
			kept.Write(sc.Bytes())
			kept.WriteByte('\n')
		}
	}
	tmp := o.path + ".tmp"
	if err := os.WriteFile(tmp, kept.Bytes(), 0o644); err != nil {
		return err
	}
	if err := os.Rename(tmp, o.path); err != nil {
		return err
	}
	o.f.Close()
	return o.Open(context.Background())
}
