package errdoc

// retryAdvice says, for the response-code page, whether sending a request
// again can change an answer of one status: the page's Retry column, which
// its retry guide explains.
type retryAdvice uint8

const (
	retryNotAnError  retryAdvice = iota // 200, 304: nothing to retry
	retryNo                             // the same request fails the same way
	retryAfterFix                       // the request (or the account) must change first
	retryAfterAuth                      // with credentials first
	retryAfterReread                    // after reading the resource's current state again
	retryAfterWait                      // after Retry-After
	retryBackoff                        // later, with growing waits
	retrySoon                           // at once, once: the cause was in transit
)

// key names the advice in the page's texts: "retry.<key>" is its label in
// the Retry column, "retry.<key>.meaning" its explanation; "" for
// retryNotAnError.
func (a retryAdvice) key() string {
	switch a {
	case retryNo:
		return "no"
	case retryAfterFix:
		return "after_fix"
	case retryAfterAuth:
		return "after_auth"
	case retryAfterReread:
		return "after_reread"
	case retryAfterWait:
		return "after_wait"
	case retryBackoff:
		return "backoff"
	case retrySoon:
		return "soon"
	}
	return ""
}

// label is the advice as the page's Retry column shows it, in tx's
// language.
func (a retryAdvice) label(tx pageText) string {
	if k := a.key(); k != "" {
		return tx.s("retry." + k)
	}
	return "–"
}

// class is the advice's style on the page: "yes" (retrying helps), "no",
// "cond" (after a change) or "none" (not an error).
func (a retryAdvice) class() string {
	switch a {
	case retryNotAnError:
		return "none"
	case retryNo:
		return "no"
	case retryAfterWait, retryBackoff, retrySoon:
		return "yes"
	}
	return "cond"
}

// retryFor returns the advice for a status. The page derives it from the
// status alone, so that an application's own codes ("record_not_found",
// a 404) get their status's advice; a status this table does not know gets
// its class's: a 4xx needs a changed request, a 5xx may pass later.
func retryFor(status int) retryAdvice {
	switch status {
	case 200, 304:
		return retryNotAnError
	case 403, 404, 410, 451, 501:
		return retryNo
	case 401, 407, 511:
		return retryAfterAuth
	case 409, 412, 428:
		return retryAfterReread
	case 420, 429, 503:
		return retryAfterWait
	case 423, 500, 502, 504, 507:
		return retryBackoff
	case 408, 421, 425:
		return retrySoon
	case 505:
		return retryAfterFix // another HTTP version
	}
	if status >= 500 {
		return retryBackoff
	}
	return retryAfterFix
}
