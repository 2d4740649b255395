// Package job is the YAML job file of the sluice command: its schema (Job),
// strict decoding with positioned, helpful errors (Decode), validation of
// everything that can be checked before a run (selectors, regexes, kinds),
// and the assembly of a runnable pipeline from it (Build).
//
// Decoding is strict: an unknown or misspelt key is an *Error with the
// file, line and column, and a suggestion picked by edit distance among the
// keys valid at that place. ${NAME} in a string value is replaced by the
// value of NAME from a lookup function the caller supplies (the command
// passes os.LookupEnv); an unset variable is an error naming it. Only the
// ${NAME} form is expanded, so a regex such as `\$(\d+)` is left alone.
//
// Source and sink kinds are resolved through a Registry value, never a
// global: DefaultRegistry lists the built-in kinds.
package job
