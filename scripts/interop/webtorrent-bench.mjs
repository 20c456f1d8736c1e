// WebTorrent side of `scripts/bench files`: one process seeds, another fetches, over
// 127.0.0.1 only, with DHT, trackers, LSD, uTP and PEX off and the seeder added by hand.
//   node webtorrent-bench.mjs seed FILE          prints "port: N" and "magnet: URI", then seeds until killed
//   node webtorrent-bench.mjs get MAGNET PORT DIR  fetches into DIR, prints "seconds: S" (add to done)
//                                                  and "cpu: S" (this process's CPU seconds over it)
import WebTorrent from 'webtorrent'

const off = { dht: false, tracker: false, lsd: false, utp: false, utPex: false, webSeeds: false, natUpnp: false, natPmp: false }
const [mode, ...args] = process.argv.slice(2)

if (mode === 'seed') {
  const client = new WebTorrent({ ...off, torrentPort: 0 })
  client.seed(args[0], { announce: [] }, (torrent) => {
    const port = client.address().port
    console.log(`port: ${port}`)
    console.log(`magnet: ${torrent.magnetURI}`)
  })
  client.on('error', (e) => { console.error(`seeder: ${e.message}`); process.exit(1) })
} else if (mode === 'get') {
  const [magnet, port, dir] = args
  const client = new WebTorrent({ ...off, torrentPort: 0 })
  client.on('error', (e) => { console.error(`leecher: ${e.message}`); process.exit(1) })
  const started = process.hrtime.bigint()
  const cpuStarted = process.cpuUsage()
  const torrent = client.add(magnet, { path: dir, announce: [] })
  torrent.on('infoHash', () => torrent.addPeer(`127.0.0.1:${port}`))
  torrent.on('done', () => {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9
    const cpu = process.cpuUsage(cpuStarted)
    console.log(`seconds: ${seconds}`)
    console.log(`cpu: ${(cpu.user + cpu.system) / 1e6}`)
    client.destroy(() => process.exit(0))
  })
} else {
  console.error('usage: webtorrent-bench.mjs seed FILE | get MAGNET PORT DIR')
  process.exit(2)
}
