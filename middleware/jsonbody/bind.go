package jsonbody

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"time"

	json "github.com/go-json-experiment/json"
	jsonv1 "github.com/go-json-experiment/json/v1"
	"github.com/go-playground/validator/v10"

	"github.com/faultline-go/faultline/errdoc"
)

// DefaultMaxBytes is the body size limit of a zero BindOptions: 1 MiB.
const DefaultMaxBytes = 1 << 20

// DefaultBodyTimeout is how long, in a zero BindOptions, JSONBodies lets a
// request body take to arrive: 1 MiB in 30 seconds is 35 KB/s, slower than
// any client that is still making progress on a mobile link.
const DefaultBodyTimeout = 30 * time.Second

// readChunk is the most Decode reserves before bytes arrive: the first
// read's buffer is at most this large whatever Content-Length claims, and
// the buffer then doubles only as the body fills it, so memory follows the
// bytes received (at most 2.5 times them, or readChunk before they fill it).
const readChunk = 16 << 10

// BindOptions configures how request bodies are decoded. The zero value is
// ready to use; each field documents what its zero value means.
type BindOptions struct {
	// MaxBytes is the largest body accepted, in bytes; a larger one is a 413.
	// At most MaxBytes+1 bytes are ever read, whatever Content-Length
	// claims. Zero means DefaultMaxBytes (1 MiB).
	MaxBytes int64

	// AllowUnknownFields accepts members the target type does not declare
	// and ignores them. False means such a member is a 422 whose
	// source.pointer names it: a typo in a field name is reported instead of
	// silently dropped.
	AllowUnknownFields bool

	// MatchCaseInsensitiveNames lets a member name match a field whose JSON
	// name differs from it in case only, as encoding/json does: "Name" and
	// "NAME" set the field named "name". An exact match always wins; two
	// members that match one field ({"name":1,"Name":2}) are a duplicate,
	// refused like any other; source.pointer keeps the client's spelling
	// for decode failures, and validation failures name the field's own.
	// Underscores and dashes still count ("first_name" never matches
	// "firstName"), as in encoding/json.
	//
	// False, the default, matches names exactly, as encoding/json/v2 does:
	// a body means one thing to every reader of it (a gateway, a JSON
	// Schema or OpenAPI validator, a log search, which all compare names
	// exactly), "Name" cannot smuggle in a value that a check of "name"
	// missed, and a client that sends "Name" gets a 422 that says "did you
	// mean /name?" instead of a body that works here and nowhere else. Set
	// it when moving a route from encoding/json whose clients already send
	// names in other cases.
	MatchCaseInsensitiveNames bool

	// SyntaxStatus is the status of a body that is not well-formed JSON
	// (syntax errors, a truncated or empty body, data after the value,
	// duplicate member names, invalid UTF-8): 422 or 400. Values that are
	// well-formed but wrong for the target (type mismatches, numbers out of
	// range, unknown members, validation failures) are always 422. Zero
	// means 422.
	SyntaxStatus int

	// MediaTypes are the accepted Content-Type media types, such as
	// "application/json" or "application/merge-patch+json". Another one is a
	// 415 naming them. Parameters other than charset are ignored, and a
	// charset other than UTF-8 is a 415. Nil means "application/json" and
	// every "application/*+json" type.
	MediaTypes []string

	// Validator checks the decoded value's `validate` struct tags
	// (github.com/go-playground/validator/v10). Its field errors become 422
	// errors at JSON pointers built from the names it reports, so register
	// JSONTagName with its RegisterTagNameFunc. Nil means a validator built
	// by NewBinder with JSONTagName registered.
	Validator *validator.Validate

	// BodyTimeout bounds, in the JSONBodies middleware, how long the body
	// may take to arrive, counted from the moment the middleware runs. When
	// it passes before the body has been read to its end, the connection's
	// read deadline is set to that moment (through http.ResponseController),
	// so a Read that waits for a stalled client returns and Bind answers 408,
	// even on a server without ReadTimeout. It only ever shortens the
	// server's own deadlines, never extends them: a server's shorter
	// ReadTimeout still wins. Once the body has been read to its end (or
	// failed), or the handler has returned, the deadline is disarmed.
	// Zero means DefaultBodyTimeout (30 seconds); a negative value means no
	// deadline of the middleware's own (the server's timeouts only).
	BodyTimeout time.Duration

	// ValidateFunc, if set, is called with the request and a pointer to the
	// decoded value after the struct tags and the value's own Validate
	// method, and its failures join theirs in one document. It returns
	// errors as a Validate method does (see Binder.Decode). Nil means no
	// call.
	ValidateFunc func(r *http.Request, v any) error
}

// Binder decodes and validates JSON request bodies. It is immutable and safe
// for concurrent use; build one per route group with NewBinder, or let
// JSONBodies store one in the request's context for Bind.
type Binder struct {
	maxBytes     int64
	syntaxStatus int
	media        mediaSet
	unmarshal    json.Options
	validate     *validator.Validate
	fn           func(*http.Request, any) error
	acceptList   string // the accepted media types, for 415 details and Accept-Post
	// typesArgs and maxBytesArgs fill the 415 and 413 messages; shared by
	// every refusal, never written.
	typesArgs    []errdoc.Arg
	maxBytesArgs []errdoc.Arg
	bodyTimeout  time.Duration
	fold         bool // member names match case-insensitively
}

// NewBinder returns a Binder configured by opts.
//
// NewBinder panics if MaxBytes is negative, SyntaxStatus is neither 0, 400
// nor 422, or a media type is malformed: all start-up configuration.
func NewBinder(opts BindOptions) *Binder {
	b, err := newBinder(opts)
	if err != nil {
		panic(err)
	}
	return b
}

// Validate reports the configuration errors NewBinder panics on.
func (o BindOptions) Validate() error {
	_, err := newBinder(o)
	return err
}

func newBinder(opts BindOptions) (*Binder, error) {
	b := &Binder{maxBytes: opts.MaxBytes, syntaxStatus: opts.SyntaxStatus, fn: opts.ValidateFunc, bodyTimeout: opts.BodyTimeout}
	switch {
	case b.bodyTimeout == 0:
		b.bodyTimeout = DefaultBodyTimeout
	case b.bodyTimeout < 0:
		b.bodyTimeout = 0 // none of the middleware's own
	}
	switch {
	case b.maxBytes < 0:
		return nil, fmt.Errorf("middleware: BindOptions.MaxBytes %d is negative", opts.MaxBytes)
	case b.maxBytes == 0:
		b.maxBytes = DefaultMaxBytes
	}
	switch b.syntaxStatus {
	case 0:
		b.syntaxStatus = http.StatusUnprocessableEntity
	case http.StatusBadRequest, http.StatusUnprocessableEntity:
	default:
		return nil, fmt.Errorf("middleware: BindOptions.SyntaxStatus %d is neither 400 nor 422", opts.SyntaxStatus)
	}
	media, err := newMediaSet(opts.MediaTypes)
	if err != nil {
		return nil, err
	}
	b.media = media
	b.acceptList = media.String()
	b.typesArgs = []errdoc.Arg{errdoc.Str("types", b.acceptList)}
	b.maxBytesArgs = []errdoc.Arg{errdoc.Str("max_bytes", strconv.FormatInt(b.maxBytes, 10))}
	b.unmarshal = json.RejectUnknownMembers(!opts.AllowUnknownFields)
	if opts.MatchCaseInsensitiveNames {
		// As encoding/json matches: Unicode case folding only. Without
		// MatchCaseSensitiveDelimiter the decoder would also ignore '-'
		// and '_' ("first_name" matching firstName), which encoding/json
		// never did.
		b.unmarshal = json.JoinOptions(b.unmarshal, json.MatchCaseInsensitiveNames(true), jsonv1.MatchCaseSensitiveDelimiter(true))
		b.fold = true
	}
	b.validate = opts.Validator
	if b.validate == nil {
		b.validate = validator.New(validator.WithRequiredStructEnabled())
		b.validate.RegisterTagNameFunc(JSONTagName)
	}
	return b, nil
}

// MaxBytes returns the body size limit.
func (b *Binder) MaxBytes() int64 { return b.maxBytes }

type binderKey struct{}

// defaultBinder serves Bind on requests that went through no JSONBodies. It is
// built on first use and never changed.
var defaultBinder = sync.OnceValue(func() *Binder { return NewBinder(BindOptions{}) })

// BinderFrom returns the Binder stored in ctx by JSONBodies, or one with
// zero BindOptions.
func BinderFrom(ctx context.Context) *Binder {
	if b, ok := ctx.Value(binderKey{}).(*Binder); ok {
		return b
	}
	return defaultBinder()
}

// Bind decodes r's JSON body into a new T and validates it, with the Binder
// JSONBodies configured for the route (or zero BindOptions). On failure it
// returns an error for errdoc.Write: an *errdoc.Error (415, 413, 422, or 400
// for syntax errors when so configured) or an errdoc.List of every
// unknown member, refused value and validation failure. See Binder.Decode.
//
//	item, err := jsonbody.Bind[Item](r)
//	if err != nil {
//		errdoc.Write(w, r, err)
//		return
//	}
func Bind[T any](r *http.Request) (T, error) {
	var v T
	err := BinderFrom(r.Context()).Decode(r, &v)
	return v, err
}

// JSONBodies returns a middleware that stores a Binder built from opts in
// the request's context, for the Bind calls of the handlers below, and
// refuses early what no handler below could accept: a request with a body
// whose Content-Type is not accepted (415) or whose Content-Length exceeds
// MaxBytes (413). Handlers that decode bodies themselves get r.Body limited
// by http.MaxBytesReader, whose error errdoc classifies as 413.
//
// JSONBodies panics as NewBinder does.
func JSONBodies(opts BindOptions) func(http.Handler) http.Handler {
	b := NewBinder(opts)
	return b.Middleware
}

// Middleware is the middleware JSONBodies returns, for a Binder built
// beforehand.
func (b *Binder) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hasBody(r) {
			if err := b.checkContentType(r); err != nil {
				errdoc.Write(w, r, err)
				return
			}
			if r.ContentLength > b.maxBytes {
				errdoc.Write(w, r, b.tooLarge(nil))
				return
			}
			r.Body = http.MaxBytesReader(w, r.Body, b.maxBytes)
			if b.bodyTimeout > 0 {
				d := armBodyDeadline(w, r, r.Body, b.bodyTimeout)
				defer d.disarm()
				r.Body = d
			}
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), binderKey{}, b)))
	})
}

// hasBody reports whether r announces a body.
func hasBody(r *http.Request) bool {
	return r.Body != nil && r.Body != http.NoBody && r.ContentLength != 0
}

// Decode reads r's JSON body into v, a non-nil pointer, and validates it.
// In order:
//
//   - a body whose Content-Type is not accepted: 415 naming the accepted
//     types (source.header "Content-Type", meta "accepted");
//   - a body over MaxBytes: 413 (meta "max_bytes"), after reading at most
//     MaxBytes+1 bytes;
//   - a body that stops arriving until the server's read timeout: 408;
//     one that cannot be read otherwise: 400 (one cut short by a Timeout's
//     deadline or the client's hang-up too: errdoc, which recorded that
//     end, does not log it again);
//   - a body that is not well-formed JSON: SyntaxStatus (422), with meta
//     "offset", "line" and "column" and, where known, source.pointer;
//     this error alone, wherever it is in the body;
//   - then, together in one errdoc.List of 422 errors: every member the
//     target does not declare and every value that does not fit it (a type
//     mismatch, a number out of range, a value its UnmarshalJSON refused),
//     each at its JSON pointer, in the order of the body; then every failure
//     of the validate struct tags, of v's own Validate() error method and of
//     BindOptions.ValidateFunc.
//
// The list holds at most 100 errors (as many as errdoc renders). Finding
// each decode failure after the first costs two passes over the body, and
// the search stops once it has read 8 MiB: a body of a few KiB lists every
// failure up to 100, one of 1 MiB (the default limit) its first five. Validation runs
// on as much of the value as can be trusted: all of it when the only decode
// failures are unknown members (they are ignored, the value is complete);
// when values were refused, the struct tags alone, without the failures at
// or under a refused value and without the tags that compare fields
// (eqfield, required_with ...), since the refused value is missing; none
// when not every failure could be listed. A Validate method and
// ValidateFunc only ever see complete values. On failure, v holds what was
// decoded, which is not a value to use.
//
// A Validate method (or function) returns nil, an *errdoc.Error, an
// errdoc.List or an errors.Join of them; errors without a status get 422
// (use Invalid to build them). Any other error is a 422 with a generic
// detail, its text kept as the cause for logs: a detail is what the client
// reads, so it must be written for it.
//
// No detail ever repeats a value of the body: a detail says what is wrong
// with /quantity, not what the client sent there. When a type's own
// UnmarshalJSON refuses a value, the detail is that of the *errdoc.Error it
// returned (its Detail or its Message), or a generic one: its other errors
// are written for logs.
//
// The details Decode writes are messages (errdoc.Message, keys "bind.*",
// "validate.*" and "media.*"), rendered in the client's language when the
// renderer's catalog has translations; the errors' Detail field is empty.
// A handler that reads the text of an error itself renders it with
// errdoc.Catalog.Detail: errdoc.DefaultCatalog().Detail(e, "en").
//
// Decoding follows github.com/go-json-experiment/json (the prototype of
// encoding/json/v2) with its defaults: member names match json tags
// exactly unless BindOptions.MatchCaseInsensitiveNames says otherwise, and
// nesting deeper than 10,000 levels is refused.
func (b *Binder) Decode(r *http.Request, v any) error {
	if hasBody(r) || len(r.Header["Content-Type"]) > 0 {
		if err := b.checkContentType(r); err != nil {
			return err
		}
	}
	body, err := b.read(r)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(body, v, b.unmarshal); err != nil {
		return b.decodeFailure(r, body, v, err)
	}
	return b.check(r, v)
}

// read reads the whole body, at most maxBytes+1 bytes of it.
func (b *Binder) read(r *http.Request) ([]byte, error) {
	if r.Body == nil || r.Body == http.NoBody {
		return nil, nil
	}
	if r.ContentLength > b.maxBytes {
		return nil, b.tooLarge(nil)
	}
	limit := b.maxBytes + 1
	size := int64(512)
	if r.ContentLength > 0 {
		// Room to see EOF, or a lie, at once, for a body that fits in one
		// chunk; a larger claim reserves only the chunk until bytes arrive.
		size = min(r.ContentLength+1, readChunk)
	}
	size = min(size, limit)
	buf := make([]byte, 0, size)
	for empty := 0; ; {
		if len(buf) == cap(buf) {
			if int64(len(buf)) >= limit {
				return nil, b.tooLarge(nil)
			}
			// Twice what arrived; or the limit itself when it is at most
			// a quarter further, rather than copy a buffer just short of
			// it: never more than 2.5 times what arrived.
			next := int64(cap(buf)) * 2
			if limit-next <= next/4 {
				next = limit
			}
			grown := make([]byte, len(buf), next) // exactly next: never read past limit
			copy(grown, buf)
			buf = grown
		}
		n, err := r.Body.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if int64(len(buf)) > b.maxBytes {
			return nil, b.tooLarge(nil)
		}
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return nil, readError(err, b)
		}
		if n > 0 {
			empty = 0
		} else if empty++; empty >= 100 { // as bufio does with a reader that never progresses
			return nil, readError(io.ErrNoProgress, b)
		}
	}
}

func (b *Binder) tooLarge(cause error) *errdoc.Error {
	e := &errdoc.Error{Status: http.StatusRequestEntityTooLarge,
		Message: errdoc.Message{Key: "bind.body_too_large", Args: b.maxBytesArgs}}
	e.Meta = map[string]any{"max_bytes": b.maxBytes}
	e.Cause = cause
	return e
}

// readError turns a failed body read into a document: the limit of a
// MaxBytesReader is a 413, a read timeout a 408, anything else a 400.
func readError(err error, b *Binder) *errdoc.Error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return b.tooLarge(err)
	}
	var timeout interface{ Timeout() bool }
	if errors.As(err, &timeout) && timeout.Timeout() || errors.Is(err, context.DeadlineExceeded) {
		return errdoc.New(http.StatusRequestTimeout, "").WithMessage("bind.read_timeout").WithCause(err)
	}
	return errdoc.New(http.StatusBadRequest, "").WithMessage("bind.read_failed").WithCause(err)
}

// Invalid returns a 422 error about the value at pointer, for Validate
// methods: jsonbody.Invalid("/quantity", "The quantity must be positive.").
func Invalid(pointer, detail string) *errdoc.Error {
	return errdoc.New(http.StatusUnprocessableEntity, detail).AtPointer(pointer)
}

// InvalidMessage is Invalid with a detail in the client's language: the
// catalog's message key filled with args (see errdoc.Catalog.WithMessages
// and WithTranslation), for Validate methods of APIs that answer in more
// than one language:
//
//	jsonbody.InvalidMessage("/quantity", "app.quantity_positive", errdoc.Str("max", "100"))
func InvalidMessage(pointer, key string, args ...errdoc.Arg) *errdoc.Error {
	return errdoc.NewMessage(http.StatusUnprocessableEntity, key, args...).AtPointer(pointer)
}
