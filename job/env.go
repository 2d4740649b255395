package job

import (
	"regexp"

	"github.com/goccy/go-yaml/ast"
)

// varRef matches ${NAME}; nothing else is expanded.
var varRef = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)\}`)

// expandVars replaces ${NAME} in every string scalar under n with
// lookup(NAME). The first unset variable is an error at its position.
func expandVars(file string, n ast.Node, lookup func(string) (string, bool)) *Error {
	var bad *Error
	ast.Walk(visitFunc(func(n ast.Node) bool {
		if bad != nil {
			return false
		}
		s, ok := n.(*ast.StringNode)
		if !ok || !varRef.MatchString(s.Value) {
			return true
		}
		s.Value = varRef.ReplaceAllStringFunc(s.Value, func(ref string) string {
			name := varRef.FindStringSubmatch(ref)[1]
			v, set := lookup(name)
			if !set && bad == nil {
				pos := s.GetToken().Position
				bad = &Error{File: file, Line: pos.Line, Column: pos.Column,
					Msg: "environment variable " + name + " is not set (referenced as ${" + name + "})"}
			}
			return v
		})
		return true
	}), n)
	return bad
}

// visitFunc adapts a function to ast.Visitor.
type visitFunc func(ast.Node) bool

// Visit implements ast.Visitor.
func (f visitFunc) Visit(n ast.Node) ast.Visitor {
	if f(n) {
		return f
	}
	return nil
}
