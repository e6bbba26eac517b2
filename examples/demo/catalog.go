package demo

import (
	"github.com/faultline-go/faultline/errdoc"
	"github.com/faultline-go/faultline/errdoc/translations"
)

// Catalog returns the default catalog plus the demo's own code and
// message, in English and Spanish: a client sending "Accept-Language: es"
// reads its documents and the response-code page in Spanish (contract row
// 34).
func Catalog() *errdoc.Catalog {
	return errdoc.DefaultCatalog().
		MustWith(errdoc.Entry{
			Status: 404, Code: "record_not_found", Title: "Record not found",
			Description: "The record identified in the request does not exist. The detail names the identifier.",
			LegacyCode:  34, LegacyMessage: "Sorry, that page does not exist.",
		}).
		MustWithMessages(map[string]string{
			"demo.record_not_found": "The record identified by {id} could not be found.",
		}).
		MustWithTranslation(spanish())
}

// spanish is the library's Spanish plus the demo's own code, message and
// name.
func spanish() errdoc.Translation {
	es := translations.Spanish()
	es.Entries["record_not_found"] = errdoc.EntryText{Title: "Registro no encontrado",
		Description:   "El registro identificado en la solicitud no existe. El detalle indica el identificador.",
		LegacyMessage: "Lo sentimos, esa página no existe."}
	es.Messages["demo.record_not_found"] = "No se encontró el registro identificado por {id}."
	es.Page["api"] = "La API de demostración de faultline"
	return es
}

// recordNotFound is the 404 of a missing item, naming its ID.
func recordNotFound(id string) *errdoc.Error {
	return errdoc.Coded("record_not_found", "").WithMessage("demo.record_not_found", errdoc.Str("id", id))
}
