// <parley-app>: the page's shell: header, navigation between the screens, the error banner and
// the current screen. A screen is one entry in SCREENS, addressed by its fragment (#/chats). A first run (no display name yet) opens on You.
import { LitElement, html, css } from 'lit';
import { shared } from './styles.js';
import { getJson } from './api.js';
import './error-banner.js';
import './network-view.js';
import './you-view.js';
import './contacts-view.js';
import './chats-view.js';
import './files-view.js';
import './devices-view.js';

const SCREENS = [
  { id: 'chats', title: 'Chats', render: () => html`<parley-chats-view></parley-chats-view>` },
  { id: 'files', title: 'Files', render: () => html`<parley-files-view></parley-files-view>` },
  { id: 'contacts', title: 'Contacts', render: () => html`<parley-contacts-view></parley-contacts-view>` },
  { id: 'devices', title: 'Devices', render: () => html`<parley-devices-view></parley-devices-view>` },
  { id: 'you', title: 'You', render: () => html`<parley-you-view></parley-you-view>` },
  { id: 'network', title: 'Network', render: () => html`<parley-network-view></parley-network-view>` },
];

function screenFromHash() {
  const id = location.hash.replace(/^#\/?/, '');
  return SCREENS.find((screen) => screen.id === id) ?? SCREENS[0];
}

export class ParleyApp extends LitElement {
  static properties = {
    screen: { state: true },
    error: { state: true },
  };

  static styles = [shared, css`
    .skip { position: absolute; left: -999px; top: 0; background: var(--parley-surface); padding: 0.5rem; }
    .skip:focus { left: 0.5rem; z-index: 1; }
    header { display: flex; align-items: center; gap: 1.5rem; flex-wrap: wrap; padding: 0.6rem 1.25rem;
      background: var(--parley-accent); color: var(--parley-accent-fg); }
    .brand { font-weight: 700; font-size: 1.2rem; margin: 0; display: flex; align-items: center; gap: 0.5rem; }
    .brand img { width: 1.5rem; height: 1.5rem; }
    nav ul { list-style: none; display: flex; gap: 0.25rem; margin: 0; padding: 0; flex-wrap: wrap; }
    nav a { color: inherit; text-decoration: none; padding: 0.35rem 0.7rem; border-radius: 6px; display: block; }
    nav a:hover { background: rgb(255 255 255 / 0.15); }
    nav a[aria-current="page"] { background: rgb(255 255 255 / 0.25); font-weight: 600; }
    nav a:focus-visible { outline-color: var(--parley-accent-fg); }
    main { max-width: 72rem; margin: 0 auto; padding: 1rem 1.25rem 2rem; }
    main:focus { outline: none; }
    @media (max-width: 640px) {
      header { gap: 0.5rem 1rem; padding: 0.5rem 0.75rem; }
      main { padding: 0.75rem; }
    }
  `];

  constructor() {
    super();
    this.screen = screenFromHash();
    this.error = '';
    this.errorSource = '';
    this.onHashChange = () => {
      this.screen = screenFromHash();
      this.updateComplete.then(() => this.renderRoot.querySelector('main')?.focus());
    };
    this.addEventListener('parley-error', (event) => {
      this.error = event.detail.message;
      this.errorSource = event.detail.source;
    });
    this.addEventListener('parley-error-cleared', (event) => {
      if (event.detail.source && event.detail.source === this.errorSource) {
        this.error = '';
      }
    });
    this.addEventListener('parley-error-dismissed', () => { this.error = ''; });
  }

  connectedCallback() {
    super.connectedCallback();
    window.addEventListener('hashchange', this.onHashChange);
    this.greetFirstRun();
  }

  /** Opened without a screen named and the identity has no display name yet: the first run starts on You. */
  async greetFirstRun() {
    if (location.hash !== '') {
      return;
    }
    try {
      const answer = await getJson('/api/identities');
      const identity = answer.identities.find((candidate) => candidate.isDefault);
      if (identity && !identity.displayName && location.hash === '') {
        location.replace('#/you');
      }
    } catch {
      // Chat is off or the node is gone: the screen shown says so when it loads.
    }
  }

  disconnectedCallback() {
    window.removeEventListener('hashchange', this.onHashChange);
    super.disconnectedCallback();
  }

  updated() {
    document.title = `${this.screen.title} · Parley`;
  }

  render() {
    return html`
      <a class="skip" href="#main" @click=${this.skipToMain}>Skip to content</a>
      <header>
        <p class="brand"><img src="/ui/icon.svg" alt="">Parley</p>
        <nav aria-label="Screens">
          <ul>${SCREENS.map((screen) => html`
            <li><a href="#/${screen.id}" aria-current=${screen === this.screen ? 'page' : 'false'}>${screen.title}</a></li>`)}
          </ul>
        </nav>
      </header>
      <main id="main" tabindex="-1">
        <parley-error-banner .message=${this.error}></parley-error-banner>
        ${this.screen.render()}
      </main>`;
  }

  skipToMain(event) {
    event.preventDefault();
    this.renderRoot.querySelector('main')?.focus();
  }
}
customElements.define('parley-app', ParleyApp);
