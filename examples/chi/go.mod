module github.com/sessionkit/session/examples/chi

go 1.24

require (
	github.com/go-chi/chi/v5 v5.5.0
	github.com/sessionkit/session v0.0.0
	github.com/sessionkit/session/examples/internal v0.0.0
)

replace (
	github.com/sessionkit/session => ../../
	github.com/sessionkit/session/examples/internal => ../internal
)
