module github.com/sessionkit/session/examples/internal

go 1.24

require github.com/sessionkit/session v0.0.0

replace github.com/sessionkit/session => ../../
