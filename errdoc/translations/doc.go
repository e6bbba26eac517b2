// Package translations holds ready translations of the library's own text
// for errdoc catalogs: every code of errdoc.DefaultCatalog, every message
// the library's middlewares render (Bind's and Params' details included)
// and the response-code page. Each function returns a fresh
// errdoc.Translation, so an application adds its own codes and messages
// to it before handing it to Catalog.WithTranslation, which refuses a
// translation that lacks any of them:
//
//	es := translations.Spanish()
//	es.Entries["record_not_found"] = errdoc.EntryText{Title: "Registro no encontrado", Description: "..."}
//	es.Messages["app.record_not_found"] = "No existe ningún artículo con el ID {id}."
//	es.Page["api"] = "La API de artículos"
//	catalog := errdoc.DefaultCatalog().
//		MustWith(recordNotFound).
//		MustWithMessages(map[string]string{"app.record_not_found": "No item has the ID {id}."}).
//		MustWithTranslation(es)
//
// The tests of this package fail when the library gains a code, a message
// or a page text a translation lacks.
package translations

import "github.com/faultline-go/faultline/errdoc"

// Spanish returns the library's text in Spanish ("es"): neutral Spanish,
// with JSON's and HTTP's own words (true, Content-Type, Retry-After) as
// they are.
func Spanish() errdoc.Translation {
	return errdoc.Translation{
		Language: "es",
		Entries:  spanishEntries(),
		Messages: spanishMessages(),
		Page:     spanishPage(),
	}
}
