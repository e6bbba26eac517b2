package main

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"testing"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/faultline-go/faultline/examples/demo"
	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDocgen(t *testing.T) {
	var md bytes.Buffer
	require.NoError(t, run(nil, &md, io.Discard))
	assert.Contains(t, md.String(), "| Code | Text | Description |")
	assert.Contains(t, md.String(), "record_not_found")

	var html bytes.Buffer
	require.NoError(t, run([]string{"-format", "html"}, &html, io.Discard))
	assert.True(t, strings.HasPrefix(html.String(), "<!DOCTYPE html>"))
	assert.Contains(t, html.String(), `<tr id="record_not_found">`)

	var oa bytes.Buffer
	require.NoError(t, run([]string{"-format", "openapi"}, &oa, io.Discard))
	var doc map[string]any
	require.NoError(t, json.Unmarshal(oa.Bytes(), &doc))
	assert.Equal(t, "3.1.0", doc["openapi"])
	assert.Empty(t, doc["paths"])
	responses := doc["components"].(map[string]any)["responses"].(map[string]any)
	assert.Contains(t, responses, "record_not_found")
	assert.Len(t, responses, len(demo.Catalog().Entries()))

	oa.Reset()
	require.NoError(t, run([]string{"-format", "openapi", "-paths", "-docs-url", "https://api.example.com/docs/errors"}, &oa, io.Discard))
	doc = nil
	require.NoError(t, json.Unmarshal(oa.Bytes(), &doc))
	assert.Contains(t, doc["paths"], "/v1/items/{id}")
	parsed, err := libopenapi.NewDocument(oa.Bytes())
	require.NoError(t, err)
	v, errs := validator.NewValidator(parsed)
	require.Empty(t, errs)
	valid, verrs := v.ValidateDocument()
	assert.True(t, valid, "%v", verrs)
	assert.Equal(t, "https://api.example.com", doc["servers"].([]any)[0].(map[string]any)["url"])

	// -lang names a language with page texts; the default one always has them.
	var en bytes.Buffer
	require.NoError(t, run([]string{"-format", "html", "-lang", "en"}, &en, io.Discard))
	assert.Equal(t, html.String(), en.String())
	err = run([]string{"-format", "html", "-lang", "xx"}, io.Discard, io.Discard)
	assert.ErrorIs(t, err, errdoc.ErrNoPageLanguage)
	assert.Error(t, run([]string{"-format", "openapi", "-lang", "en"}, io.Discard, io.Discard))

	assert.Error(t, run([]string{"-format", "xml"}, io.Discard, io.Discard))
	assert.Error(t, run([]string{"stray"}, io.Discard, io.Discard))
}
