package main

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/faultline-go/faultline/errdoc"
)

var catalog = errdoc.DefaultCatalog().MustWith(errdoc.Entry{
	Status: 404, Code: "record_not_found", Title: "Record not found",
	Description: "The record identified in the request does not exist.",
})

var errRecordNotFound = catalog.MustCode("record_not_found") // panics at start-up on a typo

var renderer = errdoc.NewRenderer(errdoc.Options{Catalog: catalog}) // r.Use(renderer.Handler): documents from this catalog

// getRecord answers every ID but 1 with the catalog's record_not_found.
func getRecord(w http.ResponseWriter, r *http.Request) {
	id := chi.URLParam(r, "id")
	if id != "1" {
		errdoc.Write(w, r, errRecordNotFound.New("No item has the ID "+id+"."))
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
