// Command gin is sessionkit with the gin framework. gin has no hook for
// net/http middleware, so adapter.go adapts it: r.Use(sessions(m)) runs the
// rest of the chain inside m.Handler, and handlers read the session with
// session.Get(c.Request).
//
//	go run .                                          # http://127.0.0.1:8084
//	curl -b jar -c jar http://127.0.0.1:8084/         # {"views":1}, 2, 3...
//	curl -b jar -c jar -d user=alice http://127.0.0.1:8084/login
//	curl -b jar -c jar http://127.0.0.1:8084/me
//	curl -b jar -c jar -N http://127.0.0.1:8084/events  # server-sent events
//	curl -b jar -c jar -X POST http://127.0.0.1:8084/logout
//
// The secret comes from SESSION_SECRET; without it a random one is made, so
// sessions end when the server stops. What every example shares (the
// secret, the cookie options, serving) is in ../internal/exampleapp.
package main

import (
	"context"
	"io"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/sessionkit/session"
	"github.com/sessionkit/session/examples/internal/exampleapp"
	"github.com/sessionkit/session/memstore"
)

func main() {
	exampleapp.Run("gin", "127.0.0.1:8084", func(secret string) (http.Handler, error) {
		return newApp(secret, exampleapp.Every(time.Second))
	})
}

// newApp builds the whole application: gin's logger and recovery, the
// session middleware, and the routes behind it. wait paces the events of
// /events: it returns when the next one is due.
func newApp(secret string, wait func(context.Context) error) (http.Handler, error) {
	m, err := session.New(exampleapp.Options(secret, memstore.New(memstore.Options{})))
	if err != nil {
		return nil, err
	}
	r := gin.New()
	r.Use(gin.Logger(), gin.Recovery(), sessions(m))
	r.GET("/", views)
	r.POST("/login", login)
	r.POST("/logout", logout)
	r.GET("/me", me)
	r.GET("/events", events(wait))
	return r, nil
}

// views counts the visitor's requests.
func views(c *gin.Context) {
	s := session.Get(c.Request)
	n, _ := session.GetAs[int](s, "views")
	n++
	if err := s.Set("views", n); err != nil {
		_ = c.AbortWithError(http.StatusInternalServerError, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"views": n})
}

// login starts a new session for the user. Regenerate gives it a new ID,
// so an ID someone planted before the login is worthless after it.
func login(c *gin.Context) {
	user := c.PostForm("user")
	if user == "" {
		c.String(http.StatusBadRequest, "a user name is required")
		return
	}
	// ...check the password here...
	s := session.Get(c.Request)
	if err := s.Regenerate(c.Request.Context()); err != nil {
		c.String(http.StatusServiceUnavailable, "could not log in, try again")
		return
	}
	if err := s.Set("user", user); err != nil {
		_ = c.AbortWithError(http.StatusInternalServerError, err)
		return
	}
	c.String(http.StatusOK, "welcome %s", user)
}

// me shows who is logged in.
func me(c *gin.Context) {
	user, ok := session.GetAs[string](session.Get(c.Request), "user")
	if !ok {
		c.String(http.StatusUnauthorized, "not logged in")
		return
	}
	c.String(http.StatusOK, user)
}

// logout ends the session in the store (and, with DestroyClearsCookie, in
// the browser).
func logout(c *gin.Context) {
	if err := session.Get(c.Request).Destroy(c.Request.Context()); err != nil {
		c.String(http.StatusServiceUnavailable, "could not log out, try again")
		return
	}
	c.String(http.StatusOK, "bye")
}

// events streams three server-sent events to the visitor, each flushed as
// it is written: the session middleware does not buffer the body.
func events(wait func(context.Context) error) gin.HandlerFunc {
	return func(c *gin.Context) {
		s := session.Get(c.Request)
		user, _ := session.GetAs[string](s, "user")
		views, _ := session.GetAs[int](s, "views")
		// Saved by the middleware when the stream ends, before the response
		// completes. For a long stream, call s.Save now instead (see
		// examples/sse): other requests would not see the change until the
		// end, and the end would write over what they stored meanwhile.
		n, _ := session.GetAs[int](s, "streams")
		if err := s.Set("streams", n+1); err != nil {
			_ = c.AbortWithError(http.StatusInternalServerError, err)
			return
		}
		i := 0
		c.Stream(func(io.Writer) bool {
			if i > 0 {
				if err := wait(c.Request.Context()); err != nil {
					return false
				}
			}
			i++
			c.SSEvent("tick", gin.H{"n": i, "user": user, "views": views, "streams": n + 1})
			return i < 3
		})
	}
}
