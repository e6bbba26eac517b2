package main

import (
	"bytes"
	"encoding/json"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDocgen(t *testing.T) {
	var md bytes.Buffer
	require.NoError(t, run(nil, &md, io.Discard))
	assert.Contains(t, md.String(), "| Code | Text | Description |")
	assert.Contains(t, md.String(), "record_not_found")

	var oa bytes.Buffer
	require.NoError(t, run([]string{"-format", "openapi"}, &oa, io.Discard))
	var doc map[string]any
	require.NoError(t, json.Unmarshal(oa.Bytes(), &doc))
	assert.Equal(t, "3.1.0", doc["openapi"])
	responses := doc["components"].(map[string]any)["responses"].(map[string]any)
	assert.Contains(t, responses, "record_not_found")
	assert.Len(t, responses, 19) // 18 + precondition_failed (412)

	assert.Error(t, run([]string{"-format", "xml"}, io.Discard, io.Discard))
}
