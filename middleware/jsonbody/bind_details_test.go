package jsonbody_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/faultline-go/faultline/middleware/jsonbody"
)

type window struct {
	From int `json:"from"`
	To   int `json:"to" validate:"gtfield=From"`
}

// signup has a field of each kind and tags that name other fields.
type signup struct {
	Password string    `json:"password" validate:"min=8"`
	Confirm  string    `json:"confirm_password" validate:"eqfield=Password"`
	Start    time.Time `json:"start" validate:"gt"`
	Window   window    `json:"window"`
	Limit    int       `json:"limit" validate:"ltecsfield=Window.To"`
	Code     string    `json:"code" validate:"omitempty,hexadecimal"`
	Digest   string    `json:"digest" validate:"omitempty,md5"`
	U16      uint16    `json:"u16"`
	U64      uint64    `json:"u64"`
	I32      int32     `json:"i32"`
	F64      float64   `json:"f64"`
	F32      float32   `json:"f32"`
	B        bool      `json:"b"`
}

// TestBindDetails pins the details a client reads: each says what to
// send, in JSON's terms and the API's names, never Go's.
func TestBindDetails(t *testing.T) {
	future := time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
	valid := `"password":"12345678","confirm_password":"12345678","start":"` + future + `","window":{"from":1,"to":2},"limit":2`
	b := jsonbody.NewBinder(jsonbody.BindOptions{})
	cat := errdoc.DefaultCatalog() // details are messages: compared rendered, in English
	for _, tc := range []struct {
		body string
		want map[string]string
	}{
		{`{` + valid + `}`, nil},
		{`{"password":"short","confirm_password":"other","start":"2001-01-01T00:00:00Z","window":{"from":5,"to":1},"limit":9,"code":"xyz","digest":"x"}`, map[string]string{
			"/password":         "/password must have at least 8 characters.",
			"/confirm_password": "/confirm_password must equal /password.",
			"/start":            "/start must be in the future.",
			"/window/to":        "/window/to must be greater than /window/from.",
			"/limit":            "/limit must be at most /window/to.",
			"/code":             "/code must be a hexadecimal number.",
			"/digest":           `/digest does not satisfy the rule "md5".`,
		}},
		{`{` + valid + `,"u16":70000,"u64":-1,"i32":"x","f64":1e400,"f32":-1e39,"b":1}`, map[string]string{
			"/u16": "The value at /u16 must be an integer from 0 to 65535.",
			"/u64": "The value at /u64 must be an integer of 0 or more.",
			"/i32": "The value at /i32 must be an integer from -2147483648 to 2147483647.",
			"/f64": "The value at /f64 is too large.",
			"/f32": "The value at /f32 must be a number between -3.4e38 and 3.4e38.",
			"/b":   "The value at /b must be true or false.",
		}},
		// /password is refused: the eqfield of /confirm_password, which
		// would compare with the zero left in its place, is not reported.
		{`{"password":12345678,"confirm_password":"12345678","start":"` + future + `","window":{"from":1,"to":2},"limit":2}`, map[string]string{
			"/password": "The value at /password must be a string.",
		}},
		{`{` + valid + `,"u64":123456789012345678901234567890,"f64":-1e400}`, map[string]string{
			"/u64": "The value at /u64 is too large.",
			"/f64": "The value at /f64 is too small.",
		}},
	} {
		req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(tc.body))
		req.Header.Set("Content-Type", "application/json")
		var v signup
		err := b.Decode(req, &v)
		if tc.want == nil {
			require.NoError(t, err)
			continue
		}
		var list errdoc.List
		if !errors.As(err, &list) {
			var e *errdoc.Error
			require.ErrorAs(t, err, &e, "%s", tc.body)
			list = errdoc.List{e}
		}
		got := map[string]string{}
		for _, e := range list {
			got[e.Source.Pointer] = cat.Detail(e, "en")
		}
		assert.Equal(t, tc.want, got, "%s", tc.body)
	}
}
