// Runs one session-file-store 1.5.0 operation for node_test.go:
//   node node-store.js DIR OP SID [JSON]
// OP is get, set, touch or expired (with the secret in FILESTORE_SECRET,
// if set); JSON is the session for set and touch,
// rebuilt as express-session would (Store.createSession). Prints the
// result as JSON: the session get returns (null when none), or expired's
// boolean, or "ok".
const session = require('express-session')
const FileStore = require('session-file-store')(session)

const [dir, op, sid, json] = process.argv.slice(2)
const store = new FileStore({ path: dir, reapInterval: -1, retries: 0, logFn () {}, secret: process.env.FILESTORE_SECRET || undefined })
const done = (err, v) => {
  if (err && err.code !== 'ENOENT') { console.error(String(err)); process.exit(1) }
  process.stdout.write(JSON.stringify(v === undefined ? null : v))
}
function sess () {
  const req = { sessionID: sid, sessionStore: store }
  store.createSession(req, JSON.parse(json))
  return req.session
}
switch (op) {
  case 'get': store.get(sid, done); break
  case 'expired': store.expired(sid, done); break
  case 'set': store.set(sid, sess(), (err) => done(err, 'ok')); break
  case 'touch': store.touch(sid, sess(), (err) => done(err, 'ok')); break
  default: console.error('unknown op ' + op); process.exit(2)
}
