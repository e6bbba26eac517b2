package jsonbody

import "github.com/faultline-go/faultline/errdoc"

// sentenceError returns an error of status whose message is key, a
// sentence about {subject}: the phrase subjectKey, filled with {pointer}
// when ptr is not "". args are key's other placeholders. It takes one
// allocation (errdoc.NewSentence), so a 422 listing many failures
// allocates once per failure.
func sentenceError(status int, key, subjectKey, ptr string, args ...errdoc.Arg) *errdoc.Error {
	if ptr == "" {
		return errdoc.NewSentence(status, key, subjectKey, nil, args...)
	}
	return errdoc.NewSentence(status, key, subjectKey, []errdoc.Arg{errdoc.Str("pointer", ptr)}, args...)
}
