module github.com/sessionkit/session/bench

go 1.24

require github.com/sessionkit/session v0.0.0

require (
	github.com/alexedwards/scs/v2 v2.9.0 // indirect
	github.com/gorilla/securecookie v1.1.2 // indirect
	github.com/gorilla/sessions v1.4.0 // indirect
)

replace github.com/sessionkit/session => ../
