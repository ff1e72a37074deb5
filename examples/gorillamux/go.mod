module github.com/sessionkit/session/examples/gorillamux

go 1.24

require (
	github.com/gorilla/mux v1.8.1
	github.com/sessionkit/session v0.0.0
	github.com/sessionkit/session/examples/internal v0.0.0
)

replace (
	github.com/sessionkit/session => ../../
	github.com/sessionkit/session/examples/internal => ../internal
)
