package errdoc

import (
	"errors"
	"fmt"
	"strings"
)

// Code is a catalog code checked when the program starts: errors built from
// it carry a code the catalog is known to hold, so a typo fails at start-up
// (or in the first test that loads the package) instead of reaching a
// client. Get one with Catalog.MustCode:
//
//	var errRecordNotFound = catalog.MustCode("record_not_found")
//	...
//	errdoc.Write(w, r, errRecordNotFound.New("No item has the ID "+id+"."))
//
// The zero Code builds 500 errors.
type Code struct {
	code   string
	status int
}

// ErrUnknownCode is wrapped by the errors Catalog.Check returns, and is the
// panic value's cause of Catalog.MustCode, for a code the catalog lacks.
var ErrUnknownCode = errors.New("errdoc: code not in the catalog")

// MustCode returns the Code for code. It panics, at start-up where package
// variables are initialised, if the catalog has no entry for code.
func (c *Catalog) MustCode(code string) Code {
	e, ok := c.Lookup(code)
	if !ok {
		panic(fmt.Errorf("%w: %q", ErrUnknownCode, code))
	}
	return Code{code: e.Code, status: e.Status}
}

// Check returns an error wrapping ErrUnknownCode that names every code the
// catalog lacks, or nil. An application's tests call it with the codes the
// application uses (for errors built with Coded rather than MustCode).
func (c *Catalog) Check(codes ...string) error {
	var missing []string
	for _, code := range codes {
		if _, ok := c.Lookup(code); !ok {
			missing = append(missing, fmt.Sprintf("%q", code))
		}
	}
	if missing == nil {
		return nil
	}
	return fmt.Errorf("%w: %s", ErrUnknownCode, strings.Join(missing, ", "))
}

// New returns an error of this code with the given client-facing detail;
// its status and title come from the catalog entry.
func (c Code) New(detail string) *Error {
	if c.code == "" {
		return &Error{Status: 500, Detail: detail}
	}
	return &Error{Status: c.status, Code: c.code, Detail: detail}
}

// String returns the code.
func (c Code) String() string { return c.code }

// Status returns the HTTP status of the code's catalog entry.
func (c Code) Status() int {
	if c.code == "" {
		return 500
	}
	return c.status
}
