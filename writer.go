package session

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strconv"
)

// responseWriter lets the middleware decide the session cookie when the
// headers are written, and keep the response from completing before the
// session is saved. It never buffers the body: writes, Flush, Hijack,
// ReadFrom and http.ResponseController pass through.
type responseWriter struct {
	http.ResponseWriter
	s           *Session
	wroteHeader bool
	hijacked    bool
	// A response with a Content-Length is complete, for the client, when its
	// last byte arrives, so that byte is held back until the session is
	// saved (what express-session does); remaining counts down to it.
	remaining int64
	held      []byte
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *responseWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *responseWriter) WriteHeader(code int) {
	if code >= 100 && code < 200 && code != http.StatusSwitchingProtocols {
		w.ResponseWriter.WriteHeader(code) // informational: not the response's headers
		return
	}
	w.headers(code)
	w.ResponseWriter.WriteHeader(code)
}

// headers runs the session's header decision once, before the headers go.
func (w *responseWriter) headers(code int) {
	if w.wroteHeader || w.hijacked {
		return
	}
	w.wroteHeader = true
	w.s.m.writeHeaders(w.s, w.Header())
	if code == http.StatusNoContent || code == http.StatusNotModified {
		return
	}
	if v := w.Header().Get("Content-Length"); v != "" {
		if cl, err := strconv.ParseInt(v, 10, 64); err == nil && cl > 0 {
			w.remaining = cl
		}
	}
}

// headersNow is the end of the handler: if it wrote nothing, the headers
// are decided now, as they will be sent when the middleware returns.
func (w *responseWriter) headersNow() { w.headers(http.StatusOK) }

func (w *responseWriter) Write(p []byte) (int, error) {
	w.headers(http.StatusOK)
	if len(p) == 0 {
		return 0, nil
	}
	if w.remaining == 0 {
		// The body is complete: refuse more, as net/http does. The held byte
		// still waits for the save.
		return 0, http.ErrContentLength
	}
	if w.remaining < 0 || int64(len(p)) != w.remaining {
		if w.remaining > 0 {
			// Short of the end, or past it (net/http then reports
			// ErrContentLength): nothing to hold back.
			w.remaining = max(w.remaining-int64(len(p)), -1)
		}
		return w.ResponseWriter.Write(p)
	}
	// p completes the body: send all but its last byte for now.
	n, err := w.ResponseWriter.Write(p[:len(p)-1])
	if err != nil {
		return n, err
	}
	w.held = append(w.held[:0], p[len(p)-1])
	w.remaining = 0
	return len(p), nil
}

// ReadFrom keeps sendfile and friends working for responses without a
// Content-Length; with one, the bytes go through Write to hold back the
// last one.
func (w *responseWriter) ReadFrom(r io.Reader) (int64, error) {
	w.headers(http.StatusOK)
	if rf, ok := w.ResponseWriter.(io.ReaderFrom); ok && w.remaining < 0 {
		return rf.ReadFrom(r)
	}
	return io.Copy(writerOnly{w}, r)
}

func (w *responseWriter) Flush() {
	_ = w.FlushError()
}

// FlushError is what http.ResponseController.Flush calls.
func (w *responseWriter) FlushError() error {
	w.headers(http.StatusOK)
	return http.NewResponseController(w.ResponseWriter).Flush()
}

func (w *responseWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	conn, rw, err := http.NewResponseController(w.ResponseWriter).Hijack()
	if err == nil {
		w.hijacked = true
	}
	return conn, rw, err
}

// Push finds a Pusher below, unwrapping as http.ResponseController does,
// since routers wrap the writer in types without Push.
func (w *responseWriter) Push(target string, opts *http.PushOptions) error {
	for rw := w.ResponseWriter; rw != nil; {
		if p, ok := rw.(http.Pusher); ok {
			return p.Push(target, opts)
		}
		u, ok := rw.(interface{ Unwrap() http.ResponseWriter })
		if !ok {
			break
		}
		rw = u.Unwrap()
	}
	return http.ErrNotSupported
}

// finish sends the held-back last byte: the response can now complete.
func (w *responseWriter) finish() {
	if len(w.held) > 0 && !w.hijacked {
		_, _ = w.ResponseWriter.Write(w.held)
		w.held = w.held[:0]
	}
}

// writerOnly hides ReadFrom so that io.Copy uses Write.
type writerOnly struct{ io.Writer }
