// Package filter has the stages that decide which items go on: predicates
// on record fields ([New], usable from Go and YAML), de-duplication by key
// with bounded memory ([NewDedupe]), and URL normalisation for keys
// ([NormalizeURL]).
//
// Each exposes a method with the signature of a pipeline.Filter function:
//
//	f, err := filter.New(filter.Spec{Field: "price", Op: ">", Value: 10})
//	kept := pipeline.Filter(p, "cheap", recs, f.Keep)
//	dd := filter.NewDedupe(filter.FieldKey("url"), 1_000_000)
//	unique := pipeline.Filter(p, "dedupe", kept, dd.Keep, pipeline.Workers(4))
//
// Everything is compiled at construction — a bad regex or operator is an
// error there, not at run time — and everything is safe for concurrent use.
package filter
