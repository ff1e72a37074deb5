// Drives express-mysql-session 3.0.3 for node_test.go: creates its table,
// then runs the operations given as JSON on stdin and prints the results.
// Usage: node node_store.js REFERENCE_DIR < ops.json
'use strict'
const { createRequire } = require('module')
const path = require('path')
const ref = createRequire(path.join(process.argv[2], 'package.json'))
const session = ref('express-session')
const MySQLStore = ref('express-mysql-session')(session)

async function main () {
  const input = JSON.parse(require('fs').readFileSync(0, 'utf8'))
  const store = new MySQLStore(Object.assign({ clearExpired: false }, input.connection, input.options))
  await store.onReady()
  const out = []
  for (const op of input.ops) {
    const sess = op.sess
    if (sess && sess.cookie && typeof sess.cookie.expires === 'string') {
      sess.cookie.expires = new Date(sess.cookie.expires) // as express-session hands it
    }
    switch (op.op) {
      case 'set': await store.set(op.sid, sess); out.push(null); break
      case 'touch': await store.touch(op.sid, sess); out.push(null); break
      case 'get': out.push(await store.get(op.sid)); break
      case 'length': out.push(await store.length()); break
      case 'now': out.push(Date.now()); break
    }
  }
  await store.close()
  process.stdout.write(JSON.stringify(out))
}
main().catch((err) => { console.error(err); process.exit(1) })
