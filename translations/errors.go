package translations

import (
	"errors"
)

// Problem is a sentinel error that knows which message explains it to a
// user. Packages declare their sentinels with NewProblem; the English text
// stays the error's own (lowercase, for logs and wrapping).
type Problem struct {
	id   string
	text string
}

// NewProblem returns a sentinel error explained to users by message id.
func NewProblem(id, text string) *Problem { return &Problem{id: id, text: text} }

func (p *Problem) Error() string { return p.text }

// MessageID returns the id of the message that explains p.
func (p *Problem) MessageID() string { return p.id }

// Explainer is an error that words itself for users, with its details
// (which account, which language): Localizer.Error prefers it to a Problem.
type Explainer interface {
	Explain(l *Localizer) string
}

// Error turns any error into one short sentence in the user's language: the
// explanation of the first Explainer in its chain, else the message of the
// first Problem, else a generic one.
func (l *Localizer) Error(err error) string {
	if err == nil {
		return ""
	}
	var x Explainer
	if errors.As(err, &x) {
		return x.Explain(l)
	}
	var p *Problem
	if errors.As(err, &p) {
		return l.T(p.id)
	}
	return l.T("error.unexpected")
}
