package session

import (
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/sessionkit/session/internal/wire"
	"github.com/sessionkit/session/memstore"
	"github.com/sessionkit/session/store"
)

// Options configure a [Manager]. The zero value of every field is useful
// except Secrets, which is required.
type Options struct {
	// Secrets sign the session cookie. The first signs; every one is tried
	// when verifying, so rotate by putting the new secret first and keeping
	// the old ones after it until their cookies have expired.
	// (express-session: secret)
	Secrets []string

	// Name is the session cookie's name. Default "connect.sid".
	Name string

	// Cookie configures the cookie of new sessions. Sessions loaded from
	// the store keep the cookie settings they were created with.
	Cookie CookieOptions

	// CookieFunc, if set, is called for each request instead of using
	// Cookie (express-session 1.19's cookie option as a function). Its Path
	// also decides which requests get a session. Its results are not
	// validated by New: an invalid attribute is reported to ErrorHandler
	// when the cookie is written, and the cookie is not sent.
	CookieFunc func(r *http.Request) CookieOptions

	// GenID returns the ID of a new session. Default: 24 random bytes from
	// crypto/rand, base64url encoded (32 characters), as uid-safe does.
	GenID func(r *http.Request) string

	// Proxy says how to tell that a request arrived over HTTPS when the
	// connection itself is not TLS. On: trust the X-Forwarded-Proto header.
	// Off: never. Default: ask RequestIsSecure.
	Proxy Toggle

	// RequestIsSecure reports whether a request arrived over HTTPS, for
	// Proxy Default (express's "trust proxy" setting). Default: never,
	// beyond a TLS connection, which always counts.
	RequestIsSecure func(r *http.Request) bool

	// Resave writes an unmodified session back to the store on every
	// request. express-session defaults it to true (deprecated); here the
	// zero value is false, as in express-session 2 and its README's advice.
	Resave bool

	// Rolling sends the cookie, with a renewed expiry, on every response.
	Rolling bool

	// SaveUninitialized stores new sessions that were not modified (and
	// sends their cookie). express-session defaults it to true
	// (deprecated); here the zero value is false.
	SaveUninitialized bool

	// Unset says what happens to the stored session when a handler calls
	// Session.Unset: keep it (default) or destroy it.
	Unset UnsetMode

	// Store keeps the sessions. Default: a new memstore.Store.
	Store store.Store

	// Logger receives debug lines equivalent to express-session's
	// DEBUG=express-session output, at Debug level, and errors that happen
	// after the response headers were sent, at Error level. They never
	// contain session data, secrets or cookie values; session IDs appear
	// only as a short hash. Default: nothing at Debug level unless the
	// environment variable DEBUG names "sessionkit" or "express-session"
	// (comma separated, "*" for all); errors go to slog.Default().
	Logger *slog.Logger

	// ErrorHandler is called with every error the middleware meets while
	// serving a request. Before the response headers are written it must
	// write the response (default: 500 with a plain body). Once they are
	// written — a failed end-of-request store write, a cookie that cannot be
	// serialised — err wraps ErrHeadersSent and nothing more can be sent;
	// the default only logs it.
	ErrorHandler func(w http.ResponseWriter, r *http.Request, err error)

	// DestroyClearsCookie makes Session.Destroy also expire the cookie in
	// the browser (express-session issue #241). Default: the cookie stays,
	// as in express-session 1.x.
	DestroyClearsCookie bool

	// AbsoluteTimeout, if positive, ends a session this long after it was
	// created, however active it is. The creation time is kept in the
	// session as the data key "__created" (milliseconds since the epoch),
	// which Node apps sharing the store see as ordinary data. A session
	// loaded without it (older than the setting, or made by Node) gets it
	// then, so its limit runs from that request.
	AbsoluteTimeout time.Duration

	// TouchInterval, if positive, refreshes the store's expiry of an
	// unmodified session at most once per interval, so a read-only request
	// costs one store round trip (express-session issues #727, #891). The
	// stored expiry can then lag the cookie's by up to the interval.
	TouchInterval time.Duration
}

// CookieOptions configure the session cookie of new sessions.
type CookieOptions struct {
	// Path of the cookie, default "/". Only requests whose path starts with
	// it get a session (express-session's plain prefix match).
	Path string

	// Domain of the cookie; default none (the host that set it).
	Domain string

	// MaxAge is the session's lifetime, renewed on every request. Zero
	// means a browser-session cookie with no expiry; negative means
	// already expired.
	MaxAge time.Duration

	// Expires fixes the first expiry instead of MaxAge; it then renews by
	// the same duration. Prefer MaxAge. Setting both is an error.
	Expires time.Time

	// HTTPOnly: Default and On set the HttpOnly attribute; Off leaves it
	// out, exposing the cookie to JavaScript.
	HTTPOnly Toggle

	// Secure: On sets the Secure attribute and sends the cookie only on
	// requests that arrived over HTTPS; Auto does that when the request
	// that creates the session is secure. Default and Off leave it out;
	// they differ only in the stored record, where Off writes
	// "secure":false as express-session does for secure: false.
	Secure Toggle

	// SameSite attribute; default none.
	SameSite SameSite

	// Partitioned: On sets the Partitioned attribute (CHIPS). Default and
	// Off leave it out (Off is recorded as false).
	Partitioned Toggle

	// Priority attribute; default none.
	Priority Priority
}

// Toggle is a setting with a default: the zero value Default means "as
// express-session does when the option is absent".
type Toggle uint8

// Toggle values. Auto is valid only for CookieOptions.Secure.
const (
	Default Toggle = iota
	On
	Off
	Auto
)

// SameSite is the cookie's SameSite attribute. Values are case-insensitive
// and recorded in the session as written. "true" and "false" stand for
// express-session's boolean forms (true means Strict, false means none) and
// are recorded as JSON booleans.
type SameSite string

// SameSite values.
const (
	SameSiteLax    SameSite = "lax"
	SameSiteStrict SameSite = "strict"
	SameSiteNone   SameSite = "none"
	// SameSiteAuto is None on a secure request, Lax otherwise, decided
	// when the session is created.
	SameSiteAuto SameSite = "auto"
)

// Priority is the cookie's Priority attribute, case-insensitive.
type Priority string

// Priority values.
const (
	PriorityLow    Priority = "low"
	PriorityMedium Priority = "medium"
	PriorityHigh   Priority = "high"
)

// UnsetMode is what happens to the stored session when a handler unsets it.
type UnsetMode uint8

// UnsetMode values.
const (
	UnsetKeep UnsetMode = iota
	UnsetDestroy
)

// config is Options validated and with defaults applied.
type config struct {
	Options
	secrets  [][]byte
	toucher  store.Toucher
	readier  store.Readier
	rewriter store.Rewriter
	debug    *slog.Logger // nil: debug lines off
}

func newConfig(o Options) (*config, error) {
	c := &config{Options: o}
	if len(o.Secrets) == 0 {
		return nil, optionErr("Secrets", "at least one secret is required to sign session cookies; load it from the environment, e.g. Secrets: []string{os.Getenv(\"SESSION_SECRET\")}")
	}
	for i, s := range o.Secrets {
		if s == "" {
			return nil, optionErr("Secrets", fmt.Sprintf("secret %d is empty", i))
		}
		c.secrets = append(c.secrets, []byte(s))
	}
	if c.Name == "" {
		c.Name = "connect.sid"
	}
	if !wire.ValidName(c.Name) {
		return nil, optionErr("Name", fmt.Sprintf("%q is not a valid cookie name (letters, digits and !#$%%&'*+-.^_`|~ only)", c.Name))
	}
	if err := c.Cookie.validate(); err != nil {
		return nil, err
	}
	if c.GenID == nil {
		c.GenID = func(*http.Request) string { return wire.NewID() }
	}
	if c.Proxy > Off {
		return nil, optionErr("Proxy", "must be Default, On or Off")
	}
	if c.RequestIsSecure == nil {
		c.RequestIsSecure = func(*http.Request) bool { return false }
	}
	if c.Unset > UnsetDestroy {
		return nil, optionErr("Unset", "must be UnsetKeep or UnsetDestroy")
	}
	if c.AbsoluteTimeout < 0 || c.TouchInterval < 0 {
		return nil, optionErr("AbsoluteTimeout/TouchInterval", "must not be negative")
	}
	if c.Store == nil {
		c.Store = memstore.New(memstore.Options{})
	}
	c.toucher, _ = c.Store.(store.Toucher)
	c.readier, _ = c.Store.(store.Readier)
	c.rewriter, _ = c.Store.(store.Rewriter)
	c.debug = debugLogger(c.Logger)
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.ErrorHandler == nil {
		logger := c.Logger
		c.ErrorHandler = func(w http.ResponseWriter, r *http.Request, err error) {
			logger.ErrorContext(r.Context(), "session middleware error", "err", err, "path", r.URL.Path)
			if !isLate(err) {
				http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
			}
		}
	}
	return c, nil
}

func (o *CookieOptions) validate() error {
	if o.Path != "" && !wire.ValidPath(o.Path) {
		return optionErr("Cookie.Path", fmt.Sprintf("%q has characters a cookie path cannot hold", o.Path))
	}
	if o.Domain != "" && !wire.ValidDomain(o.Domain) {
		return optionErr("Cookie.Domain", fmt.Sprintf("%q is not a valid domain", o.Domain))
	}
	if y := o.Expires.UTC().Year(); !o.Expires.IsZero() && (y < 1601 || y > 9999) {
		return optionErr("Cookie.Expires", fmt.Sprintf("year %d cannot be written in a cookie (1601 to 9999)", y))
	}
	if o.MaxAge != 0 && !o.Expires.IsZero() {
		return optionErr("Cookie", "set MaxAge or Expires, not both")
	}
	if o.HTTPOnly > Off || o.Partitioned > Off {
		return optionErr("Cookie", "HTTPOnly and Partitioned must be Default, On or Off")
	}
	if o.Secure > Auto {
		return optionErr("Cookie.Secure", "must be Default, On, Off or Auto")
	}
	if _, ok := sameSiteAttr(o.SameSite); !ok && !strings.EqualFold(string(o.SameSite), string(SameSiteAuto)) {
		return optionErr("Cookie.SameSite", fmt.Sprintf("%q is not lax, strict, none or auto", string(o.SameSite)))
	}
	if _, ok := priorityAttr(o.Priority); !ok {
		return optionErr("Cookie.Priority", fmt.Sprintf("%q is not low, medium or high", string(o.Priority)))
	}
	return nil
}

// sameSiteAttr returns the attribute value for s ("" for none).
func sameSiteAttr(s SameSite) (string, bool) {
	switch strings.ToLower(string(s)) {
	case "", "false":
		return "", true
	case "true", "strict":
		return "Strict", true
	case "lax":
		return "Lax", true
	case "none":
		return "None", true
	}
	return "", false
}

func priorityAttr(p Priority) (string, bool) {
	switch strings.ToLower(string(p)) {
	case "":
		return "", true
	case "low":
		return "Low", true
	case "medium":
		return "Medium", true
	case "high":
		return "High", true
	}
	return "", false
}

func optionErr(option, why string) error {
	return fmt.Errorf("session: invalid option %s: %s", option, why)
}
