// <parley-chats-view>: the conversations with their last message and unread counts, and the open
// conversation: Enter sends, Shift+Enter starts a new line, each message of ours shows its
// delivery state, and scrolling to the top loads the page before the oldest shown (keyset paging
// by message id). Unread counts (a contact's and a group's) are the node's, so a reload shows the
// same. Groups the user joined
// are listed too: "New group" creates one from accepted contacts, a group's conversation labels
// each message with its sender, and its members panel (group-members.js) adds, removes, promotes,
// renames and leaves. Kept current by the node's live events, never by polling.
import { LitElement, html, css } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { shared, reportError, clearError } from './styles.js';
import { sentence, getJson, postJson, LiveEvents } from './api.js';
import { isFileLink } from './files-view.js';
import './group-members.js';

/** Messages loaded when a conversation opens, and added each time the reader scrolls to the top. */
const PAGE_SIZE = 50;
/** How close to the top (in pixels) counts as "at the top" for loading older messages. */
const TOP_SLACK_PX = 8;
const STATE_LABELS = {
  pending: 'Waiting to send', sent: 'Sent', delivered: 'Delivered', read: 'Read', failed: 'Not delivered',
  received: '', };

/** How far along each state of ours is: a message never moves back. */
const STATE_ORDER = { pending: 0, sent: 1, delivered: 2, read: 3, failed: 1 };

function laterState(shown, answered) {
  return (STATE_ORDER[answered] ?? 0) > (STATE_ORDER[shown] ?? 0) ? answered : shown;
}

function byTime(a, b) {
  return a.hlcMillis - b.hlcMillis || a.hlcCounter - b.hlcCounter;
}

export class ChatsView extends LitElement {
  static properties = {
    conversations: { state: true },
    unread: { state: true },
    open: { state: true },
    messages: { state: true },
    problem: { state: true },
    sending: { state: true },
    groups: { state: true },
    creating: { state: true },
    createProblem: { state: true },
  };

  static styles = [shared, css`
    .layout { display: grid; grid-template-columns: minmax(14rem, 1fr) 2.5fr; gap: 1rem; align-items: start; }
    ul.list { list-style: none; padding: 0; margin: 0; display: grid; gap: 0.4rem; }
    ul.list button { width: 100%; text-align: left; display: grid; grid-template-columns: 1fr auto; gap: 0.2rem 0.5rem;
      padding: 0.5rem 0.6rem; }
    ul.list button[aria-current="true"] { border-color: var(--parley-accent); background: var(--parley-bg); }
    .name { font-weight: 600; overflow-wrap: anywhere; }
    .last { grid-column: 1 / -1; color: var(--parley-muted); white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
    .badge { background: var(--parley-accent); color: var(--parley-accent-fg); border-radius: 999px; padding: 0 0.5rem;
      font-size: 0.8rem; align-self: center; }
    .log { list-style: none; margin: 0 0 0.75rem; padding: 0.25rem; height: 24rem; overflow-y: auto; display: flex;
      flex-direction: column; gap: 0.4rem; border: 1px solid var(--parley-border); border-radius: 6px; }
    .log li { max-width: 80%; padding: 0.4rem 0.6rem; border-radius: 8px; background: var(--parley-bg);
      white-space: pre-wrap; overflow-wrap: anywhere; }
    .log li.outgoing { align-self: flex-end; background: #dcecf7; }
    .meta { display: block; font-size: 0.75rem; color: var(--parley-muted); margin-top: 0.15rem; }
    .log button.download { display: block; margin-top: 0.3rem; }
    .meta.failed { color: var(--parley-error-fg); }
    .meta:empty { display: none; }
    textarea { font: inherit; width: 100%; box-sizing: border-box; min-height: 3rem; padding: 0.45rem 0.6rem;
      border: 1px solid var(--parley-border); border-radius: 6px; resize: vertical; }
    .problem { color: var(--parley-error-fg); margin: 0.4rem 0 0; }
    .problem:empty { display: none; }
    .back { display: none; margin-bottom: 0.5rem; }
    h3 { font-size: 1rem; margin: 1rem 0 0.5rem; }
    .sender { display: block; font-size: 0.8rem; font-weight: 600; color: var(--parley-muted); }
    fieldset { border: 1px solid var(--parley-border); border-radius: 6px; margin: 0.5rem 0; padding: 0.4rem 0.6rem;
      min-width: 0; }
    fieldset label { display: flex; gap: 0.4rem; align-items: center; overflow-wrap: anywhere; }
    .new-group input[type="text"] { font: inherit; width: 100%; box-sizing: border-box; padding: 0.35rem 0.5rem;
      border: 1px solid var(--parley-border); border-radius: 6px; }
    .list-head { display: flex; justify-content: space-between; align-items: center; gap: 0.5rem; flex-wrap: wrap; }
    @media (max-width: 640px) {
      .layout { grid-template-columns: 1fr; }
      .layout.talking .conversations { display: none; }
      .back { display: inline-block; }
      .log { height: 55vh; }
    }
  `];

  constructor() {
    super();
    this.conversations = [];
    this.unread = {};
    this.open = null;
    this.messages = [];
    this.complete = false;
    this.problem = '';
    this.sending = false;
    this.groups = [];
    this.creating = false;
    this.createProblem = '';
    this.events = new LiveEvents(this, (event) => this.onEvent(event), (state) => {
      if (state === 'live') {
        this.refresh();
      }
    });
  }

  async refresh() {
    try {
      this.conversations = (await getJson('/api/conversations')).conversations;
      // Groups the user joined, or was a member of (their history stays readable), each with its
      // latest message from the node.
      this.groups = (await getJson('/api/groups')).groups.filter((g) => g.membership === 'joined');
      if (!this.self) {
        this.self = (await getJson('/api/id')).userId;
      }
      const answer = await getJson('/api/conversations/unread');
      // Keyed by contact user ID and by group id, which never look alike.
      const counts = { ...answer.unread, ...(answer.groups ?? {}) };
      // The open conversation is being read: its count stays at zero.
      this.unread = this.open ? { ...counts, [this.open]: 0 } : counts;
      clearError(this, 'chats');
      if (this.open) {
        await this.loadHistory(false);
      }
    } catch (error) {
      reportError(this, `Could not load your chats: ${error.message}`, 'chats');
    }
  }

  onEvent(event) {
    if (event.type === 'chat.message') {
      const message = { messageId: event.messageId, contact: event.contact, direction: event.direction,
        hlcMillis: event.hlcMillis, hlcCounter: event.hlcCounter, text: event.text,
        state: event.direction === 'outgoing' ? 'pending' : 'received' };
      if (this.open === event.contact) {
        if (!this.messages.some((m) => m.messageId === message.messageId)) {
          this.appendLive(message);
        }
        if (event.direction === 'incoming') {
          // Shown: the node marks it read and sends the receipt.
          this.markRead(event.contact, event.messageId);
        }
      } else if (event.direction === 'incoming') {
        this.unread = { ...this.unread, [event.contact]: (this.unread[event.contact] ?? 0) + 1 };
      }
      this.conversations = this.conversations.some((c) => c.contact === event.contact)
        ? this.conversations.map((c) => (c.contact === event.contact ? { ...c, latest: message } : c))
        : this.conversations;
      if (!this.conversations.some((c) => c.contact === event.contact)) {
        this.refresh();
      }
    } else if (event.type === 'chat.state' && this.open === event.contact) {
      this.messages = this.messages.map((m) => (m.messageId === event.messageId
        ? { ...m, state: event.state, failure: event.reason } : m));
    } else if (event.type === 'group.message') {
      if (this.open === event.group) {
        if (!this.messages.some((m) => m.messageId === event.messageId)) {
          this.appendLive({ messageId: event.messageId, contact: event.sender, direction: event.direction,
            hlcMillis: event.hlcMillis, hlcCounter: event.hlcCounter, text: event.text,
            state: event.direction === 'outgoing' ? 'sent' : 'received' });
        }
        if (event.direction === 'incoming') {
          // Shown: the node counts it read.
          this.markRead(event.group, event.messageId);
        }
      } else if (event.direction === 'incoming') {
        this.unread = { ...this.unread, [event.group]: (this.unread[event.group] ?? 0) + 1 };
      }
      this.groups = this.groups.map((g) => (g.groupId === event.group
        ? { ...g, latest: { text: event.text } } : g));
    } else if (event.type === 'contact.state' || event.type === 'contact.key-changed' || event.type === 'group.changed') {
      this.refresh();
    }
  }

  appendLive(message) {
    const log = this.renderRoot.querySelector('.log');
    const atBottom = !log || log.scrollHeight - log.scrollTop - log.clientHeight < TOP_SLACK_PX * 4;
    this.messages = [...this.messages, message].sort(byTime);
    if (atBottom || message.direction === 'outgoing') {
      this.updateComplete.then(() => this.scrollToEnd());
    }
  }

  scrollToEnd() {
    const log = this.renderRoot.querySelector('.log');
    if (log) {
      log.scrollTop = log.scrollHeight;
    }
  }

  async markRead(contact, messageId) {
    try {
      await postJson('/api/messages/read', { contact, upTo: messageId });
    } catch (error) {
      this.problem = `Could not mark the message read: ${sentence(error.message)}`;
    }
  }

  async select(contact) {
    this.open = contact;
    this.messages = [];
    this.complete = false;
    this.problem = '';
    this.unread = { ...this.unread, [contact]: 0 };
    this.creating = false;
    await this.loadHistory(false);
    await this.updateComplete;
    this.scrollToEnd();
    this.renderRoot.querySelector('textarea')?.focus();
  }

  /**
   * Loads the latest page (older false: merged with what is shown, so a reconnect loses nothing) or
   * the page before the oldest message shown (older true), keeping the reader's place.
   */
  async loadHistory(older) {
    const contact = this.open;
    const request = { contact, limit: PAGE_SIZE };
    if (older) {
      request.before = this.messages[0].messageId;
    }
    try {
      const answer = await postJson('/api/messages/history', request);
      if (this.open !== contact) {
        return;
      }
      const log = this.renderRoot.querySelector('.log');
      const fromBottom = log ? log.scrollHeight - log.scrollTop : 0;
      const byId = new Map(this.messages.map((m) => [m.messageId, m]));
      answer.messages.forEach((m) => byId.set(m.messageId, m));
      this.messages = [...byId.values()].sort(byTime);
      if (older || this.messages.length === answer.messages.length) {
        this.complete = answer.messages.length < PAGE_SIZE;
      }
      if (older && log) {
        // Keep the reader's place: the older messages grow the list above it.
        await this.updateComplete;
        log.scrollTop = log.scrollHeight - fromBottom;
      }
    } catch (error) {
      this.problem = `Could not load this conversation: ${error.message}`;
    }
  }

  onScroll(event) {
    if (event.target.scrollTop <= TOP_SLACK_PX && !this.complete && !this.loadingOlder && this.messages.length > 0) {
      this.loadingOlder = true;
      this.loadHistory(true).finally(() => { this.loadingOlder = false; });
    }
  }

  onKey(event) {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      this.send();
    }
  }

  async send() {
    const box = this.renderRoot.querySelector('textarea');
    const text = box.value;
    if (text.trim() === '' || this.sending) {
      return;
    }
    this.sending = true;
    try {
      const sent = await postJson('/api/messages', { contact: this.open, text });
      box.value = '';
      this.problem = '';
      const known = this.messages.find((m) => m.messageId === sent.messageId);
      if (known) {
        // Live events may have moved it on already (sent, delivered, read) before this answer came.
        this.messages = this.messages.map((m) => (m.messageId === sent.messageId
          ? { ...m, state: laterState(m.state, sent.state) } : m));
      } else {
        this.appendLive(sent);
      }
    } catch (error) {
      // The text stays in the box, so nothing is lost.
      this.problem = error.code === 'unreachable' ? error.message : `Not sent: ${sentence(error.message)}`;
    } finally {
      this.sending = false;
      box.focus();
    }
  }

  /** Starts downloading a file link someone sent, and shows it on the Files screen. */
  async download(link) {
    try {
      await postJson('/api/files/fetch', { link: link.trim() });
      location.hash = '#/files';
    } catch (error) {
      this.problem = `Could not download: ${sentence(error.message)}`;
    }
  }

  /** The open group, or undefined when the open conversation is with one contact. */
  openGroup() {
    return this.groups.find((g) => g.groupId === this.open);
  }

  /** A group member's name as this user knows them. */
  senderLabel(group, userId) {
    const member = group.members.find((m) => m.userId === userId);
    return member?.label ?? this.conversations.find((c) => c.contact === userId)?.label ?? userId;
  }

  async createGroup(event) {
    event.preventDefault();
    const form = event.target;
    const name = form.elements.groupName.value.trim();
    const members = [...form.querySelectorAll('input[name="member"]:checked')].map((box) => box.value);
    if (!name) {
      this.createProblem = 'Give the group a name.';
      return;
    }
    if (members.length === 0) {
      this.createProblem = 'Choose at least one contact to be in the group.';
      return;
    }
    try {
      const group = await postJson('/api/groups', { name, members });
      this.createProblem = '';
      this.groups = [...this.groups.filter((g) => g.groupId !== group.groupId), group];
      await this.select(group.groupId);
    } catch (error) {
      this.createProblem = `The group was not created: ${sentence(error.message)}`;
    }
  }

  onGroupChanged(event) {
    const group = event.detail;
    this.groups = this.groups.map((g) => (g.groupId === group.groupId ? { ...g, ...group } : g));
  }

  renderNewGroup() {
    return html`
      <form class="new-group" @submit=${this.createGroup} novalidate aria-labelledby="new-group-title">
        <h3 id="new-group-title">New group</h3>
        <label for="group-name">Group name</label>
        <input type="text" id="group-name" name="groupName" autocomplete="off">
        ${this.conversations.length === 0
          ? html`<p class="muted">Add contacts first: a group is made of people who accepted you.</p>`
          : html`<fieldset><legend>Members</legend>${this.conversations.map((c) => html`
              <label><input type="checkbox" name="member" value=${c.contact}>${c.label}</label>`)}</fieldset>`}
        <button type="submit">Create group</button>
        <button type="button" @click=${() => { this.creating = false; this.createProblem = ''; }}>Cancel</button>
        <p class="problem" id="create-problem" role="alert">${this.createProblem}</p>
      </form>`;
  }

  render() {
    const group = this.openGroup();
    const current = group ? { label: group.name } : this.conversations.find((c) => c.contact === this.open);
    return html`
      <div class="layout ${this.open ? 'talking' : ''}">
        <section class="card conversations" aria-labelledby="chats-title">
          <h2 id="chats-title">Chats</h2>
          ${this.conversations.length === 0
            ? html`<p class="muted">No chats yet: add a contact on the Contacts screen; once they accept, you can talk.</p>`
            : html`<ul class="list" aria-labelledby="chats-title">${repeat(this.conversations, (c) => c.contact, (c) => {
              const unread = this.unread[c.contact] ?? 0;
              return html`<li><button type="button" aria-current=${c.contact === this.open ? 'true' : 'false'}
                  aria-label="${c.label}${unread ? `, ${unread} unread` : ''}" @click=${() => this.select(c.contact)}>
                <span class="name">${c.label}</span>
                ${unread ? html`<span class="badge" data-unread=${c.contact}>${unread}</span>` : html`<span></span>`}
                <span class="last">${c.latest ? c.latest.text : 'No messages yet'}</span>
              </button></li>`;
            })}</ul>`}
          <div class="list-head">
            <h3 id="groups-title">Groups</h3>
            ${this.creating ? '' : html`<button type="button" @click=${() => { this.creating = true; }}>New group</button>`}
          </div>
          ${this.creating ? this.renderNewGroup() : ''}
          ${this.groups.length === 0
            ? html`<p class="muted">No groups yet.</p>`
            : html`<ul class="list" aria-labelledby="groups-title">${repeat(this.groups, (g) => g.groupId, (g) => {
              const unread = this.unread[g.groupId] ?? 0;
              return html`
              <li><button type="button" aria-current=${g.groupId === this.open ? 'true' : 'false'}
                  aria-label="Group ${g.name}${unread ? `, ${unread} unread` : ''}" @click=${() => this.select(g.groupId)}>
                <span class="name">${g.name}</span><span class="muted">${g.members.length} members${unread
                  ? html` <span class="badge" data-unread=${g.groupId}>${unread}</span>` : ''}</span>
                <span class="last">${g.latest ? g.latest.text : g.member ? '' : 'You are no longer a member'}</span>
              </button></li>`;
            })}</ul>`}
        </section>
        ${this.open ? html`
          <section class="card" aria-labelledby="talk-title">
            <button type="button" class="back" @click=${() => { this.open = null; }}>Back to chats</button>
            <h2 id="talk-title">${current ? current.label : this.open}</h2>
            <ol class="log" aria-label="Messages" aria-live="polite" tabindex="0" @scroll=${this.onScroll}>
              ${repeat(this.messages, (m) => m.messageId, (m) => html`
                <li class=${m.direction} data-message-id=${m.messageId}>${group && m.direction === 'incoming'
                  ? html`<span class="sender">${this.senderLabel(group, m.contact)}</span>` : ''}${m.text}${m.direction === 'incoming' && isFileLink(m.text)
                  ? html`<button type="button" class="download" @click=${() => this.download(m.text)}>Download this file</button>`
                  : ''}<span class="meta ${m.state}">${
                  m.direction === 'outgoing' ? (m.state === 'failed' && m.failure
                    ? `Not delivered: ${m.failure}` : STATE_LABELS[m.state] ?? m.state) : ''}</span></li>`)}
            </ol>
            ${group && !group.member ? '' : html`
            <label for="compose" class="visually-hidden">Message</label>
            <textarea id="compose" placeholder="Message (Enter sends, Shift+Enter starts a new line)"
              aria-describedby="send-problem" @keydown=${this.onKey}></textarea>`}
            <p id="send-problem" class="problem" role="alert">${this.problem}</p>
            ${group ? html`<parley-group-members .group=${group} .contacts=${this.conversations} .self=${this.self}
              @group-changed=${this.onGroupChanged}></parley-group-members>` : ''}
          </section>` : ''}
      </div>`;
  }
}
customElements.define('parley-chats-view', ChatsView);
