// An outside client for the relay: nostr-tools, the reference JS implementation.
// Usage (cwd = the repository's interop/ directory, where nostr-tools is installed):
//   node /path/to/nostr-tools-client.mjs ws://127.0.0.1:PORT
// Prints one JSON array per line: ["check", name, expectedJson, actualJson] for each check,
// then ["done", count]. The JUnit test compares expected with actual; this script only reports.
import { createRequire } from 'node:module'
import path from 'node:path'

const require = createRequire(path.join(process.cwd(), 'package.json'))
const WebSocket = require('ws')
const { Relay, useWebSocketImplementation } = require('nostr-tools/relay')
const { generateSecretKey, getPublicKey, finalizeEvent } = require('nostr-tools/pure')
const { wrapEvent } = require('nostr-tools/nip59')
// nip77 ships in the package but is not in its exports map.
const { NegentropySync, NegentropyStorageVector } =
  require(path.join(process.cwd(), 'node_modules/nostr-tools/lib/cjs/nip77.js'))

useWebSocketImplementation(WebSocket)

const url = process.argv[2]
let checks = 0
function check(name, expected, actual) {
  checks++
  console.log(JSON.stringify(['check', name, JSON.stringify(expected), JSON.stringify(actual)]))
}

const now = Math.floor(Date.now() / 1000)
const alice = generateSecretKey()
const bob = generateSecretKey()
const alicePk = getPublicKey(alice)
const bobPk = getPublicKey(bob)

function sign(sk, kind, createdAt, tags, content) {
  return finalizeEvent({ kind, created_at: createdAt, tags, content }, sk)
}

async function outcome(relay, event) {
  try {
    return { ok: true, message: await relay.publish(event) }
  } catch (err) {
    return { ok: false, message: String(err.message ?? err) }
  }
}

function query(relay, filters) {
  return new Promise((resolve, reject) => {
    const got = []
    const timer = setTimeout(() => reject(new Error('no EOSE')), 10000)
    const sub = relay.subscribe(filters, {
      onevent: (e) => got.push(e.id),
      oneose: () => {
        clearTimeout(timer)
        resolve(got)
        sub.close()
      },
      onclose: (reason) => {
        clearTimeout(timer)
        resolve({ closed: reason })
      },
    })
  })
}

async function waitFor(test, what) {
  for (let i = 0; i < 1000; i++) {
    if (test()) return
    await new Promise((r) => setTimeout(r, 10))
  }
  throw new Error('timed out waiting for ' + what)
}

const relay = await Relay.connect(url)
relay.publishTimeout = 10000

// Publish, duplicate, bad signature.
const note = sign(alice, 1, now - 40, [['t', 'interop']], 'hello from nostr-tools')
const reaction = sign(bob, 7, now - 30, [['e', note.id], ['p', alicePk]], '+')
const reply = sign(alice, 1, now - 20, [['e', note.id]], 'a reply')
for (const event of [note, reaction, reply]) {
  check('publish ' + event.kind + ' ' + event.content, true, (await outcome(relay, event)).ok)
}
const again = await outcome(relay, note)
check('duplicate is accepted', true, again.ok)
check('duplicate prefix', true, again.message.startsWith('duplicate:'))
const forged = { ...sign(alice, 1, now, [], 'forged'), sig: '00'.repeat(64) }
const refused = await outcome(relay, forged)
check('bad signature refused', false, refused.ok)
check('bad signature prefix', true, refused.message.startsWith('invalid:'))

// Each filter field.
check('ids', [note.id], await query(relay, [{ ids: [note.id] }]))
check('authors', [reply.id, note.id], await query(relay, [{ authors: [alicePk] }]))
check('kinds', [reaction.id], await query(relay, [{ kinds: [7], authors: [bobPk] }]))
check('#e', [reply.id, reaction.id], await query(relay, [{ '#e': [note.id] }]))
check('#p', [reaction.id], await query(relay, [{ '#p': [alicePk] }]))
check('#t', [note.id], await query(relay, [{ '#t': ['interop'] }]))
check('since', [reply.id], await query(relay, [{ authors: [alicePk], since: now - 20 }]))
check('until', [reaction.id, note.id],
  await query(relay, [{ authors: [alicePk, bobPk], until: now - 30 }]))
check('limit', [reply.id], await query(relay, [{ authors: [alicePk, bobPk], limit: 1 }]))
check('two filters', [reply.id, reaction.id],
  await query(relay, [{ kinds: [7], authors: [bobPk] }, { authors: [alicePk], limit: 1 }]))

// Live delivery after EOSE.
const live = await new Promise((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error('no live event')), 10000)
  let fresh
  const sub = relay.subscribe([{ authors: [bobPk], kinds: [1] }], {
    oneose: async () => {
      fresh = sign(bob, 1, now, [], 'live')
      await relay.publish(fresh)
    },
    onevent: (e) => {
      clearTimeout(timer)
      sub.close()
      resolve(e.id === fresh?.id)
    },
  })
})
check('live event after EOSE', true, live)

// NIP-09 deletion by the author; re-publishing is refused.
const deletion = sign(alice, 5, now, [['e', reply.id]], 'retracted')
check('deletion accepted', true, (await outcome(relay, deletion)).ok)
check('deleted event gone', [], await query(relay, [{ ids: [reply.id] }]))
const back = await outcome(relay, reply)
check('deleted event refused', [false, true], [back.ok, back.message.startsWith('blocked:')])

// NIP-59 gift wrap: anonymous readers never see it; NIP-42 AUTH as the recipient does.
const wrap = wrapEvent({ kind: 14, content: 'secret', tags: [['p', bobPk]] }, alice, bobPk)
check('wrap accepted', true, (await outcome(relay, wrap)).ok)
check('wrap hidden before AUTH', [], await query(relay, [{ ids: [wrap.id] }]))
await waitFor(() => relay.challenge, 'the AUTH challenge')
const authReason = await relay.auth(async (template) => finalizeEvent(template, bob))
check('AUTH accepted', 'string', typeof authReason)
check('wrap served to its recipient', [wrap.id], await query(relay, [{ kinds: [1059], '#p': [bobPk] }]))

// NIP-77: the client holds one of Alice's two remaining events and learns the other.
const storage = new NegentropyStorageVector()
storage.insert(note.created_at, note.id)
storage.seal()
const need = []
const have = []
const error = await new Promise((resolve) => {
  const sync = new NegentropySync(relay, storage, { authors: [alicePk] }, {
    onneed: (id) => need.push(id),
    onhave: (id) => have.push(id),
    onclose: (reason) => resolve(reason ?? null),
  })
  sync.start()
})
check('negentropy finished', null, error)
check('negentropy need', [deletion.id], need.sort())
check('negentropy have', [], have)

relay.close()
console.log(JSON.stringify(['done', checks]))
process.exit(0)
