// <parley-copy-button>: copies its `value` to the clipboard; `label` names what is copied for screen readers.
import { LitElement, html, css } from 'lit';
import { shared, reportError } from './styles.js';

/** How long the button says "Copied" before it reads "Copy" again. */
const COPIED_FEEDBACK_MS = 1500;

export class CopyButton extends LitElement {
  static properties = {
    value: { type: String },
    label: { type: String },
    copied: { state: true },
  };

  static styles = [shared, css`:host { display: inline-block; }`];

  constructor() {
    super();
    this.value = '';
    this.label = '';
    this.copied = false;
  }

  render() {
    return html`<button type="button" aria-label="Copy ${this.label}" @click=${this.copy}>${
      this.copied ? 'Copied' : 'Copy'}</button><span class="visually-hidden" aria-live="polite">${
      this.copied ? `${this.label} copied` : ''}</span>`;
  }

  async copy() {
    try {
      await navigator.clipboard.writeText(this.value);
    } catch {
      reportError(this, `Copying the ${this.label} failed: the browser did not allow it. Select the text and copy it.`);
      return;
    }
    this.copied = true;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => { this.copied = false; }, COPIED_FEEDBACK_MS);
  }
}
customElements.define('parley-copy-button', CopyButton);
