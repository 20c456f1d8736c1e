// The /parley/ DHT record namespace in JavaScript: validator, selector and signer, so js kad-dht
// peers store, check and pick Parley records exactly as the Java DHT does
// (dht/src/main/java/org/parley/dht/record/ParleyRecord.java and ParleyRecordValidator.java).
//
//   key          = "/parley/" ‖ binary PeerId of the signer ‖ "/" ‖ name (UTF-8, 1 to 128 bytes)
//   value        = ParleyRecordValue (dht/src/main/proto/parley/dht/parley_record.proto, at most 10 KiB):
//                    1: publicKey (bytes, libp2p PublicKey protobuf)   2: seq (uint64)
//                    3: data (bytes)                                   4: signature (bytes)
//   signed bytes = "parley-dht-record:" ‖ LP(key) ‖ uvarint(seq) ‖ LP(data)      (LP = uvarint length prefix)
//
// Valid iff PeerId(publicKey) is the signer named in the key and the signature verifies. Best of
// several = highest seq; equal seqs are broken by the larger value bytes (unsigned, lexicographic),
// as in Java, so every node picks the same one. The value is decoded by hand with protobuf's rules
// (unknown fields skipped, the last occurrence of a field wins) because it is four fields.
import { publicKeyFromProtobuf, publicKeyToProtobuf } from '@libp2p/crypto/keys'
import { base58btc } from 'multiformats/bases/base58'

export const NAMESPACE = 'parley'
// Limits copied from ParleyRecord.java; a record one side accepts must be accepted by the other.
export const MAX_NAME_BYTES = 128
export const MAX_VALUE_BYTES = 10 * 1024
// Java reads seq into a signed long and refuses larger values.
const MAX_SEQ = (1n << 63n) - 1n
// A uint64 varint never needs more than 10 bytes (protobuf refuses longer ones).
const MAX_VARINT_BYTES = 10

const encoder = new TextEncoder()
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })
const KEY_PREFIX = encoder.encode(`/${NAMESPACE}/`)
const SIGNATURE_DOMAIN = encoder.encode('parley-dht-record:')
const SLASH = 0x2f

const FIELD_PUBLIC_KEY = 1
const FIELD_SEQ = 2
const FIELD_DATA = 3
const FIELD_SIGNATURE = 4
const WIRE_VARINT = 0
const WIRE_FIXED64 = 1
const WIRE_LENGTH_DELIMITED = 2
const WIRE_START_GROUP = 3
const WIRE_END_GROUP = 4
const WIRE_FIXED32 = 5

/** A record that fails one of the namespace's rules; the message names the rule. */
export class InvalidParleyRecordError extends Error {
  constructor (message) {
    super(message)
    this.name = 'InvalidParleyRecordError'
  }
}

const invalid = (message) => new InvalidParleyRecordError(message)

/** Reads an unsigned varint at `offset`; returns [value as BigInt, next offset]. */
function readVarint (bytes, offset, what) {
  let value = 0n
  for (let i = 0; i < MAX_VARINT_BYTES; i++) {
    if (offset + i >= bytes.length) {
      throw invalid(`${what} ends inside a varint`)
    }
    const b = bytes[offset + i]
    value |= BigInt(b & 0x7f) << BigInt(7 * i)
    if ((b & 0x80) === 0) {
      return [BigInt.asUintN(64, value), offset + i + 1]
    }
  }
  throw invalid(`${what} has a varint longer than ${MAX_VARINT_BYTES} bytes`)
}

function writeVarint (value) {
  let v = BigInt(value)
  const out = []
  do {
    let b = Number(v & 0x7fn)
    v >>= 7n
    if (v !== 0n) {
      b |= 0x80
    }
    out.push(b)
  } while (v !== 0n)
  return Uint8Array.from(out)
}

function concat (...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let offset = 0
  for (const p of parts) {
    out.set(p, offset)
    offset += p.length
  }
  return out
}

const lengthPrefixed = (bytes) => concat(writeVarint(bytes.length), bytes)

function equalBytes (a, b) {
  return a.length === b.length && a.every((x, i) => x === b[i])
}

/** Unsigned lexicographic order, a shorter prefix first (Java's Arrays.compareUnsigned). */
function compareUnsigned (a, b) {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    if (a[i] !== b[i]) {
      return a[i] - b[i]
    }
  }
  return a.length - b.length
}

/** The bytes the signature covers. */
export function signedBytes (key, seq, data) {
  return concat(SIGNATURE_DOMAIN, lengthPrefixed(key), writeVarint(seq), lengthPrefixed(data))
}

/** The record key under which the peer with this binary PeerId (a multihash) publishes `name`. */
export function parleyKey (peerIdBytes, name) {
  const nameBytes = encoder.encode(name)
  if (nameBytes.length === 0 || nameBytes.length > MAX_NAME_BYTES) {
    throw new Error(`record name must be 1 to ${MAX_NAME_BYTES} UTF-8 bytes, got ${nameBytes.length}`)
  }
  return concat(KEY_PREFIX, peerIdBytes, Uint8Array.of(SLASH), nameBytes)
}

/** Splits a key into the signer's binary PeerId (a multihash, self-delimiting) and the name. */
function parseKey (key) {
  if (key.length < KEY_PREFIX.length || !equalBytes(key.subarray(0, KEY_PREFIX.length), KEY_PREFIX)) {
    throw invalid('key is not in the /parley/ namespace')
  }
  let offset = KEY_PREFIX.length
  let digestLength
  ;[, offset] = readVarint(key, offset, 'the PeerId in the /parley/ key')
  ;[digestLength, offset] = readVarint(key, offset, 'the PeerId in the /parley/ key')
  if (digestLength > BigInt(key.length - offset)) {
    throw invalid(`the PeerId in the /parley/ key declares ${digestLength} digest bytes but ${key.length - offset} remain`)
  }
  offset += Number(digestLength)
  const signer = key.subarray(KEY_PREFIX.length, offset)
  if (offset >= key.length || key[offset] !== SLASH) {
    throw invalid('/parley/ key must be /parley/<binary PeerId>/<name>')
  }
  const nameBytes = key.subarray(offset + 1)
  if (nameBytes.length === 0 || nameBytes.length > MAX_NAME_BYTES) {
    throw invalid(`/parley/ record name must be 1 to ${MAX_NAME_BYTES} bytes, got ${nameBytes.length}`)
  }
  let name
  try {
    name = strictUtf8.decode(nameBytes)
  } catch {
    throw invalid('/parley/ record name is not valid UTF-8')
  }
  return { signer, name }
}

/** The base58btc text of a binary PeerId, as Java and js print PeerIds. */
const peerIdText = (multihash) => base58btc.encode(multihash).substring(1)

/** Skips the payload of one field with this wire type starting at `offset`; returns the next offset. */
function skipField (bytes, offset, fieldNumber, wireType) {
  switch (wireType) {
    case WIRE_VARINT:
      return readVarint(bytes, offset, '/parley/ value')[1]
    case WIRE_FIXED64:
    case WIRE_FIXED32: {
      const size = wireType === WIRE_FIXED64 ? 8 : 4
      if (offset + size > bytes.length) {
        throw invalid('/parley/ value ends inside a fixed-size field')
      }
      return offset + size
    }
    case WIRE_LENGTH_DELIMITED: {
      const [length, start] = readVarint(bytes, offset, '/parley/ value')
      if (length > BigInt(bytes.length - start)) {
        throw invalid(`/parley/ value field ${fieldNumber} declares ${length} bytes but ${bytes.length - start} remain`)
      }
      return start + Number(length)
    }
    case WIRE_START_GROUP: {
      // A group runs to the end-group tag of the same field number; groups may nest.
      let next = offset
      while (true) {
        let tag
        ;[tag, next] = readVarint(bytes, next, '/parley/ value')
        const innerNumber = Number(tag >> 3n)
        const innerType = Number(tag & 7n)
        if (innerType === WIRE_END_GROUP) {
          if (innerNumber !== fieldNumber) {
            throw invalid(`/parley/ value closes group ${innerNumber} inside group ${fieldNumber}`)
          }
          return next
        }
        next = skipField(bytes, next, innerNumber, innerType)
      }
    }
    default:
      throw invalid(`/parley/ value has field ${fieldNumber} with invalid wire type ${wireType}`)
  }
}

/** Decodes a ParleyRecordValue with proto3 rules: absent fields are empty, the last one wins. */
function decodeValue (value) {
  const out = { publicKey: new Uint8Array(0), seq: 0n, data: new Uint8Array(0), signature: new Uint8Array(0) }
  const bytesFields = { [FIELD_PUBLIC_KEY]: 'publicKey', [FIELD_DATA]: 'data', [FIELD_SIGNATURE]: 'signature' }
  let offset = 0
  while (offset < value.length) {
    let tag
    ;[tag, offset] = readVarint(value, offset, '/parley/ value')
    const fieldNumber = Number(tag >> 3n)
    const wireType = Number(tag & 7n)
    if (fieldNumber === 0) {
      throw invalid('/parley/ value has a field numbered 0')
    }
    if (wireType === WIRE_END_GROUP) {
      throw invalid(`/parley/ value has an unmatched end of group ${fieldNumber}`)
    }
    if (bytesFields[fieldNumber] != null && wireType === WIRE_LENGTH_DELIMITED) {
      const [length, start] = readVarint(value, offset, '/parley/ value')
      if (length > BigInt(value.length - start)) {
        throw invalid(`/parley/ value field ${fieldNumber} declares ${length} bytes but ${value.length - start} remain`)
      }
      offset = start + Number(length)
      out[bytesFields[fieldNumber]] = value.subarray(start, offset)
    } else if (fieldNumber === FIELD_SEQ && wireType === WIRE_VARINT) {
      ;[out.seq, offset] = readVarint(value, offset, '/parley/ value')
    } else {
      // An unknown field, or a known one with another wire type: protobuf keeps it as unknown.
      offset = skipField(value, offset, fieldNumber, wireType)
    }
  }
  return out
}

/**
 * Checks a record and returns what it says: { signer (multihash bytes), name, seq (BigInt), data }.
 * Throws InvalidParleyRecordError naming the first rule it breaks, in Java's order.
 */
export async function parseParleyRecord (key, value) {
  const { signer, name } = parseKey(key)
  if (value.length > MAX_VALUE_BYTES) {
    throw invalid(`/parley/ value of ${value.length} bytes exceeds the ${MAX_VALUE_BYTES}-byte limit`)
  }
  const pb = decodeValue(value)
  let publicKey
  try {
    publicKey = publicKeyFromProtobuf(pb.publicKey)
  } catch (err) {
    throw invalid(`/parley/ value has an invalid public key: ${err.message}`)
  }
  if (!equalBytes(publicKey.toMultihash().bytes, signer)) {
    throw invalid(`/parley/ value is signed by ${publicKey.toString()}, not by ${peerIdText(signer)} named in the key`)
  }
  if (pb.seq > MAX_SEQ) {
    throw invalid(`/parley/ seq ${pb.seq} exceeds the largest accepted, ${MAX_SEQ}`)
  }
  let verified
  try {
    verified = await publicKey.verify(signedBytes(key, pb.seq, pb.data), pb.signature)
  } catch {
    verified = false
  }
  if (!verified) {
    throw invalid(`/parley/ value signature does not verify for ${peerIdText(signer)}`)
  }
  return { signer, name, seq: pb.seq, data: pb.data }
}

/** kad-dht validator for the `parley` namespace: resolves for a valid record, throws otherwise. */
export async function validateParleyRecord (key, value) {
  await parseParleyRecord(key, value)
}

/**
 * kad-dht selector for the `parley` namespace: the index of the record with the highest seq, equal
 * seqs broken by the larger value bytes. Invalid values are never chosen unless all are (then 0).
 */
export async function selectParleyRecord (key, values) {
  if (values.length === 0) {
    throw new Error('no values to select from')
  }
  let best = -1
  let bestSeq = -1n
  for (let i = 0; i < values.length; i++) {
    let record
    try {
      record = await parseParleyRecord(key, values[i])
    } catch {
      continue
    }
    if (best < 0 || record.seq > bestSeq || (record.seq === bestSeq && compareUnsigned(values[i], values[best]) > 0)) {
      best = i
      bestSeq = record.seq
    }
  }
  return Math.max(best, 0)
}

/**
 * Signs `data` as version `seq` of `name` with `privateKey` (a @libp2p/crypto private key), encoded
 * as proto3 does: fields with default values are left out. Returns { key, value }.
 */
export async function signParleyRecord (privateKey, name, seq, data) {
  const seqBig = BigInt(seq)
  if (seqBig < 0n || seqBig > MAX_SEQ) {
    throw new Error(`seq must be 0 to ${MAX_SEQ}, got ${seq}`)
  }
  const key = parleyKey(privateKey.publicKey.toMultihash().bytes, name)
  const signature = await privateKey.sign(signedBytes(key, seqBig, data))
  const field = (number, bytes) => bytes.length === 0
    ? new Uint8Array(0)
    : concat(writeVarint((number << 3) | WIRE_LENGTH_DELIMITED), lengthPrefixed(bytes))
  const value = concat(
    field(FIELD_PUBLIC_KEY, publicKeyToProtobuf(privateKey.publicKey)),
    seqBig === 0n ? new Uint8Array(0) : concat(writeVarint((FIELD_SEQ << 3) | WIRE_VARINT), writeVarint(seqBig)),
    field(FIELD_DATA, data),
    field(FIELD_SIGNATURE, signature)
  )
  if (value.length > MAX_VALUE_BYTES) {
    throw new Error(`record value of ${value.length} bytes exceeds the ${MAX_VALUE_BYTES}-byte limit`)
  }
  return { key, value }
}
