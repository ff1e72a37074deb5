// Drives connect-redis for node_test.go: one JSON request per line on
// stdin, one JSON answer per line on stdout. Run with NODE_PATH pointing at
// a node_modules holding connect-redis 9 and redis 5.
const readline = require('readline')
const { createClient } = require('redis')
const { RedisStore } = require('connect-redis')

async function handle (stores, client, m) {
  const st = stores[m.prefix] ||= new RedisStore({ client, prefix: m.prefix, ...m.options })
  switch (m.op) {
    case 'set': await st.set(m.sid, JSON.parse(m.json)); return {}
    case 'touch': await st.touch(m.sid, JSON.parse(m.json)); return {}
    case 'get': { const s = await st.get(m.sid); return { json: s == null ? null : JSON.stringify(s) } }
    case 'destroy': await st.destroy(m.sid); return {}
    case 'length': return { n: await st.length() }
    case 'ids': return { ids: await st.ids() }
    case 'clear': await st.clear(); return {}
  }
  throw new Error('unknown op ' + m.op)
}

async function main () {
  const client = createClient({ url: process.env.REDIS_URL })
  client.on('error', (err) => process.stderr.write('redis error: ' + err.message + '\n'))
  await client.connect()
  const stores = {}
  process.stdout.write(JSON.stringify({ ready: true }) + '\n')
  for await (const line of readline.createInterface({ input: process.stdin })) {
    let out
    try { out = await handle(stores, client, JSON.parse(line)) } catch (e) { out = { error: String(e) } }
    process.stdout.write(JSON.stringify(out) + '\n')
  }
  await client.quit()
}

main().catch((e) => { process.stderr.write(String(e && e.stack) + '\n'); process.exit(1) })
