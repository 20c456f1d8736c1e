// <parley-network-view>: this node's ids and addresses, its connections with their transport, the
// DHT mode and routing table size, whether WebRTC is available (and why not), and the bootstrap peers, which the user can add and remove (the
// node applies that at once and keeps it for later starts); kept current by the node's live
// events, never by polling.
import { LitElement, html, css } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { shared, reportError, clearError } from './styles.js';
import { getJson, postJson, sentence, LiveEvents } from './api.js';
import './copy-button.js';

/** What each DHT mode means, for people who do not know Kademlia. */
const DHT_MODES = { server: 'answers other peers\' DHT queries', client: 'only asks; other peers do not query it' };
const LIVE_LABELS = { connecting: 'Connecting to live updates…', live: 'Live', lost: 'Live updates lost; reconnecting…' };

export class NetworkView extends LitElement {
  static properties = {
    id: { state: true },
    peers: { state: true },
    table: { state: true },
    bootstrap: { state: true },
    bootstrapProblem: { state: true },
    webrtc: { state: true },
    live: { state: true },
  };

  static styles = [shared, css`
    dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.5rem 1rem; margin: 0; }
    dt { font-weight: 600; }
    dd { margin: 0; display: flex; gap: 0.5rem; align-items: center; flex-wrap: wrap; min-width: 0; }
    ul.addresses { list-style: none; padding: 0; margin: 0; display: grid; gap: 0.4rem; }
    ul.addresses li { display: flex; gap: 0.5rem; align-items: center; min-width: 0; }
    .status { display: flex; align-items: center; gap: 0.4rem; font-size: 0.9rem; margin-bottom: 1rem; }
    .dot { width: 0.6rem; height: 0.6rem; border-radius: 50%; background: var(--parley-muted); }
    .dot.live { background: var(--parley-ok); }
    table { width: 100%; border-collapse: collapse; font-size: 0.9rem; }
    th, td { text-align: left; padding: 0.45rem 0.5rem; border-bottom: 1px solid var(--parley-border);
      vertical-align: top; }
    td { overflow-wrap: anywhere; }
    td.short { white-space: nowrap; }
    .empty { margin: 0; }
    form.add { display: flex; gap: 0.5rem; flex-wrap: wrap; align-items: center; margin-top: 0.75rem; }
    form.add input { font: inherit; flex: 1 1 18rem; min-width: 0; padding: 0.35rem 0.5rem;
      border: 1px solid var(--parley-border); border-radius: 6px; }
    .problem { color: var(--parley-error-fg); margin: 0.4rem 0 0; }
    .problem:empty { display: none; }
    @media (max-width: 640px) {
      dl { grid-template-columns: 1fr; }
      dt { margin-top: 0.4rem; }
      table, thead, tbody, tr, th, td { display: block; }
      thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
      tr { border: 1px solid var(--parley-border); border-radius: 6px; padding: 0.4rem 0.6rem;
        margin-bottom: 0.6rem; }
      td { border: none; padding: 0.2rem 0; }
      td::before { content: attr(data-label) ": "; font-weight: 600; }
    }
  `];

  constructor() {
    super();
    this.id = null;
    this.peers = [];
    this.table = null;
    this.bootstrap = null;
    this.bootstrapProblem = '';
    this.live = 'connecting';
    this.lossReported = false;
    this.refreshing = null;
    this.refreshAgain = false;
    this.refreshAll = false;
    this.events = new LiveEvents(this, (event) => this.onEvent(event), (state) => this.onLiveState(state));
  }

  onLiveState(state) {
    this.live = state;
    // The socket is up: load everything, so nothing that happened before (or while it was down) is missed.
    if (state === 'live') {
      this.lossReported = false;
      clearError(this, 'live');
      this.refresh(true);
    } else if (state === 'lost' && !this.lossReported) {
      // Once per loss: each reconnect attempt goes through 'connecting' and 'lost' again, and a
      // message the user dismissed must not come back until the node was reached in between.
      this.lossReported = true;
      reportError(this, 'Lost the connection to the node\'s live updates; reconnecting. Is the node still running?',
        'live');
    }
  }

  onEvent(event) {
    switch (event.type) {
      case 'peer.connected':
      case 'peer.disconnected':
      case 'peer.identified':
        this.refresh(false);
        break;
      case 'dht.mode':
        if (this.table) {
          this.table = { ...this.table, mode: event.mode };
        }
        this.refresh(false);
        break;
      case 'events.dropped':
        this.refresh(true);
        break;
      default:
        break;
    }
  }

  /**
   * Reloads the peers and routing table (and this node's id when `all`). A refresh asked for while
   * one runs starts once that one ends, so a burst of events costs at most two rounds.
   */
  async refresh(all) {
    if (this.refreshing) {
      this.refreshAgain = true;
      this.refreshAll = this.refreshAll || all;
      return;
    }
    this.refreshing = this.load(all || this.id === null);
    try {
      await this.refreshing;
    } finally {
      this.refreshing = null;
    }
    if (this.refreshAgain) {
      const again = this.refreshAll;
      this.refreshAgain = false;
      this.refreshAll = false;
      await this.refresh(again);
    }
  }

  async load(all) {
    try {
      const [id, peers, table, bootstrap] = await Promise.all([
        all ? getJson('/api/id') : Promise.resolve(this.id),
        getJson('/api/peers'),
        getJson('/api/dht/routing-table'),
        getJson('/api/bootstrap'),
      ]);
      this.id = id;
      this.peers = peers.peers;
      this.webrtc = peers.webrtc ?? null;
      this.table = table;
      this.bootstrap = bootstrap.peers;
      clearError(this, 'load');
    } catch (e) {
      reportError(this, e.message, 'load');
    }
  }

  render() {
    return html`
      <h1 class="visually-hidden">Network</h1>
      <div class="status" role="status">
        <span class="dot ${this.live === 'live' ? 'live' : ''}" aria-hidden="true"></span>
        <span>${LIVE_LABELS[this.live]}</span>
      </div>
      ${this.renderNode()}
      ${this.renderDht()}
      ${this.renderPeers()}
      ${this.renderBootstrap()}`;
  }

  async addBootstrap(event) {
    event.preventDefault();
    const input = this.renderRoot.querySelector('#bootstrap-address');
    const multiaddr = input.value.trim();
    if (multiaddr === '') {
      this.bootstrapProblem = 'Paste a peer\'s address first, ending in /p2p/ and its PeerId.';
      input.focus();
      return;
    }
    try {
      this.bootstrap = (await postJson('/api/bootstrap/add', { multiaddr })).peers;
      input.value = '';
      this.bootstrapProblem = '';
    } catch (error) {
      // The address stays in the box to be corrected.
      this.bootstrapProblem = `Could not add it: ${sentence(error.message)}`;
    }
  }

  async removeBootstrap(multiaddr) {
    try {
      this.bootstrap = (await postJson('/api/bootstrap/remove', { multiaddr })).peers;
      this.bootstrapProblem = '';
    } catch (error) {
      this.bootstrapProblem = `Could not remove it: ${sentence(error.message)}`;
    }
  }

  renderBootstrap() {
    const peers = this.bootstrap;
    return html`
      <section class="card" aria-labelledby="bootstrap-heading">
        <h2 id="bootstrap-heading">Bootstrap peers</h2>
        <p class="muted">The node stays connected to these and finds everyone else through them. Changes apply at
          once and are kept for the next start.</p>
        ${peers === null ? html`<p class="muted">Loading…</p>` : peers.length === 0
          ? html`<p class="empty muted">No bootstrap peers: the node finds others only if they dial it.</p>`
          : html`<ul class="addresses" aria-labelledby="bootstrap-heading">${repeat(peers, (p) => p.multiaddr, (p) => html`
              <li class="bootstrap" data-multiaddr=${p.multiaddr}><code>${p.multiaddr}</code>
                <span class="muted state">${p.connected ? 'connected' : 'not connected'}${
                  p.source === 'config' ? ', from the config' : ''}</span>
                <button type="button" aria-label="Remove bootstrap peer ${p.multiaddr}"
                  @click=${() => this.removeBootstrap(p.multiaddr)}>Remove</button></li>`)}
            </ul>`}
        <form class="add" @submit=${this.addBootstrap}>
          <label for="bootstrap-address">Bootstrap peer address</label>
          <input id="bootstrap-address" type="text" autocomplete="off" spellcheck="false"
            placeholder="/ip4/192.0.2.1/tcp/4001/p2p/12D3KooW…" aria-describedby="bootstrap-problem">
          <button type="submit">Add</button>
        </form>
        <p id="bootstrap-problem" class="problem" role="alert">${this.bootstrapProblem}</p>
      </section>`;
  }

  renderNode() {
    if (!this.id) {
      return html`<section class="card" aria-busy="true"><h2>This node</h2><p class="muted">Loading…</p></section>`;
    }
    const id = this.id;
    return html`
      <section class="card" aria-labelledby="node-heading">
        <h2 id="node-heading">This node</h2>
        <dl>
          <dt>PeerId</dt>
          <dd><code id="peer-id">${id.peerId}</code>
            <parley-copy-button .value=${id.peerId} label="PeerId"></parley-copy-button></dd>
          <dt>Rendezvous key</dt>
          <dd><code id="rendezvous-key">${id.rendezvousKey}</code>
            <parley-copy-button .value=${id.rendezvousKey} label="rendezvous key"></parley-copy-button></dd>
          <dt>Version</dt>
          <dd>${id.agentVersion}</dd>
          <dt>Addresses</dt>
          <dd>${id.addresses.length === 0
            ? html`<span class="muted">none: this node does not listen</span>`
            : html`<ul class="addresses" aria-label="Listen addresses">${id.addresses.map((address, i) => html`
                <li><code>${address}</code>
                  <parley-copy-button .value=${address} label="address ${i + 1}"></parley-copy-button></li>`)}
              </ul>`}</dd>
        </dl>
      </section>`;
  }

  renderDht() {
    const table = this.table;
    return html`
      <section class="card" aria-labelledby="dht-heading">
        <h2 id="dht-heading">DHT</h2>
        <dl>
          <dt>Mode</dt>
          <dd><span id="dht-mode">${table ? table.mode : '…'}</span>${table && DHT_MODES[table.mode]
            ? html` <span class="muted">(${DHT_MODES[table.mode]})</span>` : ''}</dd>
          <dt>Routing table</dt>
          <dd id="routing-table-size">${table ? `${table.size} ${table.size === 1 ? 'peer' : 'peers'}` : '…'}</dd>
          <dt>WebRTC</dt>
          <dd id="webrtc">${this.renderWebRtc()}</dd>
        </dl>
      </section>`;
  }

  /** Whether direct WebRTC connections (the way past two NATs) are possible, and why not when they are not. */
  renderWebRtc() {
    const webrtc = this.webrtc;
    if (!webrtc) {
      return '…';
    }
    return webrtc.available
      ? 'available'
      : html`not available<span class="muted">${webrtc.reason ? `: ${webrtc.reason}` : ''}</span>`;
  }

  renderPeers() {
    const peers = this.peers;
    // The API names each connection's transport once it can be more than TCP (relayed, WebRTC).
    const transports = peers.some((peer) => peer.transport);
    return html`
      <section class="card" aria-labelledby="peers-heading">
        <h2 id="peers-heading">Connections <span class="muted">(${peers.length})</span></h2>
        ${peers.length === 0
          ? html`<p class="empty muted">No connections.</p>`
          : html`
            <table aria-labelledby="peers-heading">
              <thead><tr><th scope="col">Peer</th><th scope="col">Address</th>${transports ? html`<th scope="col">Transport</th>` : ''}<th scope="col">Direction</th>
                <th scope="col">Agent</th><th scope="col">Latency</th></tr></thead>
              <tbody>${repeat(peers, (peer) => peer.peerId, (peer) => html`
                <tr class="peer" data-peer-id=${peer.peerId}>
                  <td data-label="Peer"><code>${peer.peerId}</code></td>
                  <td data-label="Address"><code>${peer.addresses[0] ?? ''}</code>${peer.addresses.length > 1
                    ? html` <span class="muted">(+${peer.addresses.length - 1})</span>` : ''}</td>
                  ${transports ? html`<td data-label="Transport" class="short">${peer.transport ?? ''}</td>` : ''}
                  <td data-label="Direction" class="short">${peer.direction}</td>
                  <td data-label="Agent" class="agent">${peer.agentVersion ?? html`<span class="muted">unknown</span>`}</td>
                  <td data-label="Latency" class="short">${peer.latencyMs == null
                    ? html`<span class="muted">unknown</span>` : `${peer.latencyMs.toFixed(1)} ms`}</td>
                </tr>`)}
              </tbody>
            </table>`}
      </section>`;
  }
}
customElements.define('parley-network-view', NetworkView);
