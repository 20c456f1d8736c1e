// <parley-contacts-view>: add a contact by user ID, invite link or the text of their QR code
// (with an intro); the requests waiting on us (accept, decline, block), group invitations (join,
// decline) and the requests waiting on them; the contacts,
// each with its safety number and QR, "mark verified", the key-change warning, and (where the node
// reports them) the contact's app version and unsafe-version warning. Kept current by the node's live events, never by polling.
import { LitElement, html, css } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { shared, reportError, clearError } from './styles.js';
import { sentence, getJson, postJson, LiveEvents } from './api.js';

/** The events after which the lists may have changed. */
const REFRESHING_EVENTS = new Set(['contact.request', 'contact.state', 'contact.key-changed', 'chat.state', 'chat.message',
  'group.changed']);

export class ContactsView extends LitElement {
  static properties = {
    contacts: { state: true },
    requests: { state: true },
    invitations: { state: true },
    adding: { state: true },
    problem: { state: true },
    notice: { state: true },
    safety: { state: true },
    renaming: { state: true },
    renameProblem: { state: true },
  };

  static styles = [shared, css`
    form { display: grid; gap: 0.4rem; max-width: 36rem; }
    label { font-weight: 600; }
    .members { overflow-wrap: anywhere; }
    input, textarea { font: inherit; padding: 0.45rem 0.6rem; border: 1px solid var(--parley-border); border-radius: 6px;
      background: var(--parley-surface); color: var(--parley-fg); }
    textarea { min-height: 3.5rem; resize: vertical; }
    form button { justify-self: start; }
    .problem { color: var(--parley-error-fg); margin: 0; }
    .problem:empty, #add-notice:empty { display: none; }
    ul { list-style: none; padding: 0; margin: 0; display: grid; gap: 0.6rem; }
    li { border: 1px solid var(--parley-border); border-radius: 6px; padding: 0.5rem 0.7rem; display: grid; gap: 0.3rem; }
    .who { font-weight: 600; overflow-wrap: anywhere; }
    .intro { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; }
    .actions { display: flex; gap: 0.4rem; flex-wrap: wrap; }
    .empty { margin: 0; }
    .warning { background: var(--parley-error-bg); color: var(--parley-error-fg); border-radius: 6px;
      padding: 0.5rem 0.7rem; margin: 0; }
    .digits { font-size: 1.1rem; letter-spacing: 0.05em; }
    img.qr { width: 10rem; height: 10rem; background: #fff; padding: 0.4rem; border: 1px solid var(--parley-border);
      border-radius: 6px; }
    .hint { margin: 0; }
    .page { display: grid; gap: 0.5rem; margin-top: 0.4rem; padding-top: 0.5rem; border-top: 1px solid var(--parley-border); }
  `];

  constructor() {
    super();
    this.contacts = [];
    this.requests = [];
    this.invitations = [];
    this.adding = false;
    this.problem = '';
    this.notice = '';
    /** The open contact page: {contact, digits, grouped, verified}, or null. */
    this.safety = null;
    /** The user ID whose rename form is open, or null. */
    this.renaming = null;
    this.renameProblem = '';
    this.events = new LiveEvents(this, (event) => {
      if (REFRESHING_EVENTS.has(event.type)) {
        this.refresh();
      }
    }, (state) => {
      if (state === 'live') {
        this.refresh();
      }
    });
  }

  async refresh() {
    try {
      const [contacts, requests] = await Promise.all([getJson('/api/contacts'), getJson('/api/requests')]);
      this.contacts = contacts.contacts;
      this.requests = requests.contacts;
      this.invitations = requests.groups ?? [];
      if (this.invitations.length > 0 && !this.self) {
        this.self = (await getJson('/api/id')).userId;
      }
      clearError(this, 'contacts');
    } catch (error) {
      reportError(this, `Could not load your contacts: ${error.message}`, 'contacts');
    }
  }

  render() {
    const outgoing = this.contacts.filter((c) => c.state === 'requested');
    const known = this.contacts.filter((c) => c.state !== 'requested');
    return html`
      <section class="card" aria-labelledby="add-title">
        <h2 id="add-title">Add a contact</h2>
        <form @submit=${this.add} novalidate>
          <label for="contact-ref">Their user ID, invite link or QR code text</label>
          <input id="contact-ref" name="contact" autocomplete="off" spellcheck="false"
            aria-describedby="add-problem" ?disabled=${this.adding}>
          <label for="contact-name">What you call them (optional; else the name they chose)</label>
          <input id="contact-name" name="name" autocomplete="off" ?disabled=${this.adding}>
          <label for="contact-intro">A few words so they know who you are (optional)</label>
          <textarea id="contact-intro" name="intro" ?disabled=${this.adding}></textarea>
          <button type="submit" ?disabled=${this.adding}>Send contact request</button>
          <p id="add-problem" class="problem" role="alert">${this.problem}</p>
          <p id="add-notice" class="muted" aria-live="polite">${this.notice}</p>
        </form>
      </section>
      <section class="card" aria-labelledby="incoming-title">
        <h2 id="incoming-title">Requests to you</h2>
        ${this.requests.length === 0 ? html`<p class="muted empty">No one is waiting for an answer.</p>` : html`
          <ul aria-labelledby="incoming-title">${repeat(this.requests, (c) => c.userId, (c) => html`
            <li data-user-id=${c.userId}>
              <span class="who">${c.label}</span>
              <code>${c.userId}</code>
              ${c.intro ? html`<p class="intro">${c.intro}</p>` : ''}
              <div class="actions">
                <button type="button" aria-label="Accept ${c.label}" @click=${() => this.act('accept', c)}>Accept</button>
                <button type="button" aria-label="Decline ${c.label}" @click=${() => this.act('decline', c)}>Decline</button>
                <button type="button" aria-label="Block ${c.label}" @click=${() => this.act('block', c)}>Block</button>
              </div>
            </li>`)}
          </ul>`}
      </section>
      ${this.invitations.length === 0 ? '' : html`
      <section class="card" aria-labelledby="invitations-title">
        <h2 id="invitations-title">Group invitations</h2>
        <ul aria-labelledby="invitations-title">${repeat(this.invitations, (g) => g.groupId, (g) => html`
          <li data-group-id=${g.groupId}>
            <span class="who">${g.name}</span>
            <span class="muted members">${g.members.length} members: ${g.members
              .map((m) => (m.userId === this.self ? 'you' : m.label ?? m.userId)).join(', ')}</span>
            <div class="actions">
              <button type="button" aria-label="Join group ${g.name}"
                @click=${() => this.act('accept', { userId: g.groupId, label: `the group ${g.name}` })}>Join</button>
              <button type="button" aria-label="Decline group ${g.name}"
                @click=${() => this.act('decline', { userId: g.groupId, label: `the group ${g.name}` })}>Decline</button>
            </div>
          </li>`)}
        </ul>
      </section>`}
      <section class="card" aria-labelledby="outgoing-title">
        <h2 id="outgoing-title">Waiting for them</h2>
        ${outgoing.length === 0 ? html`<p class="muted empty">No request of yours is waiting.</p>` : html`
          <ul aria-labelledby="outgoing-title">${repeat(outgoing, (c) => c.userId, (c) => html`
            <li data-user-id=${c.userId}><span class="who">${c.label}</span><code>${c.userId}</code></li>`)}
          </ul>`}
      </section>
      <section class="card" aria-labelledby="contacts-title">
        <h2 id="contacts-title">Contacts</h2>
        ${known.length === 0 ? html`<p class="muted empty">No contacts yet.</p>` : html`
          <ul aria-labelledby="contacts-title">${repeat(known, (c) => c.userId, (c) => html`
            <li data-user-id=${c.userId}>
              <span class="who">${c.label}</span>
              ${c.label === c.userId ? '' : html`<code>${c.userId}</code>`}
              <span class="muted">${this.describe(c)}</span>
              ${c.clientVersion ? html`<span class="muted version">Their app: ${c.clientVersion}</span>` : ''}
              ${c.versionWarning ? html`<p class="warning version-warning" role="status">${
                typeof c.versionWarning === 'string' ? c.versionWarning
                  : `${c.label}'s app is a version with a known safety problem; ask them to update it.`}</p>` : ''}
              ${c.keyWarning ? html`<p class="warning" role="status">A different key was presented for ${c.label}:
                someone may be pretending to be them. Sending to them is held. Compare the safety number with
                them in person or on a call, then mark it verified.</p>` : ''}
              <div class="actions">
                ${c.state === 'accepted' ? html`
                  <button type="button" aria-expanded=${this.safety?.contact === c.userId ? 'true' : 'false'}
                    aria-label="Safety number of ${c.label}" @click=${() => this.toggleSafety(c)}>Safety number</button>
                  <button type="button" aria-expanded=${this.renaming === c.userId ? 'true' : 'false'}
                    aria-label="Rename ${c.label}" @click=${() => this.toggleRename(c)}>Rename</button>
                  <button type="button" aria-label="Block ${c.label}" @click=${() => this.act('block', c)}>Block</button>`
                  : ''}
                ${c.state === 'blocked' ? html`
                  <button type="button" aria-label="Unblock ${c.label}" @click=${() => this.act('unblock', c)}>Unblock</button>`
                  : ''}
                <button type="button" aria-label="Remove ${c.label}" @click=${() => this.removeContact(c)}>Remove</button>
              </div>
              ${this.renaming === c.userId ? this.renderRename(c) : ''}
              ${this.safety?.contact === c.userId ? this.renderSafety(c) : ''}
            </li>`)}
          </ul>`}
      </section>`;
  }

  renderRename(contact) {
    return html`<form class="page" @submit=${(event) => this.rename(event, contact)} novalidate>
      <label for="rename-input">What you call ${contact.label} (only you see it)</label>
      <input id="rename-input" name="name" autocomplete="off" .value=${contact.name ?? ''}
        aria-describedby="rename-problem">
      <div class="actions"><button type="submit">Save name</button></div>
      <p id="rename-problem" class="problem" role="alert">${this.renameProblem}</p>
    </form>`;
  }

  toggleRename(contact) {
    this.renaming = this.renaming === contact.userId ? null : contact.userId;
    this.renameProblem = '';
  }

  async rename(event, contact) {
    event.preventDefault();
    const name = event.target.querySelector('input').value.trim();
    if (name === '') {
      this.renameProblem = 'Type the name you want to see for them.';
      return;
    }
    try {
      // Adding a contact again with a name only renames it (the node's rule for an existing contact).
      await postJson('/api/contacts', { contact: contact.userId, name });
      this.renaming = null;
      this.renameProblem = '';
      this.refresh();
    } catch (error) {
      this.renameProblem = `Could not rename ${contact.label}: ${sentence(error.message)}`;
    }
  }

  // Not named remove(): that is Element.remove(), which the router calls to take the view off the page.
  async removeContact(contact) {
    // Removing forgets the contact and the conversation with them: ask first.
    if (!window.confirm(`Remove ${contact.label}? Your conversation with them is deleted too (also on your linked devices).`)) {
      return;
    }
    await this.act('remove', contact);
  }

  renderSafety(contact) {
    const number = this.safety;
    const qr = `/api/contacts/safety-number/qr?contact=${encodeURIComponent(contact.userId)}`;
    return html`<div class="page" role="group" aria-label="Safety number of ${contact.label}">
      <p class="muted hint">Compare these digits with ${contact.label}'s screen, or scan their code:
        if they match, no one is in between.</p>
      <code class="digits" id="safety-digits">${number.grouped}</code>
      <img class="qr" src=${qr} alt="QR code of the safety number with ${contact.label}">
      ${number.verified && !contact.keyWarning
        ? html`<p id="verified-note">Verified.</p>`
        : html`<div class="actions"><button type="button" @click=${() => this.verify(contact)}>Mark verified</button></div>`}
    </div>`;
  }

  async toggleSafety(contact) {
    if (this.safety?.contact === contact.userId) {
      this.safety = null;
      return;
    }
    try {
      const number = await postJson('/api/contacts/safety-number', { contact: contact.userId });
      this.safety = { ...number, contact: contact.userId };
      clearError(this, 'contacts-action');
    } catch (error) {
      reportError(this, `Could not show the safety number of ${contact.label}: ${sentence(error.message)}`, 'contacts-action');
    }
  }

  async verify(contact) {
    try {
      await postJson('/api/contacts/verify', { contact: contact.userId });
      this.safety = { ...this.safety, verified: true };
      clearError(this, 'contacts-action');
      this.refresh();
    } catch (error) {
      reportError(this, `Could not mark ${contact.label} verified: ${sentence(error.message)}`, 'contacts-action');
    }
  }

  describe(contact) {
    const state = { accepted: 'Contact', declined: 'Declined', blocked: 'Blocked' }[contact.state] ?? contact.state;
    const parts = [state];
    if (contact.verified) {
      parts.push('safety number verified');
    }
    if (contact.keyWarning) {
      parts.push('their key changed: sending is held until you verify the safety number');
    }
    return parts.join(' · ');
  }

  async add(event) {
    event.preventDefault();
    const input = this.renderRoot.querySelector('#contact-ref');
    const contact = input.value.trim();
    const intro = this.renderRoot.querySelector('#contact-intro').value.trim();
    const name = this.renderRoot.querySelector('#contact-name').value.trim();
    this.notice = '';
    if (contact === '') {
      this.problem = 'Paste their user ID (it starts with parley1) or their invite link first.';
      input.focus();
      return;
    }
    this.adding = true;
    try {
      const request = { contact };
      if (intro !== '') {
        request.intro = intro;
      }
      if (name !== '') {
        request.name = name;
      }
      const added = await postJson('/api/contacts', request);
      this.problem = '';
      this.notice = added.state === 'accepted'
        ? `${added.label} had asked you already: you are now contacts.`
        : `Request sent to ${added.label}. They show as a contact once they accept.`;
      this.renderRoot.querySelector('form').reset();
      this.refresh();
    } catch (error) {
      this.problem = error.code === 'unreachable' ? error.message : `Could not add them: ${sentence(error.message)}`;
    } finally {
      this.adding = false;
    }
  }

  async act(action, contact) {
    try {
      await postJson(`/api/contacts/${action}`, { contact: contact.userId });
      clearError(this, 'contacts-action');
      this.refresh();
    } catch (error) {
      reportError(this, `Could not ${action} ${contact.label}: ${sentence(error.message)}`, 'contacts-action');
    }
  }
}
customElements.define('parley-contacts-view', ContactsView);
