// <parley-files-view>: share a file (drag and drop or a file picker), which uploads it to the node
// (a page cannot give the node a path) into its data folder's shared/ and shares it from there;
// open a file link to download; and every share and download with its progress bar, rate, ETA,
// peers, pause, resume, cancel and "show file"; and the download speed limit, a setting the node
// keeps. Kept current by the node's transfer.* events.
import { LitElement, html, css } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { shared, reportError, clearError } from './styles.js';
import { getJson, postJson, sentence, LiveEvents } from './api.js';
import './copy-button.js';

/** What a state means to a person. */
const STATE_LABELS = {
  verifying: 'Checking the file again', seeding: 'Shared', unshared: 'No longer shared', running: 'Downloading',
  paused: 'Paused', done: 'Downloaded', failed: 'Failed', cancelled: 'Cancelled',
};
/** The states in which the node has the whole file and serves it back to this page. */
const WHOLE = new Set(['seeding', 'done']);
/** The limit field is in KiB/s; the node's setting is in bytes a second. */
const KIB = 1024;
/** The node's lowest limit (DownloadRateLimit.MIN_BYTES_PER_SECOND), in KiB/s. */
const MIN_LIMIT_KIB = 16;
/** A file link, as the node writes it (see FileLink). */
const LINK_PREFIX = 'magnet:?xt=urn:parley:';

export function isFileLink(text) {
  return typeof text === 'string' && text.trim().startsWith(LINK_PREFIX) && !/\s/.test(text.trim());
}

export function formatBytes(bytes) {
  const units = ['bytes', 'KiB', 'MiB', 'GiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} bytes` : `${value.toFixed(1)} ${units[unit]}`;
}

function formatEta(seconds) {
  if (seconds === null || seconds === undefined) {
    return 'time left unknown';
  }
  if (seconds < 60) {
    return `${seconds} s left`;
  }
  const minutes = Math.floor(seconds / 60);
  return minutes < 60 ? `${minutes} min ${seconds % 60} s left` : `${Math.floor(minutes / 60)} h ${minutes % 60} min left`;
}

export class FilesView extends LitElement {
  static properties = {
    transfers: { state: true },
    contacts: { state: true },
    dragging: { state: true },
    upload: { state: true },
    shareProblem: { state: true },
    fetchProblem: { state: true },
    notice: { state: true },
    rateLimit: { state: true },
    rateProblem: { state: true },
    rateNotice: { state: true },
  };

  static styles = [shared, css`
    .drop { border: 2px dashed var(--parley-border); border-radius: 8px; padding: 1.25rem; text-align: center;
      display: grid; gap: 0.6rem; justify-items: center; }
    .drop.dragging { border-color: var(--parley-accent); background: var(--parley-bg); }
    input[type=file] { font: inherit; max-width: 100%; }
    form.link { display: flex; gap: 0.5rem; flex-wrap: wrap; align-items: end; }
    form.link label { display: grid; gap: 0.25rem; flex: 1 1 18rem; }
    input[type=text], input[type=number], select { font: inherit; padding: 0.35rem 0.5rem; border: 1px solid var(--parley-border);
      border-radius: 6px; min-width: 0; }
    ul.transfers { list-style: none; padding: 0; margin: 0; display: grid; gap: 0.75rem; }
    li.transfer { border: 1px solid var(--parley-border); border-radius: 8px; padding: 0.6rem 0.75rem;
      display: grid; grid-template-columns: minmax(0, 1fr); gap: 0.4rem; }
    .head { display: flex; gap: 0.5rem; justify-content: space-between; flex-wrap: wrap; }
    .name { font-weight: 600; overflow-wrap: anywhere; }
    progress { width: 100%; height: 0.9rem; }
    .figures { font-size: 0.85rem; color: var(--parley-muted); }
    .actions { display: flex; gap: 0.4rem; flex-wrap: wrap; align-items: center; }
    .actions a { font-size: 0.85rem; padding: 0.3rem 0.7rem; border: 1px solid var(--parley-accent);
      border-radius: 6px; color: var(--parley-accent); text-decoration: none; }
    .linkrow { display: flex; gap: 0.5rem; align-items: center; min-width: 0; }
    .linkrow code { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; min-width: 0; flex: 1; }
    .problem { color: var(--parley-error-fg); margin: 0.4rem 0 0; }
    .problem:empty, .notice:empty { display: none; }
    .notice { color: var(--parley-ok); margin: 0.4rem 0 0; }
    .error { color: var(--parley-error-fg); }
  `];

  constructor() {
    super();
    this.transfers = [];
    this.contacts = [];
    this.dragging = false;
    this.upload = null;
    this.shareProblem = '';
    this.fetchProblem = '';
    this.notice = '';
    this.rateLimit = null;
    this.rateProblem = '';
    this.rateNotice = '';
    this.events = new LiveEvents(this, (event) => this.onEvent(event), (state) => {
      if (state === 'live') {
        this.refresh();
      }
    });
  }

  async refresh() {
    try {
      this.transfers = (await getJson('/api/transfers')).transfers;
      this.rateLimit = (await getJson('/api/settings/download-rate')).maxDownloadRate;
      clearError(this, 'files');
    } catch (error) {
      reportError(this, `Could not load your files: ${error.message}`, 'files');
    }
    try {
      this.contacts = (await getJson('/api/conversations')).conversations;
    } catch {
      // Chat is off on this machine: files work without "send to contact".
      this.contacts = [];
    }
  }

  onEvent(event) {
    if (event.type === 'transfer.progress') {
      this.transfers = this.transfers.map((t) => (t.fileId === event.fileId ? {
        ...t, bytesDone: event.bytesDone, bytesTotal: event.bytesTotal, bytesPerSecond: event.bytesPerSecond,
        etaSeconds: event.etaSeconds, peers: event.peers } : t));
    } else if (event.type === 'transfer.state') {
      // The whole view (path, link, counts) comes from the node.
      this.refresh();
    }
  }

  // ---- sharing ----

  onDragOver(event) {
    event.preventDefault();
    this.dragging = true;
  }

  onDrop(event) {
    event.preventDefault();
    this.dragging = false;
    const file = event.dataTransfer?.files?.[0];
    if (file) {
      this.share(file);
    }
  }

  onPick(event) {
    const file = event.target.files?.[0];
    if (file) {
      this.share(file);
    }
    event.target.value = '';
  }

  /** Uploads `file` to the node, which writes it into its shared/ folder and shares it. */
  share(file) {
    if (this.upload) {
      this.shareProblem = 'One file is being copied to the node; share the next one when it is done.';
      return;
    }
    this.shareProblem = '';
    this.notice = '';
    this.upload = { name: file.name, sent: 0, total: file.size };
    const request = new XMLHttpRequest();
    request.open('POST', `/api/files/upload?name=${encodeURIComponent(file.name)}`);
    request.setRequestHeader('Accept', 'application/json');
    request.upload.addEventListener('progress', (event) => {
      this.upload = { ...this.upload, sent: event.loaded };
    });
    request.addEventListener('load', () => {
      let body = null;
      try {
        body = JSON.parse(request.responseText);
      } catch {
        // Not JSON: the status says enough.
      }
      this.upload = null;
      if (request.status === 200 && body) {
        this.notice = `Shared ${body.name}. Copy its link below, or send it to a contact.`;
        this.refresh();
      } else {
        const why = body && typeof body.message === 'string' ? body.message : `the node answered HTTP ${request.status}`;
        this.shareProblem = `Could not share ${file.name}: ${sentence(why)}`;
      }
    });
    request.addEventListener('error', () => {
      this.upload = null;
      this.shareProblem = 'The node does not answer. Is it still running? Start it again and reload this page.';
    });
    request.send(file);
  }

  async sendToContact(transfer, select) {
    const contact = select.value;
    if (!contact) {
      this.shareProblem = 'Choose a contact to send the link to.';
      select.focus();
      return;
    }
    try {
      // The link travels as a chat message, end-to-end encrypted; their chat shows a Download button.
      await postJson('/api/messages', { contact, text: transfer.link });
      const label = this.contacts.find((c) => c.contact === contact)?.label ?? contact;
      this.notice = `Sent the link of ${transfer.name} to ${label}.`;
      this.shareProblem = '';
    } catch (error) {
      this.shareProblem = `Could not send the link: ${sentence(error.message)}`;
    }
  }

  // ---- downloading ----

  async fetchLink(event) {
    event.preventDefault();
    const input = this.renderRoot.querySelector('#link');
    const link = input.value.trim();
    if (link === '') {
      this.fetchProblem = 'Paste a file link first (it starts with magnet:?xt=urn:parley:).';
      input.focus();
      return;
    }
    try {
      const started = await postJson('/api/files/fetch', { link });
      input.value = '';
      this.fetchProblem = '';
      this.notice = `Downloading ${started.name}.`;
      if (!this.transfers.some((t) => t.fileId === started.fileId && t.kind === started.kind)) {
        this.transfers = [...this.transfers, started];
      }
    } catch (error) {
      // The link stays in the box to be corrected.
      this.fetchProblem = error.code === 'unreachable' && error.status === 0
        ? error.message : `Could not download: ${sentence(error.message)}`;
    }
  }

  /** Sets the download limit from the KiB/s field: empty or 0 is no limit. */
  async saveRateLimit(event) {
    event.preventDefault();
    const input = this.renderRoot.querySelector('#rate-limit');
    const text = input.value.trim();
    const kib = text === '' ? 0 : Number(text);
    if (!Number.isInteger(kib) || kib < 0 || (kib > 0 && kib < MIN_LIMIT_KIB)) {
      this.rateProblem = `Give a whole number of KiB/s, at least ${MIN_LIMIT_KIB}, or 0 for no limit.`;
      this.rateNotice = '';
      input.focus();
      return;
    }
    try {
      this.rateLimit = (await postJson('/api/settings/download-rate', { maxDownloadRate: kib * KIB })).maxDownloadRate;
      this.rateProblem = '';
      this.rateNotice = this.rateLimit === 0 ? 'Downloads are not limited.'
        : `Downloads are limited to ${this.rateLimit / KIB} KiB/s.`;
    } catch (error) {
      this.rateProblem = `The limit was not changed: ${sentence(error.message)}`;
      this.rateNotice = '';
    }
  }

  async act(transfer, action) {
    try {
      const view = await postJson(`/api/${action === 'unshare' ? 'files' : 'transfers'}/${action}`, { id: transfer.fileId });
      this.transfers = this.transfers.map((t) => (t.fileId === view.fileId && t.kind === view.kind ? view : t));
      this.fetchProblem = '';
    } catch (error) {
      reportError(this, `Could not ${action} ${transfer.name}: ${sentence(error.message)}`);
    }
  }

  // ---- rendering ----

  render() {
    return html`
      <section class="card" aria-labelledby="share-title">
        <h2 id="share-title">Share a file</h2>
        <p class="muted">The page copies the file to the node, into its data folder's <code>shared/</code>
          folder, and the node shares it from there for as long as it runs. Whoever has the link can download it.</p>
        <div class="drop ${this.dragging ? 'dragging' : ''}" @dragover=${this.onDragOver}
            @dragleave=${() => { this.dragging = false; }} @drop=${this.onDrop}>
          <span>Drop a file here, or</span>
          <label for="pick">Choose a file to share</label>
          <input id="pick" type="file" @change=${this.onPick} ?disabled=${this.upload !== null}
            aria-describedby="share-problem">
          ${this.upload ? html`
            <label for="upload-progress">Copying ${this.upload.name} to the node</label>
            <progress id="upload-progress" max=${this.upload.total} .value=${this.upload.sent}></progress>
            <span class="figures">${formatBytes(this.upload.sent)} of ${formatBytes(this.upload.total)}</span>` : ''}
        </div>
        <p id="share-problem" class="problem" role="alert">${this.shareProblem}</p>
        <p id="files-notice" class="notice" role="status">${this.notice}</p>
      </section>
      <section class="card" aria-labelledby="fetch-title">
        <h2 id="fetch-title">Download from a link</h2>
        <form class="link" @submit=${this.fetchLink}>
          <label>File link
            <input id="link" type="text" autocomplete="off" spellcheck="false" placeholder="magnet:?xt=urn:parley:…"
              aria-describedby="fetch-problem">
          </label>
          <button type="submit">Download</button>
        </form>
        <p class="muted">Downloads go to the data folder's <code>received/</code> folder; "Show file" opens them here.</p>
        <p id="fetch-problem" class="problem" role="alert">${this.fetchProblem}</p>
      </section>
      <section class="card" aria-labelledby="rate-title">
        <h2 id="rate-title">Download speed</h2>
        <form class="link" @submit=${this.saveRateLimit} novalidate>
          <label>Download limit in KiB/s (0 for no limit)
            <input id="rate-limit" type="number" min="0" step="1" inputmode="numeric" aria-describedby="rate-problem"
              .value=${this.rateLimit === null ? '' : String(this.rateLimit / KIB)}>
          </label>
          <button type="submit">Save limit</button>
        </form>
        <p class="muted" id="rate-now">${this.rateLimit === null ? '' : this.rateLimit === 0
          ? 'Now: no limit.' : `Now: at most ${this.rateLimit / KIB} KiB/s for all downloads together.`}</p>
        <p id="rate-problem" class="problem" role="alert">${this.rateProblem}</p>
        <p id="rate-notice" class="notice" role="status">${this.rateNotice}</p>
      </section>
      <section class="card" aria-labelledby="transfers-title">
        <h2 id="transfers-title">Shares and downloads</h2>
        ${this.transfers.length === 0
          ? html`<p class="muted">Nothing shared or downloaded yet.</p>`
          : html`<ul class="transfers" aria-labelledby="transfers-title">${repeat(this.transfers,
            (t) => `${t.kind}:${t.fileId}`, (t) => this.renderTransfer(t))}</ul>`}
      </section>`;
  }

  renderTransfer(t) {
    const download = t.kind === 'download';
    const figures = download && t.state === 'running'
      ? `${formatBytes(t.bytesDone)} of ${formatBytes(t.bytesTotal)} · ${formatBytes(Math.round(t.bytesPerSecond))}/s`
        + ` · ${formatEta(t.etaSeconds)} · ${t.peers} ${t.peers === 1 ? 'peer' : 'peers'}`
      : `${formatBytes(t.bytesDone)} of ${formatBytes(t.bytesTotal)}`;
    return html`<li class="transfer ${t.kind}" data-file-id=${t.fileId} data-state=${t.state}>
      <div class="head">
        <span class="name">${t.name}</span>
        <span class="state">${download ? 'Download' : 'Share'}: ${STATE_LABELS[t.state] ?? t.state}</span>
      </div>
      <progress max=${Math.max(t.bytesTotal, 1)} value=${t.bytesDone} aria-label="Progress of ${t.name}"></progress>
      <span class="figures">${figures}</span>
      ${t.error ? html`<span class="error">${t.error}</span>` : ''}
      ${!download && t.link && t.state !== 'unshared' ? html`
        <div class="linkrow"><code class="link">${t.link}</code>
          <parley-copy-button .value=${t.link} label="link of ${t.name}"></parley-copy-button></div>` : ''}
      <div class="actions">
        ${download && t.state === 'running' ? html`<button type="button" @click=${() => this.act(t, 'pause')}
          aria-label="Pause ${t.name}">Pause</button>` : ''}
        ${download && (t.state === 'paused' || t.state === 'failed') ? html`<button type="button"
          @click=${() => this.act(t, 'resume')} aria-label="Resume ${t.name}">Resume</button>` : ''}
        ${download && (t.state === 'running' || t.state === 'paused') ? html`<button type="button"
          @click=${() => this.act(t, 'cancel')} aria-label="Cancel ${t.name}">Cancel</button>` : ''}
        ${WHOLE.has(t.state) ? html`<a href="/api/files/content?id=${encodeURIComponent(t.fileId)}" download
          aria-label="Show file ${t.name}">Show file</a>` : ''}
        ${!download && t.state === 'seeding' ? html`
          ${this.contacts.length ? html`
            <label class="visually-hidden" for="to-${t.fileId}">Contact to send ${t.name} to</label>
            <select id="to-${t.fileId}">
              ${this.contacts.map((c) => html`<option value=${c.contact}>${c.label}</option>`)}
            </select>
            <button type="button" aria-label="Send ${t.name} to the contact"
              @click=${(event) => this.sendToContact(t, event.target.previousElementSibling)}>Send to contact</button>`
            : ''}
          <button type="button" @click=${() => this.act(t, 'unshare')} aria-label="Stop sharing ${t.name}">Stop sharing</button>`
          : ''}
      </div>
    </li>`;
  }
}
customElements.define('parley-files-view', FilesView);
