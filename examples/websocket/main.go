// Command websocket is a WebSocket endpoint that knows who is on the other
// end from the session, with github.com/coder/websocket.
//
//	go run .          # open http://127.0.0.1:8085, log in, chat with the echo
//	curl -b jar -c jar http://127.0.0.1:8085/me
//
// The pattern: establish the session on a normal page first (here the login
// form), where the cookie is issued and the session saved as usual. The
// WebSocket handler reads the user from the session before upgrading, and
// refuses a visitor without one with a plain 401. What it changes in the
// session it saves itself with Session.Save: the middleware saves when the
// handler returns, which for a WebSocket is when the socket closes.
//
// The secret comes from SESSION_SECRET; without it a random one is made, so
// sessions end when the server stops. What every example shares (the
// secret, the cookie options, serving) is in ../internal/exampleapp.
package main

import (
	"encoding/json"
	"html/template"
	"net/http"

	"github.com/coder/websocket"
	"github.com/sessionkit/session"
	"github.com/sessionkit/session/examples/internal/exampleapp"
	"github.com/sessionkit/session/memstore"
	"github.com/sessionkit/session/store"
)

func main() {
	exampleapp.Run("websocket", "127.0.0.1:8085", func(secret string) (http.Handler, error) {
		return newApp(secret, memstore.New(memstore.Options{}))
	})
}

// newApp builds the whole application on the store st.
func newApp(secret string, st store.Store) (http.Handler, error) {
	m, err := session.New(exampleapp.Options(secret, st))
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", home)
	mux.HandleFunc("POST /login", login)
	mux.HandleFunc("POST /logout", logout)
	mux.HandleFunc("GET /me", me)
	mux.HandleFunc("GET /ws", chat)
	return m.Handler(mux), nil
}

// chat is the WebSocket: it greets the user and echoes each message,
// signed with the user's name.
func chat(w http.ResponseWriter, r *http.Request) {
	// Before the upgrade the request is an ordinary request: the middleware
	// has loaded the session, and a refusal is an ordinary response.
	s := session.Get(r)
	user, ok := session.GetAs[string](s, "user")
	if !ok {
		http.Error(w, "log in first", http.StatusUnauthorized)
		return
	}
	// Accept refuses other origins by default: a page on another site can
	// open a socket here, and its handshake may carry the session cookie
	// (Cross-Site WebSocket Hijacking). It hijacks the connection through
	// the middleware's writer.
	c, err := websocket.Accept(w, r, nil)
	if err != nil {
		return // Accept has answered
	}
	defer c.CloseNow()
	ctx := r.Context()
	// The session is still this request's until the handler returns. Save
	// what you change: left to the middleware, it would be written when the
	// handler returns, when the socket closes, unseen by other requests
	// until then and over whatever they stored meanwhile (a logout too).
	n, _ := session.GetAs[int](s, "sockets")
	if err := s.Set("sockets", n+1); err != nil {
		_ = c.Close(websocket.StatusInternalError, "session")
		return
	}
	if err := s.Save(ctx); err != nil {
		_ = c.Close(websocket.StatusTryAgainLater, "try again")
		return
	}
	if err := c.Write(ctx, websocket.MessageText, []byte("hello "+user)); err != nil {
		return
	}
	for {
		typ, msg, err := c.Read(ctx)
		if err != nil {
			return // closed
		}
		if err := c.Write(ctx, typ, append([]byte(user+": "), msg...)); err != nil {
			return
		}
	}
}

var page = template.Must(template.New("page").Parse(`<!doctype html>
<meta charset="utf-8"><title>sessionkit + WebSocket</title>
<p id="views">views: {{.Views}}</p>
{{if .User}}
<p>Logged in as <b>{{.User}}</b> ({{.Sockets}} socket{{if ne .Sockets 1}}s{{end}} opened).
<form method="post" action="/logout"><button>Log out</button></form>
<form id="send"><input id="msg" autocomplete="off"><button>Send</button></form>
<pre id="log"></pre>
<script>
const ws = new WebSocket(location.origin.replace(/^http/, "ws") + "/ws");
const log = s => document.getElementById("log").textContent += s + "\n";
ws.onmessage = e => log(e.data);
ws.onclose = e => log("closed (" + e.code + ")");
document.getElementById("send").onsubmit = e => {
	e.preventDefault();
	ws.send(document.getElementById("msg").value);
	document.getElementById("msg").value = "";
};
</script>
{{else}}
<form method="post" action="/login"><input name="user" placeholder="name" required><button>Log in</button></form>
{{end}}`))

// home counts the visitor's views and shows the chat once logged in.
func home(w http.ResponseWriter, r *http.Request) {
	s := session.Get(r)
	views, _ := session.GetAs[int](s, "views")
	views++
	if err := s.Set("views", views); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	user, _ := session.GetAs[string](s, "user")
	sockets, _ := session.GetAs[int](s, "sockets")
	_ = page.Execute(w, map[string]any{"Views": views, "User": user, "Sockets": sockets})
}

// me reports the logged-in user and the sockets opened, as JSON.
func me(w http.ResponseWriter, r *http.Request) {
	s := session.Get(r)
	user, ok := session.GetAs[string](s, "user")
	if !ok {
		http.Error(w, "not logged in", http.StatusUnauthorized)
		return
	}
	sockets, _ := session.GetAs[int](s, "sockets")
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"user": user, "sockets": sockets})
}

// login starts a new session for the user. Regenerate gives it a new ID,
// so an ID someone planted before the login is worthless after it.
func login(w http.ResponseWriter, r *http.Request) {
	user := r.PostFormValue("user")
	if user == "" {
		http.Error(w, "a user name is required", http.StatusBadRequest)
		return
	}
	// ...check the password here...
	s := session.Get(r)
	if err := s.Regenerate(r.Context()); err != nil {
		http.Error(w, "could not log in, try again", http.StatusServiceUnavailable)
		return
	}
	if err := s.Set("user", user); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	// The session is saved before this response completes: the page the
	// browser loads next, and the socket it opens, see the login.
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// logout ends the session in the store (and, with DestroyClearsCookie, in
// the browser).
func logout(w http.ResponseWriter, r *http.Request) {
	if err := session.Get(r).Destroy(r.Context()); err != nil {
		http.Error(w, "could not log out, try again", http.StatusServiceUnavailable)
		return
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
}
