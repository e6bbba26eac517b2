package errdoc

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Translation is a catalog's text in one more language: every entry's title
// and description, every message's template and, optionally, the text of
// the response-code page. The code, status and
// everything else of an entry never change with the language. Its JSON form
// is what translators edit:
//
//	{"language": "es",
//	 "entries": {"not_found": {"title": "No encontrado", "description": "..."}},
//	 "messages": {"routing.not_found": "Ninguna ruta coincide con {path}."}}
type Translation struct {
	// Language is the BCP 47 tag clients ask for in Accept-Language, such
	// as "es" or "pt-BR".
	Language string `json:"language"`
	// Entries holds the text of every entry of the catalog, by code, and
	// may hold the text of the library's built-in codes the catalog lacks
	// (the entries that answer for the statuses it does not describe).
	Entries map[string]EntryText `json:"entries"`
	// Messages holds the template of every message key of the catalog
	// (Catalog.MessageKeys), with the same placeholders as the default
	// language's.
	Messages map[string]string `json:"messages"`
	// Page holds the response-code page's own text (headings, column
	// names, the reference and the retry guide) by key: every key of
	// PageTexts, with the same placeholders; its "title" and "api" name
	// the page and the API in this language. Empty means the page is not
	// served in this language: DocsHandler answers its readers in the
	// default language.
	Page map[string]string `json:"page,omitempty"`
}

// EntryText is an entry's text in one language.
type EntryText struct {
	Title       string `json:"title"`
	Description string `json:"description"`
	// LegacyMessage is needed only where the entry has one (the Twitter
	// format renders it).
	LegacyMessage string `json:"legacy_message,omitempty"`
}

// ErrInvalidTranslation is wrapped by every *TranslationError.
var ErrInvalidTranslation = errors.New("errdoc: invalid translation")

// TranslationError lists what a translation lacks or gets wrong. Items are
// "entries.<code>", "entries.<code>.title" and so on, "messages.<key>"
// and "page.<key>".
type TranslationError struct {
	Language string
	// Missing are the entries and messages the catalog has and the
	// translation lacks (or leaves empty).
	Missing []string
	// Unknown are the entries and messages the translation has and the
	// catalog lacks (built-in codes excepted): a misspelt code or key.
	Unknown []string
	// Mismatched are the templates whose placeholders differ from the
	// default language's, or that do not parse.
	Mismatched []string
	// Reason is set for a problem with the language itself.
	Reason string
}

func (e *TranslationError) Error() string {
	var b strings.Builder
	b.WriteString("errdoc: translation ")
	b.WriteString(fmt.Sprintf("%q", e.Language))
	if e.Reason != "" {
		b.WriteString(": ")
		b.WriteString(e.Reason)
	}
	list := func(what string, items []string) {
		if len(items) == 0 {
			return
		}
		fmt.Fprintf(&b, "; %d %s: ", len(items), what)
		const show = 10
		for i, it := range items {
			if i == show {
				fmt.Fprintf(&b, ", and %d more", len(items)-show)
				break
			}
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(it)
		}
	}
	list("missing", e.Missing)
	list("unknown", e.Unknown)
	list("mismatched", e.Mismatched)
	return b.String()
}

// Unwrap returns ErrInvalidTranslation.
func (e *TranslationError) Unwrap() error { return ErrInvalidTranslation }

// msgTable holds one language's templates by message key.
type msgTable map[string]string

func (m msgTable) template(key string) (string, bool) {
	t, ok := m[key]
	return t, ok
}

// translation is a Translation checked against its catalog: texts follow
// the catalog's entries, index for index.
type translation struct {
	tag      string
	texts    []EntryText
	messages msgTable
	page     msgTable // nil when the translation has no page texts
	// builtin holds the text of the library's built-in entries the
	// catalog lacks, which answer for the statuses it does not describe.
	builtin map[string]EntryText
}

// WithTranslation returns a new catalog with c's entries, messages and
// languages and one more language; c is unchanged. It returns a
// *TranslationError when t's language is not a well-formed BCP 47 tag or is
// already in c, when t lacks the text of any entry or the template of any
// message, when it has codes or keys c lacks (the text of a built-in code
// c lacks is kept for the entry that answers in its place, see
// Translation.Entries), or when a template's placeholders differ from the
// default language's: a catalog never renders half a language. A non-empty
// Page is checked the same way against PageTexts.
func (c *Catalog) WithTranslation(t Translation) (*Catalog, error) {
	te := &TranslationError{Language: t.Language}
	for _, l := range c.Languages() {
		if strings.EqualFold(l, t.Language) {
			te.Reason = "the catalog already has this language"
			return nil, te
		}
	}
	tr, err := c.check(t)
	if err != nil {
		return nil, err
	}
	n := c.clone()
	n.translations = append(n.translations[:len(n.translations):len(n.translations)], tr)
	return n, nil
}

// check returns t checked against c: every entry's text, every message's
// template with the default language's placeholders, the page's texts when
// t has any. Codes of the library's built-in entries that c lacks are
// kept for the entries that answer in their place (see NewRenderer).
func (c *Catalog) check(t Translation) (*translation, error) {
	te := &TranslationError{Language: t.Language}
	if !validLanguageTag(t.Language) {
		te.Reason = "not a well-formed BCP 47 language tag"
		return nil, te
	}
	tr := &translation{tag: t.Language, texts: make([]EntryText, len(c.entries)), messages: make(msgTable, len(c.messages))}
	for i, e := range c.entries {
		txt, ok := t.Entries[e.Code]
		if !ok {
			te.Missing = append(te.Missing, "entries."+e.Code)
			continue
		}
		if txt.Title == "" {
			te.Missing = append(te.Missing, "entries."+e.Code+".title")
		}
		if txt.Description == "" {
			te.Missing = append(te.Missing, "entries."+e.Code+".description")
		}
		if e.LegacyMessage != "" && txt.LegacyMessage == "" {
			te.Missing = append(te.Missing, "entries."+e.Code+".legacy_message")
		}
		tr.texts[i] = txt
	}
	builtin := map[string]bool{}
	for _, e := range builtinEntries() {
		builtin[e.Code] = true
	}
	for code, txt := range t.Entries {
		if _, ok := c.byCode[code]; ok {
			continue
		}
		if !builtin[code] {
			te.Unknown = append(te.Unknown, "entries."+code)
			continue
		}
		if txt.Title == "" {
			te.Missing = append(te.Missing, "entries."+code+".title")
		}
		if txt.Description == "" {
			te.Missing = append(te.Missing, "entries."+code+".description")
		}
		if tr.builtin == nil {
			tr.builtin = map[string]EntryText{}
		}
		tr.builtin[code] = txt
	}
	for key, def := range c.messages {
		tmpl, ok := t.Messages[key]
		if !ok || tmpl == "" {
			te.Missing = append(te.Missing, "messages."+key)
			continue
		}
		want, _ := parseTemplate(def)
		got, err := parseTemplate(tmpl)
		if err != nil || !sameNames(want, got) {
			te.Mismatched = append(te.Mismatched, "messages."+key)
			continue
		}
		tr.messages[key] = tmpl
	}
	for key := range t.Messages {
		if _, ok := c.messages[key]; !ok {
			te.Unknown = append(te.Unknown, "messages."+key)
		}
	}
	if len(t.Page) > 0 {
		tr.page = checkPage(t.Page, te)
	}
	if len(te.Missing)+len(te.Unknown)+len(te.Mismatched) > 0 {
		sort.Strings(te.Missing)
		sort.Strings(te.Unknown)
		sort.Strings(te.Mismatched)
		return nil, te
	}
	return tr, nil
}

// MustWithTranslation is WithTranslation for start-up code: it panics if
// WithTranslation returns an error.
func (c *Catalog) MustWithTranslation(t Translation) *Catalog {
	n, err := c.WithTranslation(t)
	if err != nil {
		panic(err)
	}
	return n
}

// WithMessages returns a new catalog with templates added to (or replacing)
// c's messages in its default language; c is unchanged. Keys are lowercase
// letters, digits, underscores and dots, starting with a letter; the
// library's own are listed by MessageKeys. A template may change a
// library message's wording but not its placeholders. If c has
// translations, a new key fails with a *TranslationError: add messages
// first, then translations.
func (c *Catalog) WithMessages(templates map[string]string) (*Catalog, error) {
	n := c.clone()
	n.messages = make(msgTable, len(c.messages)+len(templates))
	for k, v := range c.messages {
		n.messages[k] = v
	}
	for k, v := range templates {
		if !validMessageKey(k) {
			return nil, fmt.Errorf("%w: message key %q must be lowercase letters, digits, underscores and dots, starting with a letter", ErrInvalidEntry, k)
		}
		names, err := parseTemplate(v)
		if err != nil {
			return nil, fmt.Errorf("%w: message %q: %v", ErrInvalidEntry, k, err)
		}
		if old, ok := c.messages[k]; ok {
			if want, _ := parseTemplate(old); !sameNames(want, names) {
				return nil, fmt.Errorf("%w: message %q: placeholders %v must stay %v", ErrInvalidEntry, k, names, want)
			}
		} else if len(c.translations) > 0 {
			return nil, &TranslationError{Language: c.translations[0].tag, Missing: []string{"messages." + k}}
		}
		n.messages[k] = v
	}
	return n, nil
}

// MustWithMessages is WithMessages for start-up code: it panics if
// WithMessages returns an error.
func (c *Catalog) MustWithMessages(templates map[string]string) *Catalog {
	n, err := c.WithMessages(templates)
	if err != nil {
		panic(err)
	}
	return n
}

// WithDefaultLanguage returns a new catalog whose default language is
// t's: t's text replaces the text of every entry, message and the
// response-code page (a default language needs its Page), checked as
// WithTranslation checks a translation; c is unchanged. Use it for an API
// whose clients are served in another language first; add English back,
// if wanted, with WithTranslation. It fails if c already has
// translations: choose the default language first.
func (c *Catalog) WithDefaultLanguage(t Translation) (*Catalog, error) {
	if len(c.translations) > 0 {
		return nil, &TranslationError{Language: t.Language, Reason: "the catalog has translations; set its default language first"}
	}
	if len(t.Page) == 0 {
		// The page in the default language is always served: it would
		// be the library's English under another language's name.
		return nil, &TranslationError{Language: t.Language, Missing: []string{"page"}}
	}
	tr, err := c.check(t)
	if err != nil {
		return nil, err
	}
	n := c.clone()
	n.lang, n.messages, n.page, n.builtin = tr.tag, tr.messages, tr.page, tr.builtin
	n.entries = make([]Entry, len(c.entries))
	for i, e := range c.entries {
		txt := tr.texts[i]
		e.Title, e.Description = txt.Title, txt.Description
		if txt.LegacyMessage != "" {
			e.LegacyMessage = txt.LegacyMessage
		}
		n.entries[i] = e
	}
	return n, nil
}

// MustWithDefaultLanguage is WithDefaultLanguage for start-up code: it
// panics if WithDefaultLanguage returns an error.
func (c *Catalog) MustWithDefaultLanguage(t Translation) *Catalog {
	n, err := c.WithDefaultLanguage(t)
	if err != nil {
		panic(err)
	}
	return n
}

// Languages returns the catalog's languages: its default language first,
// then its translations in the order they were added.
func (c *Catalog) Languages() []string {
	if c == nil {
		return nil
	}
	out := make([]string, 0, 1+len(c.translations))
	out = append(out, c.lang)
	for _, tr := range c.translations {
		out = append(out, tr.tag)
	}
	return out
}

// MessageKeys returns the keys of the catalog's messages, sorted: the
// library's own (routing.*, params.*, bind.*, validate.* ...) and those
// added with WithMessages.
func (c *Catalog) MessageKeys() []string {
	if c == nil {
		return nil
	}
	keys := make([]string, 0, len(c.messages))
	for k := range c.messages {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Template returns the template of the message key in language lang, one of
// Languages (compared without regard to case).
func (c *Catalog) Template(lang, key string) (string, bool) {
	src := c.source(c.languageIndex(lang))
	if src == nil {
		return "", false
	}
	return src.template(key)
}

// Text returns the title and description of the entry code in language
// lang, one of Languages (compared without regard to case).
func (c *Catalog) Text(lang, code string) (EntryText, bool) {
	li := c.languageIndex(lang)
	if li < 0 {
		return EntryText{}, false
	}
	i, ok := c.byCode[code]
	if !ok {
		return EntryText{}, false
	}
	if li == 0 {
		e := c.entries[i]
		return EntryText{Title: e.Title, Description: e.Description, LegacyMessage: e.LegacyMessage}, true
	}
	return c.translations[li-1].texts[i], true
}

// Detail returns the detail e renders in language lang (one of Languages;
// any other means the default language) when its status shows details:
// its Message in that language, else its Detail.
func (c *Catalog) Detail(e *Error, lang string) string {
	if e == nil {
		return ""
	}
	if e.Message.Key != "" {
		li := c.languageIndex(lang)
		if li < 0 {
			li = 0
		}
		if src := c.source(li); src != nil {
			if _, ok := src.template(e.Message.Key); ok {
				return string(appendMessage(nil, &e.Message, src, nil, 0))
			}
		}
	}
	return e.Detail
}

// languageIndex returns 0 for the default language, i for translation
// i-1, and -1 for a language the catalog lacks.
func (c *Catalog) languageIndex(lang string) int {
	if c == nil {
		return -1
	}
	if strings.EqualFold(lang, c.lang) {
		return 0
	}
	for i, tr := range c.translations {
		if strings.EqualFold(lang, tr.tag) {
			return i + 1
		}
	}
	return -1
}

// source returns the templates of language index li, nil for none.
func (c *Catalog) source(li int) msgTable {
	switch {
	case c == nil:
		return nil
	case li == 0:
		return c.messages
	case li > 0 && li <= len(c.translations):
		return c.translations[li-1].messages
	}
	return nil
}

// clone returns a shallow copy of c; every method that changes a catalog
// builds a new one, so the maps and slices it shares are never written.
func (c *Catalog) clone() *Catalog {
	n := *c
	return &n
}

// validLanguageTag reports whether tag has the shape of a BCP 47 language
// tag: subtags of 1 to 8 letters and digits joined by '-', the first 2 to
// 8 letters. It does not check registries.
func validLanguageTag(tag string) bool {
	if tag == "" || len(tag) > 64 {
		return false
	}
	first := true
	for tag != "" {
		sub := tag
		if i := strings.IndexByte(tag, '-'); i >= 0 {
			sub, tag = tag[:i], tag[i+1:]
			if tag == "" {
				return false // a trailing '-'
			}
		} else {
			tag = ""
		}
		if len(sub) == 0 || len(sub) > 8 || first && len(sub) < 2 {
			return false
		}
		for j := 0; j < len(sub); j++ {
			c := sub[j]
			letter := c|0x20 >= 'a' && c|0x20 <= 'z'
			if !letter && (first || c < '0' || c > '9') {
				return false
			}
		}
		first = false
	}
	return true
}
