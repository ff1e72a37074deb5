// Command echo is sessionkit with the Echo framework: echo.WrapMiddleware
// turns m.Handler into Echo middleware, and handlers read the session with
// session.Get(c.Request()).
//
//	go run .                                          # http://127.0.0.1:8083
//	curl -b jar -c jar http://127.0.0.1:8083/         # {"views":1}, 2, 3...
//	curl -b jar -c jar -d user=alice http://127.0.0.1:8083/login
//	curl -b jar -c jar http://127.0.0.1:8083/me
//	curl -b jar -c jar -X POST http://127.0.0.1:8083/logout
//
// The secret comes from SESSION_SECRET; without it a random one is made, so
// sessions end when the server stops. What every example shares (the
// secret, the cookie options, serving) is in ../internal/exampleapp.
package main

import (
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/sessionkit/session"
	"github.com/sessionkit/session/examples/internal/exampleapp"
	"github.com/sessionkit/session/memstore"
)

func main() {
	exampleapp.Run("echo", "127.0.0.1:8083", newApp)
}

// newApp builds the whole application: the session middleware and the
// routes behind it.
func newApp(secret string) (http.Handler, error) {
	m, err := session.New(exampleapp.Options(secret, memstore.New(memstore.Options{})))
	if err != nil {
		return nil, err
	}
	e := echo.New()
	// The session is saved when the handler returns. An error a handler
	// returns is rendered by Echo's HTTPErrorHandler after that, through
	// the same writer: changes made before the error are kept.
	e.Use(echo.WrapMiddleware(m.Handler))
	e.GET("/", views)
	e.POST("/login", login)
	e.POST("/logout", logout)
	e.GET("/me", me)
	return e, nil
}

// views counts the visitor's requests.
func views(c echo.Context) error {
	s := session.Get(c.Request())
	n, _ := session.GetAs[int](s, "views")
	n++
	if err := s.Set("views", n); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]int{"views": n})
}

// login starts a new session for the user. Regenerate gives it a new ID,
// so an ID someone planted before the login is worthless after it.
func login(c echo.Context) error {
	user := c.FormValue("user")
	if user == "" {
		return echo.NewHTTPError(http.StatusBadRequest, "a user name is required")
	}
	// ...check the password here...
	s := session.Get(c.Request())
	if err := s.Regenerate(c.Request().Context()); err != nil {
		return echo.NewHTTPError(http.StatusServiceUnavailable, "could not log in, try again").SetInternal(err)
	}
	if err := s.Set("user", user); err != nil {
		return err
	}
	return c.String(http.StatusOK, "welcome "+user)
}

// me shows who is logged in.
func me(c echo.Context) error {
	user, ok := session.GetAs[string](session.Get(c.Request()), "user")
	if !ok {
		return echo.NewHTTPError(http.StatusUnauthorized, "not logged in")
	}
	return c.String(http.StatusOK, user)
}

// logout ends the session in the store (and, with DestroyClearsCookie, in
// the browser).
func logout(c echo.Context) error {
	if err := session.Get(c.Request()).Destroy(c.Request().Context()); err != nil {
		return echo.NewHTTPError(http.StatusServiceUnavailable, "could not log out, try again").SetInternal(err)
	}
	return c.String(http.StatusOK, "bye")
}
