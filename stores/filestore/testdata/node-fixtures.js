// Regenerates testdata/node/*: what session-file-store 1.5.0 writes for a
// session express-session hands it. Run from this directory with
//   NODE_PATH=<dir with express-session and session-file-store> node testdata/node-fixtures.js
// set.json:     store.set(sid, session) of the session in record.json
// touched.json: then store.touch(sid, session) with the cookie of held.json
// encrypted.json, encrypted-plain.json: a store with secret "keyboard cat"
//   sets the session in record.json; the file, and JSON.stringify of what
//   that store's get then returns
const fs = require('fs')
const path = require('path')
const session = require('express-session')
const FileStore = require('session-file-store')(session)

const dir = path.join(__dirname, 'node')
const sid = 'fyinduZe2-zrXfXasLk1N-7zoPpicyKP'
const store = new FileStore({ path: dir, reapInterval: -1, retries: 0, logFn () {} })

// The session exactly as express-session would rebuild it from a record.
function load (file) {
  const req = { sessionID: sid, sessionStore: store }
  store.createSession(req, JSON.parse(fs.readFileSync(path.join(__dirname, file), 'utf8')))
  return req.session
}

store.set(sid, load('record.json'), (err) => {
  if (err) throw err
  fs.copyFileSync(path.join(dir, sid + '.json'), path.join(dir, 'set.json'))
  setTimeout(() => store.touch(sid, load('held.json'), (err) => {
    if (err) throw err
    fs.renameSync(path.join(dir, sid + '.json'), path.join(dir, 'touched.json'))
  }), 5)
})

const secretStore = new FileStore({ path: dir, reapInterval: -1, retries: 0, logFn () {}, secret: 'keyboard cat' })
secretStore.set('enc', load('record.json'), (err) => {
  if (err) throw err
  secretStore.get('enc', (err, sess) => {
    if (err) throw err
    fs.writeFileSync(path.join(dir, 'encrypted-plain.json'), JSON.stringify(sess))
    fs.renameSync(path.join(dir, 'enc.json'), path.join(dir, 'encrypted.json'))
  })
})
