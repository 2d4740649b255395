// Package inspect shows what an extraction spec does on one page, to debug
// selectors: it is what the sluice try command prints, as values a Go
// program or test can check.
//
// A [Page] wraps one [fetch.Response] (fetched, or read from a saved file
// with [ReadFile]). On it,
//
//   - [Page.Fields] evaluates an [extract.HTMLSpec] field by field: each
//     field's value as the record holds it, how many elements its selector
//     matches and in how many items, and whether the whole spec yields
//     records or fails the page; [Page.JSONFields] does the same for an
//     [extract.JSONSpec];
//   - [Page.Find] lists the elements whose own text, or an attribute,
//     contains a text, each with short selectors that are run to check
//     they match it;
//   - [Page.Suggest] offers "did you mean" selectors for one that matches
//     nothing, built from the page's classes, ids and tags, each checked to
//     match.
//
// Values come from the same extractor a run uses ([extract.NewHTML],
// [extract.NewJSON]), so what a report shows is what a run would record.
// Match counts are cascadia's, on the whole parsed document.
//
// The API keeps to strings and counts: no goquery selection or html.Node
// leaves the package.
package inspect
