package demo

import "github.com/faultline-go/faultline/errdoc"

// Catalog returns the default catalog plus the demo's own codes.
func Catalog() *errdoc.Catalog {
	return errdoc.DefaultCatalog().MustWith(errdoc.Entry{
		Status: 404, Code: "record_not_found", Title: "Record not found",
		Description: "The record identified in the request does not exist. The detail names the identifier.",
		LegacyCode:  34, LegacyMessage: "Sorry, that page does not exist.",
	})
}
