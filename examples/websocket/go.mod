module github.com/sessionkit/session/examples/websocket

go 1.24

require (
	github.com/coder/websocket v1.8.15
	github.com/sessionkit/session v0.0.0
	github.com/sessionkit/session/examples/internal v0.0.0
)

replace (
	github.com/sessionkit/session => ../../
	github.com/sessionkit/session/examples/internal => ../internal
)
