// gen-records.js records, with the real express-session 1.19.0, the session
// records it hands to its stores and the Set-Cookie lines it sends, so that
// the Go tests can demand byte equality.
//
// Regenerate from the repository root, with the conformance harness set up
// beside it (../shared/conformance/setup.sh):
//
//   NODE_PATH=../shared/conformance/reference/node_modules node testdata/gen-records.js
//
// The clock is frozen, so the output (records.json) is deterministic.
'use strict'

const fs = require('fs')
const path = require('path')

const NOW = Date.UTC(2026, 10, 23, 13, 25, 16, 822)
Date.now = () => NOW

const sessionDir = path.dirname(require.resolve('express-session/package.json'))
const version = require(path.join(sessionDir, 'package.json')).version
if (version !== '1.19.0') {
  console.error('gen-records: express-session is ' + version + ', want 1.19.0')
  process.exit(1)
}
const { Session, Cookie, MemoryStore } = require('express-session')
const cookie = require(require.resolve('cookie', { paths: [sessionDir] }))
const signature = require(require.resolve('cookie-signature', { paths: [sessionDir] }))

// A new session, as the middleware's generate() builds it: cookie first,
// then the data assigned in order. `set` values are JSON texts.
function created (name, cookieOpts, set, extra) {
  const req = { sessionID: 'apple' }
  const s = new Session(req)
  const opts = Object.assign({}, cookieOpts)
  if (typeof opts.expires === 'string') opts.expires = new Date(opts.expires)
  s.cookie = new Cookie(opts)
  for (const [k, v] of set) s[k] = JSON.parse(v)
  if (extra) extra(s)
  let setCookie = null
  let setCookieError = null
  try {
    setCookie = cookie.serialize('connect.sid', 's:' + signature.sign(req.sessionID, 'keyboard cat'), s.cookie.data)
  } catch (e) {
    setCookieError = e.message
  }
  return { name, kind: 'created', now: NOW, cookieOptions: cookieOpts, set, record: JSON.stringify(s), setCookie, setCookieError }
}

// A stored record loaded as the middleware inflates it and saved again.
function loaded (name, stored) {
  const store = new MemoryStore()
  const req = { sessionID: 'apple', sessionStore: store }
  store.createSession(req, JSON.parse(stored))
  return { name, kind: 'loaded', now: NOW, stored, record: JSON.stringify(req.session) }
}

// A stored record loaded, then touched (resetMaxAge) at a later instant.
function touched (name, stored, later) {
  const store = new MemoryStore()
  const req = { sessionID: 'apple', sessionStore: store }
  store.createSession(req, JSON.parse(stored))
  Date.now = () => NOW + later
  req.session.touch()
  const out = { name, kind: 'touched', now: NOW + later, stored, record: JSON.stringify(req.session) }
  Date.now = () => NOW
  return out
}

const storedDefault = '{"cookie":{"originalMaxAge":60000,"expires":"2026-11-23T13:26:16.822Z","httpOnly":true,"path":"/"},"user":"bob"}'

const cases = [
  created('defaults', {}, []),
  created('max-age', { maxAge: 60000 }, [['user', '"bob"']]),
  created('fractional-max-age', { maxAge: 1500.5 }, []),
  created('negative-max-age', { maxAge: -5000 }, []),
  created('every-attribute', { maxAge: 1000, partitioned: true, priority: 'HIGH', secure: true, httpOnly: true, domain: '.example.com', path: '/', sameSite: 'None' }, []),
  created('samesite-true-httponly-false', { sameSite: true, httpOnly: false }, []),
  created('samesite-false-secure-false-partitioned-false', { sameSite: false, secure: false, partitioned: false, maxAge: 60000 }, []),
  created('samesite-lax-priority-low', { sameSite: 'lax', priority: 'low', path: '/admin' }, []),
  created('fixed-expires', { expires: '2099-06-01T12:00:00.000Z' }, []),
  created('integer-keys-hoisted', { maxAge: 60000 }, [['b', '1'], ['10', '2'], ['2', '3'], ['a', '4'], ['0', '5'], ['01', '6'], ['4294967295', '7'], ['4294967294', '8']]),
  created('string-escapes', {}, [['html', '"<a href=\\"x\\">&amp;</a>"'], ['ctrl', '"\\u0000\\u0001\\b\\f\\n\\r\\t\\u001f"'], ['unicode', '"héllo 世界 🎉 e\\u0301"'], ['quote', '"say \\"hi\\" \\\\ back"'], ['key "quoted"', 'true']]),
  created('numbers', {}, [['int', '42'], ['neg', '-7'], ['frac', '1.5'], ['big', '1e21'], ['small', '1e-7'], ['smaller', '0.000001'], ['max', '9007199254740991'], ['zero', '0'], ['exp', '1.2345e+30']]),
  created('nested', { maxAge: 60000 }, [['user', '{"name":"bob","roles":["admin","dev"],"prefs":{"z":1,"a":{"deep":[1,{"x":null}]}}}'], ['list', '[1,"two",false,null,{"k":"v"}]'], ['empty', '{}'], ['none', '[]']]),
  created('cookie-expires-false', { maxAge: 60000 }, [], (s) => { s.cookie.expires = false }),
  created('cookie-max-age-changed', { maxAge: 60000 }, [['n', '1']], (s) => { s.cookie.maxAge = 3000000000 }),
  created('cookie-max-age-null', { maxAge: 60000 }, [], (s) => { s.cookie.maxAge = null }),
  created('epoch-expires', {}, [], (s) => { s.cookie.expires = new Date(0) }),
  created('invalid-expires', { expires: 'not a date' }, []),
  loaded('loaded-plain', storedDefault),
  loaded('loaded-cookie-not-first', '{"user":"bob","cookie":{"path":"/","httpOnly":true,"expires":"2026-11-23T13:26:16.822Z","originalMaxAge":60000},"n":2}'),
  loaded('loaded-reserved-keys', '{"cookie":{"originalMaxAge":null,"expires":null,"httpOnly":true,"path":"/"},"save":"nope","regenerate":1,"touch":"x","reload":null,"constructor":1,"ok":true}'),
  loaded('loaded-unknown-cookie-keys', '{"cookie":{"originalMaxAge":60000,"expires":"2026-11-23T13:26:16.822Z","httpOnly":true,"path":"/","signed":true,"maxAge":5,"data":{"x":1}}}'),
  loaded('loaded-no-original-max-age', '{"cookie":{"expires":"2026-11-23T13:26:16.822Z","httpOnly":true,"path":"/"}}'),
  loaded('loaded-odd-values', '{"cookie":{"originalMaxAge":60000,"priority":"HIGH","expires":"2026-11-23T13:26:16.822Z","secure":"auto","httpOnly":false,"domain":"example.com","path":"/x","sameSite":true,"partitioned":false}}'),
  loaded('loaded-duplicate-keys', '{"cookie":{"originalMaxAge":null,"expires":null,"httpOnly":true,"path":"/"},"a":1,"b":2,"a":3}'),
  loaded('loaded-integer-keys', '{"cookie":{"originalMaxAge":null,"expires":null,"httpOnly":true,"path":"/"},"z":1,"5":2,"1":3}'),
  loaded('loaded-whitespace', '{ "cookie" : { "originalMaxAge" : 60000 , "expires" : "2026-11-23T13:26:16.822Z" , "httpOnly" : true , "path" : "/" } , "user" : "bob" }'),
  loaded('loaded-expires-false', '{"cookie":{"originalMaxAge":false,"expires":false,"httpOnly":true,"path":"/"}}'),
  touched('touched-plain', storedDefault, 5000),
  touched('touched-null-original-max-age', '{"cookie":{"originalMaxAge":null,"expires":"2026-11-23T13:26:16.822Z","httpOnly":true,"path":"/"}}', 1000),
  touched('touched-browser-session', '{"cookie":{"originalMaxAge":null,"expires":null,"httpOnly":true,"path":"/"},"a":1}', 1000)
]

const out = { generator: 'testdata/gen-records.js', 'express-session': version, node: process.version, cases }
fs.writeFileSync(path.join(__dirname, 'records.json'), JSON.stringify(out, null, 2) + '\n')
console.log('wrote ' + cases.length + ' cases')
