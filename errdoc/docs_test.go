package errdoc_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"testing"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMarkdownListsEveryEntry(t *testing.T) {
	rd := errdoc.NewRenderer(errdoc.Options{Catalog: demoCatalog(t)})
	var b bytes.Buffer
	require.NoError(t, rd.WriteMarkdown(&b, errdoc.DocsOptions{API: "The demo API"}))
	page := b.String()
	assert.Contains(t, page, "| Code | Text | Description |")
	for _, e := range rd.Catalog().Entries() {
		row := regexp.MustCompile(`(?m)^\| <a id="` + e.Code + `"></a>` + strconv.Itoa(e.Status) + ` \| ` + regexp.QuoteMeta(e.Title) + ` \|`)
		assert.Regexp(t, row, page, "row for %s", e.Code)
	}
	// The example documents in the page are valid.
	blocks := regexp.MustCompile("(?s)```json\n(.*?)\n```").FindAllStringSubmatch(page, -1)
	require.Len(t, blocks, 3)
	requireJSONAPI(t, []byte(blocks[0][1]))
	assert.Contains(t, blocks[0][1], "record_not_found")
	requireProblem(t, []byte(blocks[1][1]))
	assert.JSONEq(t, `{"errors":[{"code":88,"message":"Rate limit exceeded"}]}`, blocks[2][1])
}

func TestOpenAPI(t *testing.T) {
	rd := errdoc.NewRenderer(errdoc.Options{Catalog: demoCatalog(t), DocsURL: "https://api.example.com/docs/errors"})
	var b bytes.Buffer
	require.NoError(t, rd.WriteOpenAPI(&b, ""))
	var doc struct {
		OpenAPI    string `json:"openapi"`
		Components struct {
			Schemas   map[string]json.RawMessage `json:"schemas"`
			Responses map[string]struct {
				Content map[string]struct {
					Example json.RawMessage `json:"example"`
				} `json:"content"`
			} `json:"responses"`
		} `json:"components"`
	}
	require.NoError(t, json.Unmarshal(b.Bytes(), &doc))
	assert.Equal(t, "3.1.0", doc.OpenAPI)
	assert.Contains(t, doc.Components.Schemas, "JSONAPIErrors")
	assert.Contains(t, doc.Components.Schemas, "ProblemDetails")
	assert.Contains(t, doc.Components.Schemas, "TwitterErrors")
	for _, e := range rd.Catalog().Entries() {
		resp, ok := doc.Components.Responses[e.Code]
		require.True(t, ok, e.Code)
		if e.Status == 304 {
			assert.Empty(t, resp.Content)
			continue
		}
		requireJSONAPI(t, resp.Content[errdoc.MediaTypeJSONAPI].Example)
		requireProblem(t, resp.Content[errdoc.MediaTypeProblem].Example)
	}
}

func TestDocsHandler(t *testing.T) {
	rd := errdoc.NewRenderer(errdoc.Options{})
	srv := httptest.NewServer(rd.DocsHandler(errdoc.DocsOptions{}))
	defer srv.Close()
	resp, err := http.Get(srv.URL)
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "text/markdown; charset=utf-8", resp.Header.Get("Content-Type"))
	assert.Contains(t, string(body), `<a id="gateway_timeout"></a>504 | Gateway Timeout |`)
	resp, err = http.Get(srv.URL + "?format=openapi")
	require.NoError(t, err)
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.True(t, json.Valid(body))
}
