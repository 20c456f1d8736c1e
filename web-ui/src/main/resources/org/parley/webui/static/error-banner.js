// <parley-error-banner>: shows one error message from the node or the page, as text, until dismissed.
import { LitElement, html, css } from 'lit';
import { shared } from './styles.js';

export class ErrorBanner extends LitElement {
  static properties = { message: { type: String } };

  static styles = [shared, css`
    .banner { display: flex; gap: 0.75rem; align-items: flex-start; justify-content: space-between;
      background: var(--parley-error-bg); color: var(--parley-error-fg); border: 1px solid currentColor;
      border-radius: 8px; padding: 0.75rem 1rem; margin-bottom: 1rem; }
    p { margin: 0; overflow-wrap: anywhere; }
  `];

  constructor() {
    super();
    this.message = '';
  }

  render() {
    // role=alert is always present so that a message appearing in it is announced.
    return html`<div role="alert" aria-live="assertive">${this.message ? html`
      <div class="banner">
        <p><strong>Error:</strong> <span class="message">${this.message}</span></p>
        <button type="button" @click=${this.dismiss} aria-label="Dismiss the error">Dismiss</button>
      </div>` : ''}</div>`;
  }

  dismiss() {
    this.message = '';
    this.dispatchEvent(new CustomEvent('parley-error-dismissed', { bubbles: true, composed: true }));
  }
}
customElements.define('parley-error-banner', ErrorBanner);
