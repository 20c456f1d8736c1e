// <parley-devices-view>: this user's devices. "Link a device" shows a one-time code with a copy
// button, its QR code (drawn by the node) and the time left before it expires, with the command
// the new device runs; the list shows each device with "this device", when it was added and last
// seen, its history sync state and Revoke (confirmed in place). Devices joining or leaving
// (device.added, device.revoked) and sync progress (sync.state) arrive live; the countdown is the
// page's own clock, not a request to the node.
import { LitElement, html, css } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { shared, reportError, clearError } from './styles.js';
import { sentence, getJson, postJson, LiveEvents } from './api.js';
import './copy-button.js';

/** The countdown's step: it shows minutes and seconds. */
const TICK_MS = 1000;
const REFRESHING_EVENTS = new Set(['device.added', 'device.revoked']);

/** "9:05" for 545 seconds. */
function minutesSeconds(seconds) {
  const whole = Math.max(0, Math.floor(seconds));
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}

function when(iso) {
  return iso ? new Date(iso).toLocaleString() : '';
}

/** What the sync journal says about a sibling device, in words. */
export function syncText(sync) {
  if (!sync) {
    return 'Not synced yet';
  }
  const last = sync.lastSync ? `; last sync ${when(sync.lastSync)}` : '';
  switch (sync.state) {
    case 'in-sync': return `In sync${last}`;
    case 'behind': return `Behind by ${sync.behindBy}${last}`;
    case 'syncing': return `Syncing${last}`;
    case 'failed': return `Sync failed${sync.error ? `: ${sync.error}` : ''}${last}`;
    default: return 'Not synced yet';
  }
}

export class DevicesView extends LitElement {
  static properties = {
    devices: { state: true },
    sync: { state: true },
    link: { state: true },
    secondsLeft: { state: true },
    confirming: { state: true },
    problem: { state: true },
    linking: { state: true },
  };

  static styles = [shared, css`
    .link { display: grid; grid-template-columns: auto 1fr; gap: 1rem; align-items: start; }
    .link img { width: 12rem; height: 12rem; max-width: 100%; background: #fff; }
    .code-row { display: flex; gap: 0.5rem; align-items: center; flex-wrap: wrap; }
    .code-row code, pre code { overflow-wrap: anywhere; word-break: break-all; }
    pre { white-space: pre-wrap; margin: 0.4rem 0; background: var(--parley-bg); padding: 0.4rem 0.6rem; border-radius: 6px; }
    .expired { color: var(--parley-error-fg); }
    ul.devices { list-style: none; padding: 0; margin: 0; display: grid; gap: 0.6rem; }
    ul.devices li { border: 1px solid var(--parley-border); border-radius: 6px; padding: 0.6rem; display: grid; gap: 0.2rem; }
    .name { font-weight: 600; }
    .mine { background: var(--parley-accent); color: var(--parley-accent-fg); border-radius: 999px; padding: 0 0.5rem;
      font-size: 0.8rem; margin-left: 0.4rem; }
    .actions { display: flex; gap: 0.5rem; flex-wrap: wrap; margin-top: 0.3rem; align-items: center; }
    .problem { color: var(--parley-error-fg); margin: 0.4rem 0 0; }
    .problem:empty { display: none; }
    @media (max-width: 640px) {
      .link { grid-template-columns: 1fr; }
    }
  `];

  constructor() {
    super();
    this.devices = [];
    this.sync = {};
    this.link = null;
    this.secondsLeft = 0;
    this.confirming = null;
    this.problem = '';
    this.linking = false;
    this.events = new LiveEvents(this, (event) => this.onEvent(event), (state) => {
      if (state === 'live') {
        this.refresh();
      }
    });
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    clearInterval(this.timer);
  }

  onEvent(event) {
    if (REFRESHING_EVENTS.has(event.type)) {
      this.refresh();
    } else if (event.type === 'sync.state') {
      this.sync = { ...this.sync, [event.peerId]: { state: event.state, behindBy: event.behindBy,
        lastSync: event.lastSyncMillis == null ? null : new Date(event.lastSyncMillis).toISOString(),
        error: event.error } };
    }
  }

  async refresh() {
    try {
      const devices = await getJson('/api/devices');
      this.devices = devices.devices;
      clearError(this, 'devices');
    } catch (error) {
      reportError(this, `Could not load your devices: ${error.message}`, 'devices');
      return;
    }
    try {
      const sync = await getJson('/api/sync');
      this.sync = Object.fromEntries(sync.devices.map((d) => [d.peerId, d]));
    } catch {
      // Without the sync journal the list still shows; each device says its sync state is not known.
    }
  }

  async makeLink() {
    this.linking = true;
    try {
      this.link = await postJson('/api/devices/link', {});
      this.problem = '';
      this.tick();
      clearInterval(this.timer);
      this.timer = setInterval(() => this.tick(), TICK_MS);
    } catch (error) {
      this.problem = `Could not make a link code: ${sentence(error.message)}`;
    } finally {
      this.linking = false;
    }
  }

  tick() {
    this.secondsLeft = Math.max(0, (Date.parse(this.link.expires) - Date.now()) / 1000);
    if (this.secondsLeft <= 0) {
      clearInterval(this.timer);
    }
  }

  async revoke(device) {
    try {
      const answer = await postJson('/api/devices/revoke', { device: String(device.number) });
      this.devices = answer.devices;
      this.confirming = null;
      this.problem = '';
    } catch (error) {
      this.problem = `Could not revoke device ${device.number}: ${sentence(error.message)}`;
    }
  }

  renderLink() {
    if (!this.link) {
      return html`<p class="muted">A link code lets a new device (a laptop, a second computer) become this user, with
        your identity and contacts. It works once, for ten minutes.</p>`;
    }
    const expired = this.secondsLeft <= 0;
    return html`
      <div class="link">
        <img src="/api/devices/link/qr?code=${encodeURIComponent(this.link.code)}" alt="QR code of the link code">
        <div>
          <div class="code-row">
            <code id="link-code">${this.link.code}</code>
            <parley-copy-button .value=${this.link.code} label="link code"></parley-copy-button>
          </div>
          <p id="link-expiry" class=${expired ? 'expired' : ''} role="timer" aria-live="off">${expired
            ? 'This code expired: make a new one.'
            : `Expires in ${minutesSeconds(this.secondsLeft)}`}</p>
          <p>On the new device, paste it into "Link this device" on the first page it shows, or run:</p>
          <pre><code id="link-command">scripts/run --link ${this.link.code}</code></pre>
          <parley-copy-button .value=${`scripts/run --link ${this.link.code}`} label="command"></parley-copy-button>
        </div>
      </div>`;
  }

  renderDevice(device) {
    const confirming = this.confirming === device.peerId;
    return html`
      <li data-peer-id=${device.peerId}>
        <span class="name">Device ${device.number}${device.thisDevice ? html`<span class="mine">this device</span>` : ''}</span>
        <code>${device.peerId}</code>
        <span class="muted">Added ${when(device.added)}${device.thisDevice ? ''
          : device.lastSeen ? `; last seen ${when(device.lastSeen)}` : '; not seen since this node started'}</span>
        ${device.thisDevice ? '' : html`<span class="sync">${syncText(this.sync[device.peerId])}</span>`}
        ${device.thisDevice ? '' : html`<div class="actions">${confirming ? html`
            <span>Revoke device ${device.number}? It will no longer get your messages or history.</span>
            <button type="button" @click=${() => this.revoke(device)}>Yes, revoke device ${device.number}</button>
            <button type="button" @click=${() => { this.confirming = null; }}>Keep it</button>`
          : html`<button type="button" @click=${() => { this.confirming = device.peerId; }}>Revoke device ${device.number}</button>`}
          </div>`}
      </li>`;
  }

  render() {
    return html`
      <section class="card" aria-labelledby="link-title">
        <h2 id="link-title">Link a device</h2>
        ${this.renderLink()}
        <button type="button" @click=${this.makeLink} ?disabled=${this.linking}>${this.link ? 'Make a new link code'
          : 'Link a device'}</button>
        <p class="problem" role="alert">${this.problem}</p>
      </section>
      <section class="card" aria-labelledby="devices-title">
        <h2 id="devices-title">Your devices <span class="muted">(${this.devices.length})</span></h2>
        <ul class="devices" aria-labelledby="devices-title">${repeat(this.devices, (d) => d.peerId, (d) => this.renderDevice(d))}</ul>
      </section>`;
  }
}
customElements.define('parley-devices-view', DevicesView);
