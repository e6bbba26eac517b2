package jsonbody

import "github.com/faultline-go/faultline/errdoc"

// sentence is an error whose detail is a message about {subject}, held
// with the subject's message and every argument in one allocation: a 422
// listing many failures allocates once per failure, as it did when its
// details were strings.
type sentence struct {
	e        errdoc.Error
	subject  errdoc.Message
	subjArgs [1]errdoc.Arg
	args     [4]errdoc.Arg
}

// sentenceError returns an error of status whose message is key, a
// sentence about {subject}: the phrase subjectKey, filled with {pointer}
// when ptr is not "". args are key's other placeholders, at most three.
func sentenceError(status int, key, subjectKey, ptr string, args ...errdoc.Arg) *errdoc.Error {
	s := &sentence{}
	s.subject.Key = subjectKey
	if ptr != "" {
		s.subjArgs[0] = errdoc.Str("pointer", ptr)
		s.subject.Args = s.subjArgs[:]
	}
	s.args[0] = errdoc.Arg{Name: "subject", Msg: &s.subject}
	if len(args) >= len(s.args) {
		panic("jsonbody: a sentence has at most three arguments besides its subject")
	}
	n := copy(s.args[1:], args)
	s.e = errdoc.Error{Status: status, Message: errdoc.Message{Key: key, Args: s.args[:1+n]}}
	return &s.e
}
