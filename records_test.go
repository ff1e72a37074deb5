package session

import (
	"encoding/json"
	"os"
	"testing"
	"time"

	"github.com/sessionkit/session/internal/wire"
	"github.com/sessionkit/session/record"
)

// recordCase is one case of testdata/records.json, produced by the real
// express-session 1.19.0 (testdata/gen-records.js).
type recordCase struct {
	Name           string         `json:"name"`
	Kind           string         `json:"kind"`
	Now            int64          `json:"now"`
	CookieOptions  map[string]any `json:"cookieOptions"`
	Set            [][2]string    `json:"set"`
	Stored         string         `json:"stored"`
	Record         string         `json:"record"`
	SetCookie      *string        `json:"setCookie"`
	SetCookieError *string        `json:"setCookieError"`
}

func loadRecordCases(t *testing.T) []recordCase {
	t.Helper()
	b, err := os.ReadFile("testdata/records.json")
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Version string       `json:"express-session"`
		Cases   []recordCase `json:"cases"`
	}
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	if f.Version != "1.19.0" || len(f.Cases) < 30 {
		t.Fatalf("records.json: express-session %s, %d cases", f.Version, len(f.Cases))
	}
	return f.Cases
}

// afterCreate applies what the generator's extra functions did in Node.
var afterCreate = map[string]func(c *cookieState, now int64){
	"cookie-expires-false":   func(c *cookieState, now int64) { c.setExpires(expiry{other: jsBoolean(false)}, now) },
	"cookie-max-age-changed": func(c *cookieState, now int64) { c.setMaxAge(3000000000, now) },
	"cookie-max-age-null":    func(c *cookieState, now int64) { c.setExpires(expiry{other: jsval{kind: jsNull}}, now) },
	"epoch-expires":          func(c *cookieState, now int64) { c.setExpires(timeExpiry(time.Unix(0, 0)), now) },
}

func TestRecordsMatchExpressSession(t *testing.T) {
	for _, tc := range loadRecordCases(t) {
		t.Run(tc.Name, func(t *testing.T) {
			var d data
			var c cookieState
			switch tc.Kind {
			case "created":
				opts := cookieOptionsFromJS(t, tc.CookieOptions)
				if err := opts.validate(); err != nil && tc.Name != "invalid-expires" {
					t.Fatalf("options rejected: %v", err)
				}
				c = newCookieState(&opts, tc.Now, false)
				if f := afterCreate[tc.Name]; f != nil {
					f(&c, tc.Now)
				}
				d = newData()
				for _, kv := range tc.Set {
					var v any
					if err := json.Unmarshal([]byte(kv[1]), &v); err != nil {
						t.Fatal(err)
					}
					if isComposite(v) {
						// A Go map has no key order; ordered values keep theirs.
						v = json.RawMessage(kv[1])
					}
					raw, err := marshalValue(v)
					if err != nil {
						t.Fatal(err)
					}
					d.put(entry{key: kv[0], raw: raw, val: v, has: true, live: isComposite(v)})
				}
				if err := d.refresh(); err != nil {
					t.Fatal(err)
				}
			case "loaded", "touched":
				var rawCookie []byte
				var err error
				d, _, rawCookie, err = decodeRecord([]byte(tc.Stored))
				if err != nil {
					t.Fatal(err)
				}
				if c, err = decodeCookie(rawCookie); err != nil {
					t.Fatal(err)
				}
				if tc.Kind == "touched" {
					c.touch(tc.Now)
				}
			}
			if got := string(d.appendJSON(nil, &c)); got != tc.Record {
				t.Errorf("record\n got %s\nwant %s", got, tc.Record)
			}
			if tc.Kind != "created" {
				return
			}
			line, err := setCookieLine(&c)
			switch {
			case tc.SetCookie != nil && line != *tc.SetCookie:
				t.Errorf("Set-Cookie\n got %s (err %v)\nwant %s", line, err, *tc.SetCookie)
			case tc.SetCookieError != nil && err == nil:
				t.Errorf("Set-Cookie: got %s, want error %q", line, *tc.SetCookieError)
			}
		})
	}
}

func setCookieLine(c *cookieState) (string, error) {
	m := &Manager{cfg: &config{Options: Options{Name: "connect.sid"}, secrets: [][]byte{[]byte("keyboard cat")}}}
	return m.setCookie("apple", c)
}

// cookieOptionsFromJS maps the generator's express cookie options.
func cookieOptionsFromJS(t *testing.T, m map[string]any) CookieOptions {
	var o CookieOptions
	for k, v := range m {
		switch k {
		case "maxAge":
			o.MaxAge = time.Duration(v.(float64) * float64(time.Millisecond))
		case "expires":
			if tm, ok := record.ParseTime(v.(string)); ok {
				o.Expires = tm
			} else {
				o.Expires = time.Unix(1<<50, 0) // an instant no JavaScript Date can hold
			}
		case "path":
			o.Path = v.(string)
		case "domain":
			o.Domain = v.(string)
		case "priority":
			o.Priority = Priority(v.(string))
		case "httpOnly":
			o.HTTPOnly = map[bool]Toggle{true: On, false: Off}[v.(bool)]
		case "secure":
			o.Secure = map[bool]Toggle{true: On, false: Off}[v.(bool)]
		case "partitioned":
			o.Partitioned = map[bool]Toggle{true: On, false: Off}[v.(bool)]
		case "sameSite":
			switch x := v.(type) {
			case bool:
				o.SameSite = map[bool]SameSite{true: "true", false: "false"}[x]
			case string:
				o.SameSite = SameSite(x)
			}
		default:
			t.Fatalf("unmapped cookie option %q", k)
		}
	}
	return o
}

// TestSetCookieSignatureVector checks the conformance vector from the spec.
func TestSetCookieSignatureVector(t *testing.T) {
	v, err := wire.EncodeURIComponent("s:" + wire.Sign("apple", []byte("keyboard cat")))
	if err != nil || v != "s%3Aapple.D8Y%2BpkTAmeR0PobOhY4G97PRW%2Bj7bUnP%2F5m6%2FOn1MCU" {
		t.Fatalf("got %q, %v", v, err)
	}
}
