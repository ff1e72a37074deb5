package main

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/sessionkit/session"
)

// sessions adapts the session middleware to gin, which has no hook for
// net/http middleware. It runs the rest of the gin chain inside m.Handler:
// the middleware gets gin's writer and request; inside it, c.Request is the
// request carrying the session and c.Writer writes through the
// middleware's writer, so that the middleware decides the session cookie
// when gin writes the headers and saves the session when the chain has
// run, before the response completes. Both are restored afterwards, so
// gin middleware registered before this one (gin.Logger, gin.Recovery)
// sees gin's own writer, with the final status and size.
//
// Copy this file into your project; it depends only on gin and sessionkit.
func sessions(m *session.Manager) gin.HandlerFunc {
	return func(c *gin.Context) {
		outer, req := c.Writer, c.Request
		defer func() { c.Writer, c.Request = outer, req }() // even if a handler panics
		ran := false
		m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ran = true
			gw := &ginWriter{ResponseWriter: w, outer: outer, status: outer.Status(), size: noWritten}
			c.Writer, c.Request = gw, r
			c.Next()
			// What gin's engine does for its own writer when the chain
			// returns: a status set without a body is passed on now, so that
			// the middleware decides the cookie with it, and gin's writer,
			// which writes the headers once this returns, has it.
			gw.writeHeader()
		})).ServeHTTP(outer, req)
		if !ran {
			// The middleware answered by itself (its store failed): the rest
			// of the chain must not run after it, without a session.
			c.Abort()
		}
	}
}

const noWritten = -1 // ginWriter.size before the headers are written, as in gin

// ginWriter is a gin.ResponseWriter over the session middleware's
// http.ResponseWriter, with gin's semantics: WriteHeader only records the
// status; the headers go with the first Write, Flush or WriteHeaderNow.
// Everything is written through the middleware's writer except what does
// not touch this response's headers or body (CloseNotify, Pusher), which
// comes from gin's own writer underneath.
type ginWriter struct {
	http.ResponseWriter                    // the session middleware's
	outer               gin.ResponseWriter // gin's own, which the middleware writes to
	status              int
	size                int
}

var _ gin.ResponseWriter = (*ginWriter)(nil)

// Unwrap lets http.ResponseController reach the writers underneath
// (SetWriteDeadline, EnableFullDuplex...).
func (w *ginWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// WriteHeader records the status; the headers are written later, as gin's
// writer does, so that handlers can still set headers after c.Status.
func (w *ginWriter) WriteHeader(code int) {
	if code > 0 && w.status != code && !w.Written() {
		w.status = code
	}
}

// writeHeader passes the status to the middleware once: it decides the
// session cookie then.
func (w *ginWriter) writeHeader() {
	if !w.Written() {
		w.size = 0
		w.ResponseWriter.WriteHeader(w.status)
	}
}

// WriteHeaderNow writes the headers now. gin's own writer underneath holds
// a status back until told, so it is told too: a handler that hijacks
// after it (github.com/coder/websocket does) needs the headers written.
func (w *ginWriter) WriteHeaderNow() {
	w.writeHeader()
	w.outer.WriteHeaderNow()
}

func (w *ginWriter) Write(p []byte) (int, error) {
	w.writeHeader()
	n, err := w.ResponseWriter.Write(p)
	w.size += n
	return n, err
}

func (w *ginWriter) WriteString(s string) (int, error) {
	w.writeHeader()
	n, err := io.WriteString(w.ResponseWriter, s)
	w.size += n
	return n, err
}

func (w *ginWriter) Status() int   { return w.status }
func (w *ginWriter) Size() int     { return w.size }
func (w *ginWriter) Written() bool { return w.size != noWritten }

func (w *ginWriter) Flush() { _ = w.FlushError() }

// FlushError is what http.ResponseController.Flush calls.
func (w *ginWriter) FlushError() error {
	w.writeHeader()
	return http.NewResponseController(w.ResponseWriter).Flush()
}

var errHijackAfterBody = errors.New("gin: response body already written")

// Hijack hands over the connection, as gin's writer does: refused once
// body bytes were written, allowed before or after the headers.
func (w *ginWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	if w.size > 0 {
		return nil, nil, errHijackAfterBody
	}
	conn, rw, err := http.NewResponseController(w.ResponseWriter).Hijack()
	if err == nil && w.size < 0 {
		w.size = 0 // nothing more is written through this writer
	}
	return conn, rw, err
}

// CloseNotify is about the connection, not this response's bytes: gin's
// own writer answers it (c.Stream uses it).
func (w *ginWriter) CloseNotify() <-chan bool { return w.outer.CloseNotify() }

// Pusher returns gin's pusher, nil unless the connection can push (HTTP/2).
func (w *ginWriter) Pusher() http.Pusher { return w.outer.Pusher() }
