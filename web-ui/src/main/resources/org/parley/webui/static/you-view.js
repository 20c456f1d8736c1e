// <parley-you-view>: the first run and "your ID": asks for a display name while the default
// identity has none, then shows the user ID as text, as a QR code (an SVG the node draws, loaded
// as an image) and as an invite link, each with a copy button. On a first run it also offers to
// link this node to a device the person already uses: the node then restarts as that user's new
// device, and this view waits for it to come back (its event stream reconnects) and opens Chats.
import { LitElement, html, css } from 'lit';
import { shared, reportError, clearError } from './styles.js';
import { sentence, getJson, postJson, EventStream } from './api.js';
import './copy-button.js';

/** While a link restarts the node: how soon to ask again how it went, when the node said "linking". */
const RELINK_ASK_AGAIN_MS = 1000;
/**
 * How long one question about the link may take: the node stops and starts again meanwhile, and a
 * question the old node took but never answered must not stop the asking.
 */
const RELINK_ASK_TIMEOUT_MS = 3000;

export class YouView extends LitElement {
  static properties = {
    identity: { state: true },
    saving: { state: true },
    problem: { state: true },
    linking: { state: true },
    linkProblem: { state: true },
  };

  static styles = [shared, css`
    form { display: flex; flex-direction: column; gap: 0.5rem; max-width: 28rem; }
    label { font-weight: 600; }
    input { font: inherit; padding: 0.45rem 0.6rem; border: 1px solid var(--parley-border); border-radius: 6px;
      background: var(--parley-surface); color: var(--parley-fg); }
    .row { display: flex; gap: 0.5rem; align-items: center; flex-wrap: wrap; }
    .problem { color: var(--parley-error-fg); margin: 0; }
    dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.75rem 1rem; margin: 0; }
    dt { font-weight: 600; }
    dd { margin: 0; display: flex; gap: 0.5rem; align-items: center; flex-wrap: wrap; min-width: 0; }
    img.qr { width: 12rem; height: 12rem; background: #fff; padding: 0.5rem; border: 1px solid var(--parley-border);
      border-radius: 6px; }
    @media (max-width: 640px) {
      dl { grid-template-columns: 1fr; }
      dt { margin-top: 0.4rem; }
    }
  `];

  constructor() {
    super();
    this.identity = null;
    this.saving = false;
    this.problem = '';
    this.linking = false;
    this.linkProblem = '';
    this.linkStream = null;
  }

  disconnectedCallback() {
    this.linkStream?.close();
    this.linkStream = null;
    super.disconnectedCallback();
  }

  connectedCallback() {
    super.connectedCallback();
    this.load();
  }

  async load() {
    try {
      const answer = await getJson('/api/identities');
      this.identity = answer.identities.find((identity) => identity.isDefault) ?? null;
      clearError(this, 'you');
    } catch (error) {
      reportError(this, `Could not load your identity: ${error.message}`, 'you');
    }
  }

  render() {
    if (this.identity === null) {
      return html`<section class="card"><h2>You</h2><p class="muted">Loading…</p></section>`;
    }
    if (!this.identity.displayName) {
      return this.renderFirstRun();
    }
    const id = this.identity;
    const qr = `/api/identities/qr?identity=${encodeURIComponent(id.userId)}`;
    return html`
      <section class="card" aria-labelledby="you-title">
        <h2 id="you-title">Your ID, <span id="display-name">${id.displayName}</span></h2>
        <p class="muted">Give one of these to a person you want to talk to; they add you with it.</p>
        <dl>
          <dt>User ID</dt>
          <dd><code id="user-id">${id.userId}</code><parley-copy-button .value=${id.userId} label="user ID"></parley-copy-button></dd>
          <dt>Invite link</dt>
          <dd><code id="invite-link">${id.inviteLink}</code><parley-copy-button .value=${id.inviteLink} label="invite link"></parley-copy-button></dd>
          <dt>QR code</dt>
          <dd><img class="qr" id="invite-qr" src=${qr} alt="QR code of your invite link">
            <parley-copy-button .value=${id.inviteLink} label="text of the QR code"></parley-copy-button></dd>
        </dl>
      </section>`;
  }

  renderFirstRun() {
    return html`
      <section class="card" aria-labelledby="welcome-title">
        <h2 id="welcome-title">Welcome to Parley</h2>
        <p>Choose the name people see when you add them. You can use any name; it is not checked.</p>
        <form @submit=${this.saveName} novalidate>
          <label for="display-name-input">Your display name</label>
          <div class="row">
            <input id="display-name-input" name="name" autocomplete="nickname" aria-describedby="name-problem" ?disabled=${this.saving}>
            <button type="submit" ?disabled=${this.saving}>Continue</button>
          </div>
          <p id="name-problem" class="problem" role="alert">${this.problem}</p>
        </form>
      </section>
      <section class="card" aria-labelledby="link-this-title">
        <h2 id="link-this-title">Link this device to one you already use</h2>
        <p>On your other device, open Devices and choose "Link a device". Paste the code it shows (or the text of
          its QR code) here: this device becomes one more device of yours, with your contacts and your past messages.</p>
        <form @submit=${this.linkThis} novalidate>
          <label for="link-this-input">Link code from your other device</label>
          <div class="row">
            <input id="link-this-input" name="code" autocomplete="off" spellcheck="false"
              aria-describedby="link-this-problem" ?disabled=${this.linking}>
            <button type="submit" ?disabled=${this.linking}>Link this device</button>
          </div>
          <p id="link-this-status" role="status">${this.linking
            ? 'Linking… this node restarts as your new device; this page reconnects by itself.' : ''}</p>
          <p id="link-this-problem" class="problem" role="alert">${this.linkProblem}</p>
        </form>
      </section>`;
  }

  async linkThis(event) {
    event.preventDefault();
    const input = this.renderRoot.querySelector('#link-this-input');
    const code = input.value.trim();
    if (code === '') {
      this.linkProblem = 'Paste the link code from your other device first.';
      input.focus();
      return;
    }
    this.linking = true;
    this.linkProblem = '';
    try {
      await postJson('/api/devices/link-this', { code });
    } catch (error) {
      this.linking = false;
      this.linkProblem = error.code === 'unreachable' ? error.message : `This device was not linked: ${sentence(error.message)}`;
      return;
    }
    this.awaitRestart();
  }

  /**
   * The node stops and starts again: each time the event stream is live, ask the node how the link
   * went; "linking" is the old node not yet gone, so wait for the next reconnect.
   */
  awaitRestart() {
    let asking = false;
    // Asked on every 'live' and, whatever the stream does, again a second after each answer that
    // is not final (or each failed request, while the node is down): the wait cannot hang on a
    // reconnect that came, or did not come, at the wrong moment.
    const ask = async () => {
      if (asking || !this.linkStream) {
        return;
      }
      asking = true;
      let answer = null;
      try {
        answer = await getJson('/api/devices/link-this', RELINK_ASK_TIMEOUT_MS);
      } catch {
        answer = null;
      }
      asking = false;
      if (answer === null || answer.state === 'linking') {
        // The old node not gone yet, or the question fell between two nodes: ask again.
        setTimeout(ask, RELINK_ASK_AGAIN_MS);
        return;
      }
      this.linkStream?.close();
      this.linkStream = null;
      this.linking = false;
      if (answer.state === 'linked') {
        location.hash = '#/chats';
      } else {
        this.linkProblem = `This device was not linked: ${sentence(answer.message || 'the node did not say why')}`;
        this.load();
      }
    };
    this.linkStream = new EventStream(() => {}, (state) => {
      if (state === 'live') {
        ask();
      }
    });
    this.linkStream.open();
    setTimeout(ask, RELINK_ASK_AGAIN_MS);
  }

  async saveName(event) {
    event.preventDefault();
    const input = this.renderRoot.querySelector('#display-name-input');
    const name = input.value.trim();
    if (name === '') {
      this.problem = 'Type a name first: it is what your contacts see.';
      input.focus();
      return;
    }
    this.saving = true;
    try {
      this.identity = await postJson('/api/identities/name', { identity: this.identity.userId, name });
      this.problem = '';
    } catch (error) {
      this.problem = error.code === 'unreachable' ? error.message : `That name did not work: ${sentence(error.message)}`;
    } finally {
      this.saving = false;
    }
  }
}
customElements.define('parley-you-view', YouView);
