// Loaded with `node --import ./no-webrtc.mjs` by webtorrent-bench.mjs's callers: WebTorrent imports
// WebRTC (node-datachannel, a native module whose prebuilt binary may be missing) even when only
// TCP peers are used, as in the benchmark. This hook hands it a stand-in that fails if called.
import { register } from 'node:module'

const stub = 'data:text/javascript,' + encodeURIComponent(`
const none = () => { throw new Error('WebRTC is not available in this benchmark') }
export class PeerConnection { constructor () { none() } }
export class RtcpReceivingSession { constructor () { none() } }
export class Video { constructor () { none() } }
export class Audio { constructor () { none() } }
export const cleanup = () => {}
export default { PeerConnection, RtcpReceivingSession, Video, Audio, cleanup }
`)

register('data:text/javascript,' + encodeURIComponent(`
export async function resolve (specifier, context, next) {
  if (specifier === 'node-datachannel' || specifier.startsWith('node-datachannel/')) {
    return { url: ${JSON.stringify(stub)}, shortCircuit: true }
  }
  return next(specifier, context)
}
`))
