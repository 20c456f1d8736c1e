// One js-libp2p peer for the Parley interop tests, scripted over stdin/stdout.
//
// Usage: node peer.mjs [--listen <multiaddr>]... [--seed <64 hex>] [--agent <text>] [--dht [--dht-passive]]
//                      [--relay-server] [--relay-client] [--autonat]
//   --relay-server  serves circuit relay v2 hop (js defaults: 2 min and 128 KiB per circuit)
//   --relay-client  adds the circuit relay transport: dial .../p2p-circuit/p2p/<peer>, and listen
//                   on <relay addr>/p2p/<relay>/p2p-circuit to hold a reservation there
//   --autonat       serves and runs AutoNAT v1 (/libp2p/autonat/1.0.0)
//   --webrtc        adds @libp2p/webrtc (implies --relay-client): dial .../p2p-circuit/webrtc/p2p/<peer>,
//                   and a --listen of /webrtc accepts WebRTC connections signalled over a relayed one
//
// Protocol (one JSON object per line):
//   stdout, once listening:  {"event":"ready","peerId":"12D3...","publicKeyHex":"0801...",
//                             "addrs":["/ip4/127.0.0.1/tcp/N/p2p/12D3..."]}
//   stdin, a command:        {"id":7,"cmd":"ping","args":{"peer":"12D3..."}}
//   stdout, its reply:       {"id":7,"ok":true,"result":{"rtt":1}}  or  {"id":7,"ok":false,"error":"..."}
//   stdout, unsolicited:     {"event":"connection-open"|"connection-close"|"identify", ...}
// Commands run concurrently; replies carry the command's id. Logs go to stderr only
// (set DEBUG=libp2p:* for libp2p's own). End of stdin stops the peer.
import './polyfill.mjs'

import { createHash, randomBytes } from 'node:crypto'
import { createInterface } from 'node:readline'
import { parseArgs } from 'node:util'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { generateKeyPair, generateKeyPairFromSeed, publicKeyToProtobuf } from '@libp2p/crypto/keys'
import { autoNAT } from '@libp2p/autonat'
import { circuitRelayServer, circuitRelayTransport } from '@libp2p/circuit-relay-v2'
import { identify } from '@libp2p/identify'
import { kadDHT, passthroughMapper } from '@libp2p/kad-dht'
import { peerIdFromString } from '@libp2p/peer-id'
import { ping } from '@libp2p/ping'
import { tcp } from '@libp2p/tcp'
import { webRTC } from '@libp2p/webrtc'
import { multiaddr } from '@multiformats/multiaddr'
import { createLibp2p } from 'libp2p'
import { version as libp2pVersion } from 'libp2p/version'
import { CID } from 'multiformats/cid'
import * as Digest from 'multiformats/hashes/digest'
import { parseParleyRecord, selectParleyRecord, signParleyRecord, validateParleyRecord } from './parley-record.mjs'

const ECHO_PROTOCOL = '/parley/echo/1.0.0'
const SINK_PROTOCOL = '/parley/sink/1.0.0'
// The interop tests open 100 concurrent streams of one protocol on one connection; js resets
// streams beyond its per-protocol default of 32 inbound / 64 outbound.
const MAX_STREAMS_PER_PROTOCOL = 1024
// Outbound identify / ping streams this peer may run at once on one connection (js allows one).
const CONCURRENT_OWN_STREAMS = 8
// Size of one send() on echo and sink streams: large enough to keep the muxer busy, small
// enough that backpressure (send() returning false) is seen well before the write buffer grows.
const CHUNK_BYTES = 64 * 1024
// How long dial waits for the automatic identify exchange; js answers in milliseconds on loopback.
const IDENTIFY_WAIT_MS = 10_000
// The sink protocol answers with the byte count as an unsigned 64-bit big-endian integer.
const SINK_COUNT_BYTES = 8
// Multicodec "raw": provider keys given as a bare multihash are wrapped in a CIDv1 of this codec.
const RAW_CODEC = 0x55
// kad-dht's own default for a query; the Java side's command timeout (60 s) stays above it.
const DEFAULT_DHT_TIMEOUT_MS = 10_000
// A passive DHT peer runs its self-query only after this long (the longest setTimeout delay node
// allows, ~24.8 days): in a test, never.
const NEVER_MS = 2 ** 31 - 1

const { values: opts } = parseArgs({
  options: {
    listen: { type: 'string', multiple: true },
    seed: { type: 'string' },
    agent: { type: 'string' },
    dht: { type: 'boolean', default: false },
    'dht-passive': { type: 'boolean', default: false },
    'relay-server': { type: 'boolean', default: false },
    'relay-client': { type: 'boolean', default: false },
    autonat: { type: 'boolean', default: false },
    webrtc: { type: 'boolean', default: false }
  },
  strict: true
})

const log = (...parts) => console.error(`[peer ${new Date().toISOString()}]`, ...parts)
const emit = (obj) => process.stdout.write(JSON.stringify(obj) + '\n')

async function privateKey () {
  if (opts.seed == null) {
    return generateKeyPair('Ed25519')
  }
  const seed = Buffer.from(opts.seed, 'hex')
  if (seed.length !== 32 || seed.toString('hex') !== opts.seed.toLowerCase()) {
    throw new Error(`--seed must be 64 hex digits (a 32-byte Ed25519 seed), got "${opts.seed}"`)
  }
  return generateKeyPairFromSeed('Ed25519', seed)
}

// Inbound limits stay at js defaults, so a Java peer that opens more identify or ping streams at
// once than a stock js node accepts fails here too. Outbound limits are raised because this
// peer's own commands run beside its automatic identify and kad-dht's contact pings.
const services = {
  identify: identify({ maxOutboundStreams: CONCURRENT_OWN_STREAMS }),
  ping: ping({ maxOutboundStreams: CONCURRENT_OWN_STREAMS })
}
if (opts['relay-server']) {
  services.relay = circuitRelayServer()
}
if (opts.autonat) {
  services.autonat = autoNAT()
}
if (opts['dht-passive'] && !opts.dht) {
  throw new Error('--dht-passive needs --dht')
}
if (opts.dht) {
  services.dht = kadDHT({
    // Loopback is all these tests have: be a server from the start and keep 127.0.0.1 addresses,
    // which the default mapper strips as private.
    clientMode: false,
    peerInfoMapper: passthroughMapper,
    // js has only /pk/ built in; every storing peer needs the /parley/ rules (parley-record.mjs).
    validators: { parley: validateParleyRecord },
    selectors: { parley: selectParleyRecord },
    ...(opts['dht-passive'] ? passiveDht() : {})
  })
}

// A passive peer runs no lookup of its own accord, only the ones it is told to, so a test knows
// exactly whom it has talked to ("finds a peer it was never connected to"). Without these, js runs
// a self-query once its routing table gets its first peer (up to 5 s after start) and a table
// refresh (up to 30 s after start), and each contacts every peer it hears of. With them, the
// start-up refresh runs at once on the empty table and ends, and the self-query never comes.
// Peers that connect still enter the routing table (identify + ping) as usual.
function passiveDht () {
  return {
    allowQueryWithZeroPeers: true,
    initialQuerySelfInterval: NEVER_MS,
    querySelfInterval: NEVER_MS
  }
}

// WebRTC signals over a relayed connection, so it needs the circuit relay transport beside it.
function transports () {
  if (opts.webrtc) {
    return [tcp(), circuitRelayTransport(), webRTC()]
  }
  return opts['relay-client'] ? [tcp(), circuitRelayTransport()] : [tcp()]
}

const identityKey = await privateKey()
const node = await createLibp2p({
  privateKey: identityKey,
  addresses: { listen: opts.listen ?? ['/ip4/127.0.0.1/tcp/0'] },
  transports: transports(),
  connectionEncrypters: [noise()],
  streamMuxers: [yamux()],
  connectionManager: {
    // Tests open many connections from 127.0.0.1 in quick succession; js rate-limits an address
    // to 5 inbound connections per second unless it is allow-listed.
    allow: ['/ip4/127.0.0.1']
  },
  nodeInfo: { userAgent: opts.agent ?? `js-interop/${libp2pVersion}` },
  services
})

// Identify results of the automatic exchange on connection open, by connection id, so that dial
// can report what the remote said even if identify finished before dial returned.
const identified = new Map()
const identifyWaiters = new Map()

node.addEventListener('connection:open', ({ detail: conn }) => {
  emit({ event: 'connection-open', peer: conn.remotePeer.toString(), remoteAddr: conn.remoteAddr.toString(), direction: conn.direction })
})
node.addEventListener('connection:close', ({ detail: conn }) => {
  identified.delete(conn.id)
  emit({ event: 'connection-close', peer: conn.remotePeer.toString(), remoteAddr: conn.remoteAddr.toString() })
})
// kad-dht's self-query found these many peers (not sent when the query fails or times out).
node.addEventListener('kad-dht:query:self', ({ detail }) => {
  emit({ event: 'dht-self-query', peers: detail.peers, durationMs: detail.duration })
})
node.addEventListener('peer:identify', ({ detail: result }) => {
  const summary = identifySummary(result)
  identified.set(result.connection.id, summary)
  for (const resolve of identifyWaiters.get(result.connection.id) ?? []) {
    resolve(summary)
  }
  identifyWaiters.delete(result.connection.id)
  emit({ event: 'identify', ...summary })
})

function identifySummary (result) {
  return {
    peer: result.peerId.toString(),
    protocols: [...result.protocols].sort(),
    agentVersion: result.agentVersion ?? null,
    protocolVersion: result.protocolVersion ?? null,
    listenAddrs: result.listenAddrs.map(a => a.toString()),
    observedAddr: result.observedAddr?.toString() ?? null
  }
}

async function awaitIdentify (conn) {
  const done = identified.get(conn.id)
  if (done != null) {
    return done
  }
  const { promise, resolve, reject } = Promise.withResolvers()
  const waiters = identifyWaiters.get(conn.id) ?? []
  waiters.push(resolve)
  identifyWaiters.set(conn.id, waiters)
  const timer = setTimeout(() => reject(new Error(
    `no identify from ${conn.remotePeer} within ${IDENTIFY_WAIT_MS} ms: it failed or the peer does not serve /ipfs/id/1.0.0 (see this peer's stderr with DEBUG=libp2p:identify*)`)),
  IDENTIFY_WAIT_MS)
  try {
    return await promise
  } finally {
    clearTimeout(timer)
  }
}

// A target is either a PeerId string (use an existing connection) or a multiaddr string.
function target (text) {
  if (typeof text !== 'string' || text.length === 0) {
    throw new Error(`expected a peer id or a multiaddr, got ${JSON.stringify(text)}`)
  }
  return text.startsWith('/') ? multiaddr(text) : peerIdFromString(text)
}

async function connectionTo (text) {
  const t = target(text)
  if (!text.startsWith('/')) {
    // A direct connection (e.g. WebRTC) is preferred to the relayed one it was signalled over.
    const open = node.getConnections(t).filter(c => c.status === 'open')
      .sort((a, b) => (a.limits == null ? 0 : 1) - (b.limits == null ? 0 : 1))[0]
    if (open != null) {
      return open
    }
  }
  return node.dial(t)
}

function required (args, name) {
  const value = args[name]
  if (value == null) {
    throw new Error(`missing argument "${name}"`)
  }
  return value
}

function positiveInt (args, name, fallback) {
  const value = args[name] ?? fallback
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new Error(`argument "${name}" must be a non-negative integer, got ${JSON.stringify(value)}`)
  }
  return value
}

async function sendAll (stream, bytes) {
  for (let off = 0; off < bytes.length; off += CHUNK_BYTES) {
    if (!stream.send(bytes.subarray(off, off + CHUNK_BYTES))) {
      await stream.onDrain()
    }
  }
}

async function readAll (stream, onChunk) {
  let total = 0
  for await (const chunk of stream) {
    const bytes = chunk.subarray()
    total += bytes.length
    onChunk(bytes)
  }
  return total
}

// Echo responder: every byte back, then our own end-of-stream once the remote has finished.
async function serveEcho (stream) {
  for await (const chunk of stream) {
    if (!stream.send(chunk)) {
      await stream.onDrain()
    }
  }
  await stream.close()
}

// Sink responder: discard everything, then answer with the count.
async function serveSink (stream) {
  const count = await readAll(stream, () => {})
  const reply = Buffer.alloc(SINK_COUNT_BYTES)
  reply.writeBigUInt64BE(BigInt(count))
  stream.send(reply)
  await stream.close()
}

function handleSafely (name, serve) {
  return (stream, connection) => {
    serve(stream).catch(err => {
      log(`${name} stream from ${connection.remotePeer} failed: ${err.message}`)
      stream.abort(err)
    })
  }
}

const streamLimits = { maxInboundStreams: MAX_STREAMS_PER_PROTOCOL, maxOutboundStreams: MAX_STREAMS_PER_PROTOCOL }
// Echo runs on relayed (limited) connections too, so a test can prove a circuit carries data.
await node.handle(ECHO_PROTOCOL, handleSafely('echo', serveEcho), { ...streamLimits, runOnLimitedConnection: true })
await node.handle(SINK_PROTOCOL, handleSafely('sink', serveSink), streamLimits)

async function echoOnce (conn, index, size) {
  const stream = await conn.newStream(ECHO_PROTOCOL, { runOnLimitedConnection: true })
  const payload = randomBytes(size)
  const sent = createHash('sha256').update(payload).digest('hex')
  const received = createHash('sha256')
  const reading = readAll(stream, bytes => received.update(bytes))
  await Promise.all([sendAll(stream, payload).then(() => stream.close()), reading])
  const count = await reading
  const got = received.digest('hex')
  if (count !== size || got !== sent) {
    throw new Error(`echo stream ${index} returned ${count} bytes with sha256 ${got}; sent ${size} bytes with sha256 ${sent}`)
  }
}

function peerInfo (info) {
  return { peer: info.id.toString(), addrs: info.multiaddrs.map(a => a.toString()) }
}

function dht () {
  if (node.services.dht == null) {
    throw new Error('this peer runs without kad-dht: start it with --dht')
  }
  return node.services.dht
}

function providerKey (args) {
  if (args.cid != null) {
    return CID.parse(args.cid)
  }
  return CID.createV1(RAW_CODEC, Digest.decode(hexArg(args, 'multihashHex')))
}

// Buffer.from(text, 'hex') silently stops at the first bad digit; a test deserves an error.
function hexBytes (text, what) {
  if (typeof text !== 'string' || !/^([0-9a-fA-F]{2})*$/.test(text)) {
    throw new Error(`${what} must be an even number of hex digits, got ${JSON.stringify(text)}`)
  }
  return Buffer.from(text, 'hex')
}

const hexArg = (args, name) => hexBytes(required(args, name), `argument "${name}"`)

const hex = (bytes) => Buffer.from(bytes).toString('hex')

function dhtSignal (args) {
  return AbortSignal.timeout(positiveInt(args, 'timeoutMs', DEFAULT_DHT_TIMEOUT_MS))
}

function routingTablePeers () {
  const self = node.peerId.toString()
  return [...dht().routingTable.kb.toIterable()].map(p => p.peerId.toString()).filter(p => p !== self).sort()
}

// Runs kad-dht's put and sorts the answers: peers that echoed the record (stored it) and the query
// errors (lookup requests that failed, puts refused or not echoed), each as {peer, error}.
async function put (key, value, signal) {
  const storedAt = []
  const errors = []
  for await (const event of dht().put(key, value, { signal })) {
    if (event.name === 'PEER_RESPONSE' && event.messageName === 'PUT_VALUE' &&
        event.record != null && Buffer.from(event.record.value).equals(value)) {
      storedAt.push(event.from.toString())
    } else if (event.name === 'QUERY_ERROR') {
      errors.push({ peer: event.from.toString(), error: event.error.message })
    }
  }
  return { storedAt: storedAt.sort(), errors }
}

async function collect (events, type, map) {
  const out = []
  for await (const event of events) {
    if (event.name === type) {
      out.push(...map(event))
    }
  }
  return out
}

const commands = {
  async dial (args) {
    const conn = await node.dial(multiaddr(required(args, 'addr')))
    const id = await awaitIdentify(conn)
    return { ...id, remoteAddr: conn.remoteAddr.toString(), direction: conn.direction, limited: conn.limits != null }
  },

  // This peer's current addresses (relay reservations add /p2p-circuit ones).
  async addrs () {
    return { addrs: node.getMultiaddrs().map(a => a.toString()) }
  },

  async ping (args) {
    return { rtt: await node.services.ping.ping(target(required(args, 'peer'))) }
  },

  async identify (args) {
    const conn = await connectionTo(required(args, 'peer'))
    return identifySummary(await node.services.identify.identify(conn))
  },

  async echo (args) {
    const size = positiveInt(args, 'bytes', 1024)
    const streams = positiveInt(args, 'streams', 1)
    const conn = await connectionTo(required(args, 'peer'))
    const start = performance.now()
    await Promise.all(Array.from({ length: streams }, (_, i) => echoOnce(conn, i, size)))
    return { ok: true, ms: performance.now() - start, streams, bytes: size }
  },

  async 'bench-send' (args) {
    const size = positiveInt(args, 'bytes', 64 * 1024 * 1024)
    const conn = await connectionTo(required(args, 'peer'))
    const stream = await conn.newStream(args.protocol ?? SINK_PROTOCOL)
    const chunk = randomBytes(CHUNK_BYTES)
    const start = performance.now()
    for (let left = size; left > 0; left -= CHUNK_BYTES) {
      if (!stream.send(left >= CHUNK_BYTES ? chunk : chunk.subarray(0, left))) {
        await stream.onDrain()
      }
    }
    // Close, then read, as a plain request-response program would. Over WebRTC this needs the
    // sink's FIN_ACK ahead of its reply: js-libp2p 3.3.11's close() resolves on the FIN_ACK, and a
    // read begun after the stream's readable end has closed waits forever.
    await stream.close()
    const replyParts = []
    await readAll(stream, bytes => replyParts.push(bytes))
    const ms = performance.now() - start
    const reply = Buffer.concat(replyParts)
    if (reply.length !== SINK_COUNT_BYTES) {
      throw new Error(`sink replied with ${reply.length} bytes; expected an ${SINK_COUNT_BYTES}-byte count`)
    }
    const acked = reply.readBigUInt64BE()
    if (acked !== BigInt(size)) {
      throw new Error(`sink counted ${acked} bytes; sent ${size}`)
    }
    return { bytes: size, ms, mbPerSec: size / 1e6 / (ms / 1000) }
  },

  // CPU time this process has used so far (microseconds), for CPU-per-byte figures.
  async cpu () {
    const usage = process.cpuUsage()
    return { userMicros: usage.user, systemMicros: usage.system }
  },

  async peers () {
    return {
      peers: node.getConnections().map(c => ({
        peer: c.remotePeer.toString(),
        remoteAddr: c.remoteAddr.toString(),
        direction: c.direction,
        streams: c.streams.length
      }))
    }
  },

  async hangup (args) {
    await node.hangUp(target(required(args, 'peer')))
    return {}
  },

  async 'dht-routing-table' () {
    const peers = routingTablePeers()
    return { size: peers.length, peers }
  },

  // Resolves once the routing table holds at least `size` other peers and every one of `peers`
  // (js admits a peer only after identify lists the kad protocol and a ping succeeds).
  async 'dht-await-routing-table' (args) {
    const size = positiveInt(args, 'size', 1)
    const wanted = (args.peers ?? []).map(p => peerIdFromString(p).toString())
    const timeoutMs = positiveInt(args, 'timeoutMs', 10_000)
    const table = dht().routingTable
    const { promise, resolve, reject } = Promise.withResolvers()
    const missing = () => {
      const present = new Set(routingTablePeers())
      return wanted.filter(p => !present.has(p))
    }
    const check = () => {
      if (table.size >= size && missing().length === 0) {
        resolve()
      }
    }
    table.addEventListener('peer:add', check)
    const timer = setTimeout(() => reject(new Error(`routing table holds ${table.size} peers after ${timeoutMs} ms` +
      ` (${routingTablePeers().join(', ') || 'none'}); expected at least ${size}` +
      (wanted.length > 0 ? ` including ${missing().join(', ')}` : ''))), timeoutMs)
    try {
      check()
      await promise
    } finally {
      clearTimeout(timer)
      table.removeEventListener('peer:add', check)
    }
    return commands['dht-routing-table']()
  },

  // Announces this peer as a provider; `sentTo` lists the peers that took the ADD_PROVIDER message.
  async 'dht-provide' (args) {
    const cid = providerKey(args)
    const sentTo = []
    for await (const event of dht().provide(cid, { signal: dhtSignal(args) })) {
      if (event.name === 'PEER_RESPONSE' && event.messageName === 'ADD_PROVIDER') {
        sentTo.push(event.from.toString())
      } else if (event.name === 'QUERY_ERROR') {
        log(`provide ${cid}: query error from ${event.from}: ${event.error.message}`)
      }
    }
    return { cid: cid.toString(), sentTo: sentTo.sort() }
  },

  async 'dht-find-providers' (args) {
    const cid = providerKey(args)
    const signal = dhtSignal(args)
    const seen = new Map()
    for (const p of await collect(dht().findProviders(cid, { signal }), 'PROVIDER', e => e.providers)) {
      seen.set(p.id.toString(), peerInfo(p))
    }
    return { cid: cid.toString(), providers: [...seen.values()] }
  },

  async 'dht-find-peer' (args) {
    const id = peerIdFromString(required(args, 'peer'))
    const signal = dhtSignal(args)
    const found = await collect(dht().findPeer(id, { signal }), 'FINAL_PEER', e => [e.peer])
    if (found.length === 0) {
      throw new Error(`kad-dht did not find ${id}`)
    }
    return peerInfo(found[0])
  },

  async 'dht-closest-peers' (args) {
    const key = hexArg(args, 'keyHex')
    const signal = dhtSignal(args)
    const found = await collect(dht().getClosestPeers(key, { signal }), 'FINAL_PEER', e => [e.peer])
    return { peers: found.map(peerInfo) }
  },

  // Stores the value locally and on the closest peers. `storedAt` lists the peers that echoed the
  // record (so accepted it); `errors` the failed requests of the lookup and the puts.
  async 'dht-put' (args) {
    return put(hexArg(args, 'keyHex'), hexArg(args, 'valueHex'), dhtSignal(args))
  },

  // The best value (by the namespace's selector) and who sent it; js corrects stale holders on the
  // way and fails if a correction is not echoed.
  async 'dht-get' (args) {
    const key = hexArg(args, 'keyHex')
    const values = await collect(dht().get(key, { signal: dhtSignal(args) }), 'VALUE', e => [e])
    if (values.length === 0) {
      throw new Error(`kad-dht found no value for key ${args.keyHex}`)
    }
    return { valueHex: hex(values[0].value), from: values[0].from.toString() }
  },

  // Every valid value found, ours first if we hold one, unsorted: [{from, valueHex}]. Neither
  // selects nor corrects. kad-dht 16 has getMany only on its (public) contentFetching member.
  async 'dht-get-many' (args) {
    const key = hexArg(args, 'keyHex')
    const values = await collect(dht().contentFetching.getMany(key, { signal: dhtSignal(args) }), 'VALUE',
      e => [{ from: e.from.toString(), valueHex: hex(e.value) }])
    return { values }
  },

  // Signs a /parley/ record with this peer's key and puts it, as dht-put does.
  async 'dht-put-parley' (args) {
    const { key, value } = await signParleyRecord(identityKey, required(args, 'name'),
      parleySeq(args), hexArg(args, 'dataHex'))
    return { keyHex: hex(key), valueHex: hex(value), ...await put(Buffer.from(key), Buffer.from(value), dhtSignal(args)) }
  },

  // The /parley/ record rules on their own (no DHT needed), for checking them against Java's.
  async 'parley-record-sign' (args) {
    const { key, value } = await signParleyRecord(identityKey, required(args, 'name'), parleySeq(args),
      hexArg(args, 'dataHex'))
    return { keyHex: hex(key), valueHex: hex(value) }
  },

  async 'parley-record-validate' (args) {
    try {
      const r = await parseParleyRecord(hexArg(args, 'keyHex'), hexArg(args, 'valueHex'))
      return { valid: true, name: r.name, seq: r.seq.toString(), dataHex: hex(r.data) }
    } catch (err) {
      if (err.name !== 'InvalidParleyRecordError') {
        throw err
      }
      return { valid: false, error: err.message }
    }
  },

  async 'parley-record-select' (args) {
    const values = required(args, 'valuesHex').map((v, i) => hexBytes(v, `argument "valuesHex[${i}]"`))
    return { index: await selectParleyRecord(hexArg(args, 'keyHex'), values) }
  }
}

// seq as a decimal string (uint64 does not fit a JSON number) or a safe integer.
function parleySeq (args) {
  const seq = required(args, 'seq')
  if (!(Number.isSafeInteger(seq) && seq >= 0) && !(typeof seq === 'string' && /^[0-9]+$/.test(seq))) {
    throw new Error(`argument "seq" must be a non-negative integer or a decimal string, got ${JSON.stringify(seq)}`)
  }
  return BigInt(seq)
}

let stopping = false
async function stop (code) {
  if (stopping) {
    return
  }
  stopping = true
  try {
    await node.stop()
  } catch (err) {
    log(`stop failed: ${err.stack ?? err}`)
  }
  process.exit(code)
}

async function run (line) {
  let request
  try {
    request = JSON.parse(line)
  } catch (err) {
    log(`ignoring a stdin line that is not JSON: ${line}`)
    return
  }
  const { id, cmd, args = {} } = request
  if (cmd === 'stop') {
    emit({ id, ok: true, result: {} })
    await stop(0)
    return
  }
  const handler = Object.hasOwn(commands, cmd) ? commands[cmd] : null
  if (handler == null) {
    emit({ id, ok: false, error: `unknown command ${JSON.stringify(cmd)}; known: ${Object.keys(commands).concat('stop').join(', ')}` })
    return
  }
  try {
    emit({ id, ok: true, result: await handler(args) })
  } catch (err) {
    log(`command ${cmd} #${id} failed: ${err.stack ?? err}`)
    emit({ id, ok: false, error: `${err.name}: ${err.message}` })
  }
}

process.on('SIGTERM', () => stop(0))
process.on('SIGINT', () => stop(0))

const input = createInterface({ input: process.stdin, crlfDelay: Infinity })
input.on('line', line => {
  if (line.trim() !== '') {
    run(line)
  }
})
input.on('close', () => stop(0))

log(`js-libp2p ${libp2pVersion} peer ${node.peerId} listening on ${node.getMultiaddrs().join(' ')}${opts.dht ? ' with kad-dht' : ''}`)
emit({
  event: 'ready',
  peerId: node.peerId.toString(),
  publicKeyHex: Buffer.from(publicKeyToProtobuf(identityKey.publicKey)).toString('hex'),
  addrs: node.getMultiaddrs().map(a => a.toString())
})
